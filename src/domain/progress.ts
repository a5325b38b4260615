/**
 * Progress of a set of work items, bucketed by status category and measured twice: by count and by
 * estimate. An unestimated item still counts in `count` and is tallied in `estimate.unestimated`, so the
 * estimate figures never hide work that nobody sized.
 */
import type { Progress, WorkItem } from './types';

/**
 * The largest estimate one issue may carry (story points, or hours for an original estimate). Anything
 * above it, negative, or not a finite number is not a usable estimate and counts as unestimated. With every
 * item bounded, no sum the app makes can reach Infinity (which JSON would turn into `null`).
 */
export const ESTIMATE_MAX = 1_000_000;

/** The estimate as a number the sums can use, or `null` when there is none or it is out of bounds. */
export function sizedEstimate(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= ESTIMATE_MAX ? value : null;
}

export function emptyProgress(): Progress {
  return {
    count: { new: 0, indeterminate: 0, done: 0, total: 0 },
    estimate: { new: 0, indeterminate: 0, done: 0, total: 0, unestimated: 0 },
  };
}

export function progressOf(items: readonly WorkItem[]): Progress {
  const progress = emptyProgress();
  for (const item of items) addItem(progress, item);
  return progress;
}

/** Adds one item to `progress` in place; lets a rollup accumulate in one pass without building arrays. */
export function addItem(progress: Progress, item: WorkItem): void {
  const category = item.statusCategory;
  progress.count[category] += 1;
  progress.count.total += 1;
  // A NaN, Infinity or absurd value from a badly mapped field would poison every sum above it: unsized.
  const estimate = sizedEstimate(item.estimate);
  if (estimate !== null) {
    progress.estimate[category] += estimate;
    progress.estimate.total += estimate;
  } else {
    progress.estimate.unestimated += 1;
  }
}

export function sumProgress(parts: readonly Progress[]): Progress {
  const sum = emptyProgress();
  for (const p of parts) {
    sum.count.new += p.count.new;
    sum.count.indeterminate += p.count.indeterminate;
    sum.count.done += p.count.done;
    sum.count.total += p.count.total;
    sum.estimate.new += p.estimate.new;
    sum.estimate.indeterminate += p.estimate.indeterminate;
    sum.estimate.done += p.estimate.done;
    sum.estimate.total += p.estimate.total;
    sum.estimate.unestimated += p.estimate.unestimated;
  }
  return sum;
}

/** `part`'s share of `whole` by count and by estimate, each 0..1 (0 when the whole is empty). */
export function shareOf(part: Progress, whole: Progress): { count: number; estimate: number } {
  return {
    count: ratio(part.count.total, whole.count.total),
    estimate: ratio(part.estimate.total, whole.estimate.total),
  };
}

export function ratio(part: number, whole: number): number {
  return whole > 0 ? Math.min(1, Math.max(0, part / whole)) : 0;
}
