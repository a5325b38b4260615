/** How fresh stored figures are, and whether anything says they may be behind Jira. */
import type { Freshness } from './types';

/** The daily recalculation should have run; after this long without one the figures are called stale. */
const MAX_RECONCILE_AGE_MS = 36 * 60 * 60 * 1000;

/** What freshness reads of the stored rollups. */
export interface StoredState {
  head: { builtFrom: string; finishedAt: string; estimateKey: string };
  /** Newest `at` among the deltas applied on top of the generation (ms). */
  newestDeltaAt?: number;
  /** Oldest issue change waiting for a retry (ISO). */
  pendingSince?: string;
}

/** `estimateKey` is the measure the settings ask for now (`undefined` when it could not be read). */
export function freshnessOf(stored: StoredState, now: Date, recalculating: boolean, estimateKey: string | undefined): Freshness {
  const reconciledAt = stored.head.builtFrom;
  const newest = Math.max(Date.parse(reconciledAt), stored.newestDeltaAt ?? 0);
  const updatedAt = new Date(newest).toISOString();
  const reasons: string[] = [];
  if (stored.pendingSince !== undefined) {
    reasons.push(`Some changes made in Jira since ${stored.pendingSince} could not be applied yet (Jira or storage did not answer); the app keeps retrying.`);
  }
  if (estimateKey !== undefined && estimateKey !== stored.head.estimateKey) {
    reasons.push('The estimate setting changed since the last recalculation: estimate figures use the previous measure until it runs again.');
  }
  if (now.getTime() - Date.parse(stored.head.finishedAt) > MAX_RECONCILE_AGE_MS) {
    reasons.push(`The last full recalculation finished ${stored.head.finishedAt}; the daily one has not run since.`);
  }
  const freshness: Freshness = {
    source: 'stored',
    reconciledAt,
    updatedAt,
    ageSeconds: Math.max(0, Math.round((now.getTime() - newest) / 1000)),
    stale: reasons.length > 0,
    recalculating,
  };
  if (reasons.length > 0) freshness.staleReason = reasons.join(' ');
  if (stored.pendingSince !== undefined) freshness.pendingSince = stored.pendingSince;
  return freshness;
}

/** The answer before any rollup is stored: no figures yet, and how far the first recalculation has got. */
export function calculatingFreshness(now: Date, calculation: { progress: number; items: number }): Freshness {
  return {
    source: 'calculating',
    reconciledAt: null,
    updatedAt: now.toISOString(),
    ageSeconds: 0,
    stale: true,
    staleReason: `The first full calculation is running in the background (${calculation.items.toLocaleString('en')} issues read so far); figures appear when it finishes.`,
    recalculating: true,
    calculation,
  };
}
