/**
 * The dashboard gadget: one destination's card or the portfolio's headline, as `accountId` may see it. Cut
 * from the portfolio service's view (given as a port: a service does not import another), so the figures are
 * the portfolio page's (aggregates computed as the app) and nothing about an epic the viewer may not browse is
 * named (the card names no epic at all).
 */
import type { DestinationRollup, GadgetCard } from '../contract';
import { AppError } from '../domain/errors';
import { VERDICTS, type ShareFigures, type Verdict } from '../domain/types';

export interface GadgetDeps {
  /** The portfolio's live rows and off-route figures, as `accountId` may see them (`portfolioService.headline`). */
  portfolio: { headline(accountId: string): Promise<{ asOf: string; destinations: DestinationRollup[]; offRoute: ShareFigures }> };
}

type DestinationCard = Extract<GadgetCard, { kind: 'destination' }>;
type PortfolioCard = Extract<GadgetCard, { kind: 'portfolio' }>;

/**
 * One destination's card. Check-ins, disagreement and open concerns come with the row from a backend that
 * keeps them; a row without them (an older backend) shows no check-ins and nothing open, never a guess.
 */
export function destinationCard(row: DestinationRollup): DestinationCard {
  return {
    kind: 'destination',
    destination: { id: row.id, name: row.name, targetDate: row.targetDate, ownerName: row.businessOwnerName },
    progress: row.progress,
    verdict: row.verdict,
    forecast: row.forecast,
    checkIns: row.checkIns ?? { owner: null, lead: null, due: false },
    disagreement: row.disagreement ?? null,
    openConcerns: row.openConcerns ?? 0,
  };
}

/** The portfolio's headline over the live rows; no off-route share when nothing is in flight (0 would claim "no scenery"). */
export function portfolioCard(asOf: string, rows: readonly DestinationRollup[], offRoute: ShareFigures): PortfolioCard {
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  let disagreements = 0;
  let openConcerns = 0;
  for (const row of rows) {
    byVerdict[row.verdict] += 1;
    if (row.disagreement) disagreements += 1;
    openConcerns += row.openConcerns ?? 0;
  }
  return {
    kind: 'portfolio',
    asOf,
    destinations: rows.length,
    byVerdict,
    offRouteShare: offRoute.inFlight > 0 ? offRoute.share : null,
    disagreements,
    openConcerns,
  };
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
