/**
 * Throughput history kept in weekly buckets: done children per calendar week (Monday to Sunday, UTC), keyed by
 * the week's number since Monday 1969-12-29. A year of history is then at most 54 small numbers per epic, where
 * per-day counts took up to 371 (stored values are limited in bytes; see docs/decisions/0013-storage-within-limits.md).
 *
 * The forecast window is the `weeks` calendar weeks ending with the current one, which is counted though only
 * partly gone (so work done today counts at once). Before, the window was the 7-day spans ending today; the
 * two agree when today is a Sunday, and otherwise the calendar window reaches back fewer days (up to six).
 */
import type { IsoDate } from './types';

const DAY_MS = 86_400_000;
/** Buckets kept: the longest throughput window the settings allow (52 weeks), the current week and one more. */
export const DONE_HISTORY_WEEKS = 54;

/** The number of the calendar week (Monday first, UTC) that holds `date`. */
export function weekOf(date: IsoDate): number {
  return weekOfDay(Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS));
}

/** The week of a day given as days since 1970-01-01 (how a stored child mark keeps its done day). */
export function weekOfDay(day: number): number {
  // 1970-01-01 was a Thursday: three days after the Monday that starts week 0.
  return Math.floor((day + 3) / 7);
}

/** Done items per calendar week over the `weeks` weeks ending with today's, oldest first, summed over epics. */
export function weeklyCounts(buckets: ReadonlyArray<Record<string, number> | undefined>, today: IsoDate, weeks: number): number[] {
  const last = weekOf(today);
  const counts = new Array<number>(weeks).fill(0);
  for (const bucket of buckets) {
    for (const week in bucket) {
      const ago = last - Number(week);
      if (ago < 0 || ago >= weeks) continue;
      counts[weeks - 1 - ago] = (counts[weeks - 1 - ago] ?? 0) + (bucket[week] ?? 0);
    }
  }
  return counts;
}
