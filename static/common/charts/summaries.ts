/**
 * The one sentence each chart says to a screen reader (its accessible name, and its table's caption): pure,
 * so it is unit-tested without drawing anything.
 */
import type { BurnUpPoint, CheckInView, SceneryTrend, SuccessMeasure, TripHistory } from '../../../src/contract';
import { chanceText, formatDate, formatNumber, likelyText } from '../format';

export type BurnUpMeasure = 'count' | 'estimate';

export const scopeOf = (p: BurnUpPoint, m: BurnUpMeasure): number => (m === 'count' ? p.scope : p.scopeEstimate);
export const doneOf = (p: BurnUpPoint, m: BurnUpMeasure): number => (m === 'count' ? p.done : p.doneEstimate);

export interface BurnUpSummaryInput {
  history: Pick<TripHistory, 'burnUp' | 'targetDate' | 'forecast'>;
  checkIns?: readonly CheckInView[];
  name: string;
}

const DAY = 86_400_000;
const dayNumber = (iso: string): number => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / DAY;

export interface TargetPace {
  from: { date: string; value: number };
  to: { date: string; value: number };
  /** Where the line stands on the last point's date, when that is before the target date. */
  now: { date: string; value: number } | null;
}

/**
 * The straight line from what was done on the first day to all of today's scope on the target date: the pace
 * the destination needed to arrive on time. A done line under it is falling behind. `null` without history or
 * when the history starts on or after the target date (no pace to draw).
 */
export function targetPace(history: Pick<TripHistory, 'burnUp' | 'targetDate'>, measure: BurnUpMeasure = 'count'): TargetPace | null {
  const points = history.burnUp.points;
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return null;
  const start = dayNumber(first.date);
  const span = dayNumber(history.targetDate) - start;
  if (span <= 0) return null;
  const from = { date: first.date, value: doneOf(first, measure) };
  const to = { date: history.targetDate, value: scopeOf(last, measure) };
  const elapsed = dayNumber(last.date) - start;
  const now = elapsed < span ? { date: last.date, value: from.value + ((to.value - from.value) * elapsed) / span } : null;
  return { from, to, now };
}

/** The one sentence a screen reader hears for the chart (and the table's caption says the same). */
export function burnUpSummary(props: BurnUpSummaryInput, measure: BurnUpMeasure = 'count'): string {
  const { history, checkIns = [], name } = props;
  const points = history.burnUp.points;
  const unit = measure === 'count' ? 'issues' : 'estimate';
  const first = points[0];
  const last = points[points.length - 1];
  const range = history.forecast.range;
  const parts = [
    first && last
      ? `Burn-up of ${name}: done rose from ${formatNumber(doneOf(first, measure))} to ${formatNumber(doneOf(last, measure))} of ${formatNumber(scopeOf(last, measure))} ${unit} in scope between ${formatDate(first.date)} and ${formatDate(last.date)}`
      : `Burn-up of ${name}: no history yet`,
    `target ${formatDate(history.targetDate)}`,
    paceText(history, measure),
    range ? `today's forecast is ${likelyText(range) ?? 'beyond ten years'}, ${chanceText(range.probabilityByTarget)} by the target date` : 'no forecast range yet',
    checkIns.length > 0 ? `${checkIns.length} ${checkIns.length === 1 ? 'check-in' : 'check-ins'} marked` : null,
  ];
  return `${parts.filter(Boolean).join('; ')}.`;
}

function paceText(history: BurnUpSummaryInput['history'], measure: BurnUpMeasure): string | null {
  const pace = targetPace(history, measure);
  const last = history.burnUp.points[history.burnUp.points.length - 1];
  if (!pace?.now || !last) return null;
  return `the pace to the target needed ${formatNumber(pace.now.value)} done by ${formatDate(pace.now.date)}, ${formatNumber(doneOf(last, measure))} are`;
}

export type Reading = CheckInView & { measure: number };

export const withUnit = (n: number, unit: string): string => `${formatNumber(n, 2)}${unit ? ` ${unit}` : ''}`;

export function measureSummary(measure: SuccessMeasure, readings: readonly Reading[]): string {
  const head = `${measure.name}: baseline ${withUnit(measure.baseline, measure.unit)}, target ${withUnit(measure.target, measure.unit)}`;
  const last = readings[readings.length - 1];
  if (!last) return `${head}; no value given with a check-in yet.`;
  return `${head}; ${readings.length} ${readings.length === 1 ? 'value' : 'values'} from check-ins, the latest ${withUnit(last.measure, measure.unit)} on ${formatDate(last.at)}.`;
}

type ScenerySharedPoint = SceneryTrend['points'][number] & { share: number };

export function scenerySummary(trend: SceneryTrend): string {
  const shared = trend.points.filter((p): p is ScenerySharedPoint => p.share !== null);
  const where = trend.projectKey ? ` in ${trend.projectKey}` : '';
  const first = shared[0];
  const last = shared[shared.length - 1];
  if (!first || !last) return `Off-route share of work in flight${where}: nothing in flight in the last ${trend.points.length === 1 ? 'week' : `${trend.points.length} weeks`}.`;
  return `Off-route share of work in flight${where}, week by week: ${first.share}% in the week to ${formatDate(first.weekEnd)}, ${last.share}% in the week to ${formatDate(last.weekEnd)}.`;
}
