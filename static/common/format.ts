/**
 * Formatting in the user's locale (from the Forge context). Each `Intl` formatter is built once per locale
 * and options and reused: building one costs far more than using it (the first relative-time formatter of a
 * page loads its locale data), and a table of 25 rows formats hundreds of values. `setLocale` builds the
 * common ones at start, while the surface's first data is still on its way, so the first date shown costs
 * no more than any other.
 */
import type { Forecast, ForecastRange } from '../../src/contract';

let currentLocale: string | undefined;

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

/** The formatter of `kind` with `options` in the current locale, built on first use. */
function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(
  kind: 'date' | 'number' | 'relative',
  options: object,
  build: (locale: string | undefined) => T,
): T {
  const id = `${kind}|${currentLocale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(id) as T | undefined;
  if (!f) {
    f = build(currentLocale);
    formatters.set(id, f);
  }
  return f;
}

const DATE = { dateStyle: 'medium', timeZone: 'UTC' } as const;
const INSTANT = { dateStyle: 'medium', timeStyle: 'short' } as const;
const RELATIVE = { numeric: 'auto' } as const;
const dateFormat = () => formatter('date', DATE, (l) => new Intl.DateTimeFormat(l, DATE));
const instantFormat = () => formatter('date', INSTANT, (l) => new Intl.DateTimeFormat(l, INSTANT));
const relativeFormat = () => formatter('relative', RELATIVE, (l) => new Intl.RelativeTimeFormat(l, RELATIVE));
const numberFormat = (options: Intl.NumberFormatOptions) => formatter('number', options, (l) => new Intl.NumberFormat(l, options));

/** Forge gives locales as `en_US`; `Intl` wants `en-US`. Builds the formatters every surface uses at once. */
export function setLocale(locale: string | undefined): void {
  const tag = locale?.replace('_', '-');
  try {
    currentLocale = tag ? Intl.getCanonicalLocales(tag)[0] : undefined;
  } catch {
    currentLocale = undefined;
  }
  // Used once here so each has loaded its locale data before the first screen needs it.
  dateFormat().format(0);
  relativeFormat().format(-1, 'minute');
  numberFormat({ maximumFractionDigits: 0 }).format(1);
}

export const getLocale = (): string | undefined => currentLocale;

/** An ISO calendar date (`2026-12-01`) as the user reads dates; calendar dates have no time zone. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat().format(d);
}

/** An instant (`2026-12-01T14:05:00Z`) as the reader's local date and time, for times to come. */
export function formatInstant(isoInstant: string): string {
  const d = new Date(isoInstant);
  if (Number.isNaN(d.getTime())) return isoInstant;
  return instantFormat().format(d);
}

/** A backend sentence with ISO dates (`2027-02-02`) shown with dates in the reader's locale. */
export function localiseDates(text: string): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => formatDate(iso));
}

/** "72% chance", with the extremes said plainly rather than as 0% or 100% of a simulation. */
export function chanceText(probability: number): string {
  if (probability >= 0.995) return 'almost certain';
  if (probability <= 0.005) return 'almost no chance';
  return `${formatPercent(probability)} chance`;
}

/** "likely between Jan 20 and Feb 10", in the reader's locale; `null` when there is no likely date. */
export function likelyText(range: Pick<ForecastRange, 'likelyFrom' | 'likelyTo'>): string | null {
  if (!range.likelyFrom) return null;
  if (!range.likelyTo) return `likely after ${formatDate(range.likelyFrom)}`;
  if (range.likelyFrom === range.likelyTo) return `likely on ${formatDate(range.likelyFrom)}`;
  return `likely between ${formatDate(range.likelyFrom)} and ${formatDate(range.likelyTo)}`;
}

/** "134 days early", "9 days late" or "on the target date"; `null` without a forecast date. */
export function offsetText(forecast: Pick<Forecast, 'daysEarly' | 'daysLate'>): string | null {
  const { daysEarly, daysLate } = forecast;
  if (daysEarly === null || daysLate === null) return null;
  if (daysLate > 0) return `${daysLate} ${daysLate === 1 ? 'day' : 'days'} late`;
  if (daysEarly > 0) return `${daysEarly} ${daysEarly === 1 ? 'day' : 'days'} early`;
  return 'on the target date';
}

/** Phrases joined by "; " as one sentence: first letter upper case, a full stop at the end. */
export function sentence(phrases: ReadonlyArray<string | null>): string {
  const text = phrases.filter((p): p is string => !!p).join('; ');
  return text ? `${text.charAt(0).toUpperCase()}${text.slice(1)}.` : '';
}

export function formatPercent(share: number, digits = 0): string {
  return numberFormat({ style: 'percent', maximumFractionDigits: digits }).format(Number.isFinite(share) ? share : 0);
}

export function formatNumber(n: number, digits = 1): string {
  return numberFormat({ maximumFractionDigits: digits }).format(n);
}

/** "3 minutes ago" for an ISO instant, relative to `now`. */
export function formatAge(isoInstant: string, now: number = Date.now()): string {
  const then = Date.parse(isoInstant);
  if (Number.isNaN(then)) return isoInstant;
  const seconds = Math.round((then - now) / 1000);
  const rtf = relativeFormat();
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

const NUMERIC_DATE = { year: 'numeric', month: 'numeric', day: 'numeric' } as const;

/**
 * Parse a date a person typed: ISO (`2027-02-15`) or the numeric order of their locale (`2/15/2027` in
 * en-US, `15/02/2027` in en-GB). Returns an invalid Date when it cannot.
 */
export function parseTypedDate(text: string): Date {
  const t = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  const parts = iso ? [iso[1], iso[2], iso[3]] : t.split(/[^\d]+/).filter(Boolean);
  if (parts.length !== 3) return new Date(Number.NaN);
  let order: string[] = ['year', 'month', 'day'];
  if (!iso) {
    order = formatter('date', NUMERIC_DATE, (l) => new Intl.DateTimeFormat(l, NUMERIC_DATE))
      .formatToParts(new Date(Date.UTC(2001, 10, 22)))
      .map((p) => p.type)
      .filter((k) => k === 'year' || k === 'month' || k === 'day');
  }
  const get = (k: string) => Number(parts[order.indexOf(k)]);
  let y = get('year');
  if (y < 100) y += 2000;
  const m = get('month');
  const d = get('day');
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d ? date : new Date(Number.NaN);
}
