/**
 * What the panel's trip says in words, kept apart from the components so it can be tested without a
 * browser: the burn-up's text alternative, the chart's time span, who disagrees, and the concern counter.
 */
import { MAX_CONCERN_TEXT, type DestinationView, type Disagreement, type IsoDate, type TripHistory } from '../../../src/contract';
import { formatDate, formatNumber } from '../../common/format';

const issues = (n: number): string => `${formatNumber(n, 0)} ${n === 1 ? 'issue' : 'issues'}`;

/** The chart's text alternative: where done and scope started and stand, and the target date. */
export function burnUpSummary(name: string, history: Pick<TripHistory, 'burnUp' | 'targetDate'>): string {
  const points = history.burnUp.points;
  const first = points[0];
  const last = points[points.length - 1];
  const target = `target date ${formatDate(history.targetDate)}`;
  if (!first || !last) return `Burn-up of ${name}: no history yet; ${target}.`;
  return (
    `Burn-up of ${name}: on ${formatDate(last.date)}, ${formatNumber(last.done, 0)} of ${issues(last.scope)} done; ` +
    `on ${formatDate(first.date)}, ${formatNumber(first.done, 0)} of ${issues(first.scope)}; ${target}.`
  );
}

/** The days the chart spans: its points, widened to show the target date wherever it falls. */
export function chartSpan(first: IsoDate, last: IsoDate, target: IsoDate): [IsoDate, IsoDate] {
  return [first < target ? first : target, last > target ? last : target];
}

/** Who said what the flag compares, by name where the destination names them. */
export function speakerOf(disagreement: Pick<Disagreement, 'role'>, destination: Pick<DestinationView, 'businessOwnerName' | 'deliveryLeadName'>): string {
  if (disagreement.role === 'owner') return `${destination.businessOwnerName} (business owner)`;
  return destination.deliveryLeadName ? `${destination.deliveryLeadName} (delivery lead)` : 'The delivery lead';
}

/** The concern form's counter. The backend trims the text before it counts it, so the counter does too. */
export function concernCount(text: string): { length: number; over: boolean; label: string } {
  const length = text.trim().length;
  const extra = length - MAX_CONCERN_TEXT;
  const max = formatNumber(MAX_CONCERN_TEXT, 0);
  if (extra > 0) return { length, over: true, label: `${formatNumber(extra, 0)} ${extra === 1 ? 'character' : 'characters'} too many (at most ${max})` };
  return { length, over: false, label: `${formatNumber(length, 0)} of ${max} characters` };
}
