/**
 * Pure ISO calendar-date helpers. Every calculation is done in UTC on whole days, so a forecast computed
 * in Sydney and one computed in California agree, and nothing here reads the clock: "today" is always an
 * argument.
 */
import type { IsoDate } from './types';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// Jira writes instants like `2026-11-20T10:15:30.000+0100`; the offset without a colon is not ISO 8601.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (so `2026-02-30` and `2026-2-3` are refused). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to 2026-03-02; a real date survives the round trip unchanged.
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

/** The UTC calendar date of an ISO date or instant (a Jira resolution date), or `null` when unreadable. */
export function dateOf(value: unknown): IsoDate | null {
  if (isIsoDate(value)) return value;
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) return null;
  const ms = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : fromUtcMs(ms);
}

/** `date` moved by `days` (negative moves back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to`: positive when `to` is later. */
export function diffDays(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** Whole weeks from `from` to `to`, rounded toward zero (6 days is 0 weeks, 7 days is 1). */
export function weeksBetween(from: IsoDate, to: IsoDate): number {
  return Math.trunc(diffDays(from, to) / 7);
}

/** The Monday of the ISO week holding `date`. */
export function startOfWeek(date: IsoDate): IsoDate {
  const weekday = new Date(toUtcMs(date)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

function toUtcMs(date: IsoDate): number {
  if (!isIsoDate(date)) throw new Error(`Not an ISO calendar date: ${String(date)}`); // a bug, not user input
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** The UTC calendar day of an instant (ms). */
export function fromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}
