/**
 * A destination's burn-up reconstructed from Jira's own dates: scope by each issue's creation date, done by
 * its resolution date. It is complete on the first day after install, because Jira already holds both
 * dates; what it cannot know is said in `BURN_UP_LIMITS`, so the UI can say it next to the chart.
 *
 * Pure: the issues and the dates are arguments. One pass over sorted dates, so a destination of 20,000
 * issues over two years costs the same as a sort.
 */
import { addDays, diffDays, startOfWeek } from './dates';
import type { IsoDate } from './types';

/** One issue as the burn-up needs it. */
export interface BurnUpIssue {
  created: IsoDate;
  /** The day Jira resolved it (`null` while unresolved). */
  resolved: IsoDate | null;
  /** Estimate in the site's measure, `null` when unestimated. */
  estimate: number | null;
}

/** The burn-up on one day: scope and done, by count and by estimate, as of the end of that day. */
export interface BurnUpPoint {
  date: IsoDate;
  scope: number;
  done: number;
  scopeEstimate: number;
  doneEstimate: number;
}

export type BurnUpStep = 'day' | 'week';

/**
 * What a burn-up reconstructed from created and resolution dates cannot know. Shown with the chart and its
 * table: a leader reading a flat line must know whether it is history or a blind spot.
 */
export const BURN_UP_LIMITS = [
  'Issues count from the day they were created, even if they joined this destination later (moved between epics, or their epic was aligned later).',
  'Issues removed from the destination or deleted are not shown in past weeks.',
  'An issue reopened and resolved again counts as done from its latest resolution only.',
] as const;

/** The most points one chart carries (two years of weeks, or about three months of days). */
export const MAX_BURN_UP_POINTS = 105;

/**
 * The burn-up from `from` to `to` (both included), one point per day or per week (each week's point is its
 * last day, the last point is always `to`). An issue resolved before it was created (bad data) counts as
 * done on its creation day; a resolution after `to` is not done yet.
 */
export function burnUp(issues: readonly BurnUpIssue[], from: IsoDate, to: IsoDate, step: BurnUpStep): BurnUpPoint[] {
  if (diffDays(from, to) < 0) return [];
  const dates = pointDates(from, to, step);
  const created = issues.map((i) => ({ day: i.created, estimate: i.estimate ?? 0 })).sort(byDay);
  const resolved = issues
    .filter((i): i is BurnUpIssue & { resolved: IsoDate } => i.resolved !== null)
    .map((i) => ({ day: i.resolved < i.created ? i.created : i.resolved, estimate: i.estimate ?? 0 }))
    .sort(byDay);
  const points: BurnUpPoint[] = [];
  let c = 0;
  let r = 0;
  let scope = 0;
  let scopeEstimate = 0;
  let done = 0;
  let doneEstimate = 0;
  for (const date of dates) {
    for (; c < created.length && (created[c] as Dated).day <= date; c++) {
      scope += 1;
      scopeEstimate += (created[c] as Dated).estimate;
    }
    for (; r < resolved.length && (resolved[r] as Dated).day <= date; r++) {
      done += 1;
      doneEstimate += (resolved[r] as Dated).estimate;
    }
    points.push({ date, scope, done, scopeEstimate: round(scopeEstimate), doneEstimate: round(doneEstimate) });
  }
  return points;
}

/** The step that keeps a range within `MAX_BURN_UP_POINTS`: days for short ranges, weeks otherwise. */
export function stepFor(from: IsoDate, to: IsoDate): BurnUpStep {
  return diffDays(from, to) + 1 <= MAX_BURN_UP_POINTS ? 'day' : 'week';
}

/** Where a destination's chart starts: its start date, else its first issue's creation, at most two years back. */
export function burnUpStart(issues: readonly BurnUpIssue[], today: IsoDate, startDate?: IsoDate): IsoDate {
  const earliest = addDays(today, -(2 * 52 * 7 - 1));
  let first = startDate ?? today;
  if (startDate === undefined) for (const i of issues) if (i.created < first) first = i.created;
  return first < earliest ? earliest : first;
}

interface Dated {
  day: IsoDate;
  estimate: number;
}

function byDay(a: Dated, b: Dated): number {
  return a.day < b.day ? -1 : a.day > b.day ? 1 : 0;
}

function pointDates(from: IsoDate, to: IsoDate, step: BurnUpStep): IsoDate[] {
  if (step === 'day') return Array.from({ length: diffDays(from, to) + 1 }, (_, i) => addDays(from, i));
  const out: IsoDate[] = [];
  // The Sunday ending each ISO week that overlaps the range, then `to` itself.
  for (let end = addDays(startOfWeek(from), 6); end < to; end = addDays(end, 7)) out.push(end);
  out.push(to);
  return out;
}

/** Estimates are sums of user-entered decimals: keep two places so 0.1 + 0.2 reads 0.3. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
