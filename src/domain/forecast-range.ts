/**
 * When will it arrive, and how sure is that? A Monte Carlo over the weeks of the throughput window: each trial
 * replays randomly drawn past weeks until the remaining work is done, which keeps the lumpiness of real
 * delivery (a mean pace hides it). The median of the trials is the forecast date, the 15th to 85th percentile
 * the likely range around it (so the date is inside its range by construction), and the share of trials done
 * by the target date, in whole percent, the chance of arriving on time that the verdict is read from.
 *
 * Pure and deterministic: a seeded generator, so the same inputs always give the same range. When the work
 * left is more than two years of weeks, the sum of that many drawn weeks is close to normal, and the same
 * percentiles are read from the normal approximation instead of simulated (a big destination would
 * otherwise cost hundreds of thousands of draws).
 */
import { addDays, diffDays } from './dates';
import { FORECAST_METHOD, type ForecastRange, type IsoDate } from './types';

export const TRIALS = FORECAST_METHOD.trials;
/** Beyond this many weeks (10 years) a trial counts as never arriving. */
const MAX_WEEKS = 520;
const SIMULATE_UP_TO_WEEKS = 104;

export interface RangeInput {
  /** Done items per week over the window (see `weeklyThroughput`). */
  weekly: readonly number[];
  remaining: number;
  today: IsoDate;
  targetDate: IsoDate;
}

export interface RangeResult {
  /** The median simulated arrival; `null` beyond ten years. */
  forecastDate: IsoDate | null;
  range: ForecastRange;
}

export function forecastRange(input: RangeInput): RangeResult | null {
  const { weekly, remaining, today, targetDate } = input;
  const n = weekly.length;
  const total = weekly.reduce((a, b) => a + b, 0);
  if (remaining <= 0 || n === 0 || total === 0) return null;
  const mean = total / n;
  const daysToTarget = diffDays(today, targetDate);
  const weeksToTarget = daysToTarget < 0 ? -1 : Math.floor(daysToTarget / 7);

  const expectedWeeks = remaining / mean;
  const weeksNeeded = expectedWeeks > SIMULATE_UP_TO_WEEKS ? normalWeeks(weekly, remaining) : simulatedWeeks(weekly, remaining);
  const dateAt = (q: number): IsoDate | null => {
    const weeks = quantile(weeksNeeded.sorted, q);
    return weeks > MAX_WEEKS ? null : addDays(today, weeks * 7);
  };
  const share = weeksToTarget < 0 ? 0 : weeksNeeded.shareWithin(weeksToTarget);
  return {
    forecastDate: dateAt(FORECAST_METHOD.forecast),
    range: {
      likelyFrom: dateAt(FORECAST_METHOD.likelyFrom),
      likelyTo: dateAt(FORECAST_METHOD.likelyTo),
      // Whole percent, so the verdict and every view read the same number (69.95% would show as 70% yet be "at risk").
      probabilityByTarget: Math.round(share * 100) / 100,
      method: weeksNeeded.method,
    },
  };
}

interface WeeksNeeded {
  /** Weeks needed per trial (or at sampled percentiles), ascending. */
  sorted: number[];
  shareWithin(weeks: number): number;
  method: ForecastRange['method'];
}

function simulatedWeeks(weekly: readonly number[], remaining: number): WeeksNeeded {
  const random = mulberry32(seedOf(weekly, remaining));
  const sorted: number[] = [];
  for (let t = 0; t < TRIALS; t++) {
    let done = 0;
    let weeks = 0;
    while (done < remaining && weeks <= MAX_WEEKS) {
      done += weekly[Math.floor(random() * weekly.length)] ?? 0;
      weeks++;
    }
    sorted.push(weeks);
  }
  sorted.sort((a, b) => a - b);
  return {
    sorted,
    shareWithin: (w) => countAtMost(sorted, w) / sorted.length,
    method: 'monte carlo',
  };
}

/** The weeks at which the cumulative throughput reaches `remaining`, for a normal sum of drawn weeks. */
function normalWeeks(weekly: readonly number[], remaining: number): WeeksNeeded {
  const n = weekly.length;
  const mean = weekly.reduce((a, b) => a + b, 0) / n;
  const variance = weekly.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  const sd = Math.sqrt(variance);
  // P(done within w weeks) = P(sum of w weeks ≥ remaining) = Φ((w·mean − remaining) / (sd·√w)).
  const shareWithin = (w: number): number => (w <= 0 ? 0 : sd === 0 ? (w * mean >= remaining ? 1 : 0) : phi((w * mean - remaining) / (sd * Math.sqrt(w))));
  // Percentiles as the first week whose probability reaches them (probability grows with w).
  const firstWeekReaching = (p: number): number => {
    let lo = 1;
    let hi = MAX_WEEKS + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (shareWithin(mid) >= p) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  // A 101-point ladder of percentiles stands in for sorted trials.
  const sorted = Array.from({ length: 101 }, (_, i) => firstWeekReaching(Math.min(0.999, Math.max(0.001, i / 100))));
  return { sorted, shareWithin, method: 'normal approximation' };
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] ?? 0;
}

function countAtMost(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
function phi(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function seedOf(weekly: readonly number[], remaining: number): number {
  let h = 2166136261 ^ remaining;
  for (const w of weekly) h = Math.imul(h ^ w, 16777619);
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
