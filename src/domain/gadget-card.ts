/**
 * The dashboard gadget's card, cut from the portfolio's rows: one destination's card, or the portfolio's
 * headline. Pure, so the rules (what counts as a disagreement, when there is no off-route share) live here once.
 */
import type { DestinationRollup, GadgetCard } from '../contract';
import type { ShareFigures, Verdict } from './types';
import { VERDICTS } from './types';

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
