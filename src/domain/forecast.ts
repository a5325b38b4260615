/**
 * Will a destination arrive on time? A forecast from recent throughput, in whole UTC days.
 *
 * Rules, in order:
 * 1. `total = 0` → `no data` (nothing to forecast).
 * 2. `remaining = 0` → `arrived`.
 * 3. Throughput = done items resolved in the last `windowWeeks` weeks (the `7 × windowWeeks` days ending
 *    today, today included; or, from stored weekly buckets, the calendar weeks ending with today's) ÷ `windowWeeks`. When it is 0 → `no data` ("no work finished in the last N weeks").
 * 4. Otherwise the arrivals simulated from those weeks (`forecast-range.ts`) give the forecast date (their
 *    median), the likely range around it, and the chance of arriving by the target date; the verdict is read
 *    from that chance alone (`verdictOf`), so the lozenge, the date and the chance always tell one story.
 */
import { dateOf, diffDays } from './dates';
import { forecastRange } from './forecast-range';
import type { ChanceThresholds, Forecast, IsoDate, Verdict } from './types';

export interface ForecastInput {
  /** Resolution dates (ISO dates or instants) of the done items of the destination's epics. */
  doneDates?: readonly string[];
  /**
   * Or done items per week already counted, oldest first, `windowWeeks` of them (the stored rollups keep
   * weekly buckets: `weeklyCounts` in throughput-weeks.ts). Takes precedence over `doneDates`.
   */
  weekly?: readonly number[];
  /** Items not done (new + in progress). */
  remaining: number;
  /** All items. */
  total: number;
  targetDate: IsoDate;
  today: IsoDate;
  windowWeeks: number;
  thresholds: ChanceThresholds;
}

/** The verdict for a chance (0..1) of arriving by the target date: the one rule, shared by every view. */
export function verdictOf(probability: number, thresholds: ChanceThresholds): Extract<Verdict, 'on track' | 'at risk' | 'off track'> {
  const percent = Math.round(probability * 100);
  if (percent >= thresholds.onTrackChance) return 'on track';
  if (percent >= thresholds.atRiskChance) return 'at risk';
  return 'off track';
}

export function forecast(input: ForecastInput): Forecast {
  const { remaining, total, targetDate, today, windowWeeks, thresholds } = input;
  const weeks = input.weekly ? [...input.weekly] : weeklyThroughput(input.doneDates ?? [], today, windowWeeks);
  const doneInWindow = weeks.reduce((a, b) => a + b, 0);
  const base = { remaining, windowWeeks, throughputPerWeek: doneInWindow / windowWeeks, forecastDate: null, daysEarly: null, daysLate: null };

  if (total === 0) {
    return { ...base, verdict: 'no data', reason: 'No work items yet, so there is nothing to forecast.' };
  }
  if (remaining === 0) {
    return { ...base, verdict: 'arrived', reason: `All ${total} ${plural(total, 'item')} are done.` };
  }
  const simulated = forecastRange({ weekly: weeks, remaining, today, targetDate });
  if (doneInWindow === 0 || simulated === null) {
    return {
      ...base,
      verdict: 'no data',
      reason: `No work finished in the last ${windowWeeks} ${plural(windowWeeks, 'week')}, so there is no pace to forecast from.`,
    };
  }

  const { forecastDate, range } = simulated;
  const verdict = verdictOf(range.probabilityByTarget, thresholds);
  const late = forecastDate === null ? null : diffDays(targetDate, forecastDate);
  const pace = `At ${rate(base.throughputPerWeek)} ${plural(base.throughputPerWeek, 'item')} a week (last ${windowWeeks} ${plural(windowWeeks, 'week')})`;
  const when = forecastDate === null
    ? `the ${remaining} remaining ${plural(remaining, 'item')} would take more than ten years`
    : `the ${remaining} remaining ${plural(remaining, 'item')} most likely finish by ${forecastDate}${likelyText(range.likelyFrom, range.likelyTo)}, ${offsetText(late ?? 0)} the target ${targetDate}`;
  const rule = verdict === 'on track'
    ? `on track from ${thresholds.onTrackChance}%`
    : verdict === 'at risk'
      ? `at risk below ${thresholds.onTrackChance}%`
      : `off track below ${thresholds.atRiskChance}%`;
  return {
    ...base,
    verdict,
    forecastDate,
    daysEarly: late === null ? null : Math.max(0, -late),
    daysLate: late === null ? null : Math.max(0, late),
    range,
    reason: `${pace}, ${when}: ${chanceWords(range.probabilityByTarget)} of arriving by the target (${rule}).`,
  };
}

function likelyText(from: IsoDate | null, to: IsoDate | null): string {
  if (from === null || from === to) return '';
  return to === null ? ` (likely after ${from})` : ` (likely between ${from} and ${to})`;
}

function offsetText(late: number): string {
  if (late === 0) return 'on';
  return late > 0 ? `${late} ${plural(late, 'day')} after` : `${-late} ${plural(-late, 'day')} before`;
}

function chanceWords(probability: number): string {
  const percent = Math.round(probability * 100);
  return percent === 0 ? 'almost no chance' : percent === 100 ? 'almost certain' : `a ${percent}% chance`;
}

/**
 * Done items per week over the last `windowWeeks` weeks, oldest week first. Weeks are the 7-day spans
 * ending today (not calendar weeks), so the newest week is always a full week and today counts in it.
 * Unreadable dates and dates after today are ignored.
 */
export function weeklyThroughput(doneDates: readonly string[], today: IsoDate, windowWeeks: number): number[] {
  const weeks = new Array<number>(windowWeeks).fill(0);
  for (const raw of doneDates) {
    const date = dateOf(raw);
    if (date === null) continue;
    const ago = diffDays(date, today);
    if (ago < 0) continue;
    const weeksAgo = Math.floor(ago / 7);
    if (weeksAgo < windowWeeks) weeks[windowWeeks - 1 - weeksAgo] = (weeks[windowWeeks - 1 - weeksAgo] ?? 0) + 1;
  }
  return weeks;
}

function rate(perWeek: number): string {
  return String(Math.round(perWeek * 10) / 10);
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}
