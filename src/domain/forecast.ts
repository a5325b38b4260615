/**
 * Will a destination arrive on time? A forecast from recent throughput, in whole UTC days.
 *
 * Rules, in order:
 * 1. `total = 0` → `no data` (nothing to forecast).
 * 2. `remaining = 0` → `arrived`.
 * 3. Throughput = done items resolved in the last `windowWeeks` weeks (the `7 × windowWeeks` days ending
 *    today, today included) ÷ `windowWeeks`. When it is 0 → `no data` ("no work finished in the last N weeks").
 * 4. Forecast date = today + ceil(remaining ÷ throughput × 7) days.
 *    Pessimistic date: the same at the mean rate of the slower half of the weeks (the ceil(N/2) weeks with
 *    the fewest done items). We use the slower half's mean rather than the median because with lumpy
 *    delivery the median is often 0, which would call almost every destination at risk.
 * 5. `on track` when both dates are on or before the target date;
 *    `at risk` when the forecast date is on or before the target but the pessimistic one is later (or the
 *    slower half finished nothing), or when the forecast date is at most 14 days after the target;
 *    `off track` otherwise.
 */
import { addDays, dateOf, diffDays } from './dates';
import { forecastRange } from './forecast-range';
import type { Forecast, IsoDate } from './types';

/** How late the mean forecast may be and still count as `at risk` rather than `off track`. */
export const AT_RISK_GRACE_DAYS = 14;

export interface ForecastInput {
  /** Resolution dates (ISO dates or instants) of the done items of the destination's epics. */
  doneDates: readonly string[];
  /** Items not done (new + in progress). */
  remaining: number;
  /** All items. */
  total: number;
  targetDate: IsoDate;
  today: IsoDate;
  windowWeeks: number;
}

export function forecast(input: ForecastInput): Forecast {
  const { remaining, total, targetDate, today, windowWeeks } = input;
  const weeks = weeklyThroughput(input.doneDates, today, windowWeeks);
  const doneInWindow = weeks.reduce((a, b) => a + b, 0);
  const base = { remaining, windowWeeks, throughputPerWeek: doneInWindow / windowWeeks };

  if (total === 0) {
    return { ...base, verdict: 'no data', forecastDate: null, pessimisticDate: null, reason: 'No work items yet, so there is nothing to forecast.' };
  }
  if (remaining === 0) {
    return { ...base, verdict: 'arrived', forecastDate: null, pessimisticDate: null, reason: `All ${total} ${plural(total, 'item')} are done.` };
  }
  if (doneInWindow === 0) {
    return {
      ...base,
      verdict: 'no data',
      forecastDate: null,
      pessimisticDate: null,
      reason: `No work finished in the last ${windowWeeks} ${plural(windowWeeks, 'week')}, so there is no pace to forecast from.`,
    };
  }

  // Days are computed from integer counts (remaining × 7 × weeks ÷ done) so rounding never adds a day.
  const forecastDate = addDays(today, Math.ceil((remaining * 7 * windowWeeks) / doneInWindow));
  const slower = [...weeks].sort((a, b) => a - b).slice(0, Math.ceil(weeks.length / 2));
  const doneInSlower = slower.reduce((a, b) => a + b, 0);
  const pessimisticDate = doneInSlower === 0 ? null : addDays(today, Math.ceil((remaining * 7 * slower.length) / doneInSlower));

  const pace = `At ${rate(base.throughputPerWeek)} ${plural(base.throughputPerWeek, 'item')} a week (last ${windowWeeks} ${plural(windowWeeks, 'week')}), the ${remaining} remaining ${plural(remaining, 'item')} finish by ${forecastDate}`;
  const slowPace = pessimisticDate === null
    ? `the slower half of the weeks finished nothing`
    : `at the slower pace of ${rate(doneInSlower / slower.length)} a week they finish by ${pessimisticDate}`;
  const late = diffDays(targetDate, forecastDate);
  const range = forecastRange({ weekly: weeks, remaining, today, targetDate });
  const result = { ...base, forecastDate, pessimisticDate, range };

  if (late <= 0 && pessimisticDate !== null && pessimisticDate <= targetDate) {
    return { ...result, verdict: 'on track', reason: `${pace}, on or before the target ${targetDate}; even ${slowPace}.` };
  }
  if (late <= 0) {
    return { ...result, verdict: 'at risk', reason: `${pace}, on or before the target ${targetDate}, but ${slowPace}.` };
  }
  if (late <= AT_RISK_GRACE_DAYS) {
    return { ...result, verdict: 'at risk', reason: `${pace}, ${late} ${plural(late, 'day')} after the target ${targetDate} (within ${AT_RISK_GRACE_DAYS} days).` };
  }
  return { ...result, verdict: 'off track', reason: `${pace}, ${late} days after the target ${targetDate}.` };
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
