/**
 * The dashboard gadget: one destination's card or the portfolio's headline, as `accountId` may see it. Cut
 * from the portfolio service's view, so the figures are the portfolio page's (aggregates computed as the app)
 * and nothing about an epic the viewer may not browse is named (the card names no epic at all).
 */
import type { GadgetCard } from '../contract';
import { destinationCard, portfolioCard } from '../domain/gadget-card';
import { AppError } from '../domain/errors';
import type { PortfolioService } from './portfolio-service';

export interface GadgetDeps {
  portfolio: Pick<PortfolioService, 'headline'>;
}

export function gadgetService(deps: GadgetDeps) {
  return {
    /** `destinationId` null: the portfolio's headline. An archived or unknown destination is NOT_FOUND. */
    async card(accountId: string, destinationId: string | null): Promise<GadgetCard> {
      const { asOf, destinations, offRoute } = await deps.portfolio.headline(accountId);
      if (destinationId === null) return portfolioCard(asOf, destinations, offRoute);
      const row = destinations.find((d) => d.id === destinationId);
      if (!row) {
        throw new AppError(
          'NOT_FOUND',
          `Destination ${destinationId} does not exist or is archived. Edit the gadget to choose another destination or the portfolio headline.`,
          'destinationId',
        );
      }
      return destinationCard(row);
    },
  };
}

export type GadgetService = ReturnType<typeof gadgetService>;
