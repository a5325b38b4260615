/** When a recalculation counts as going, how far it is, and when it should end: one rule for every service that asks (and the screens that say so). */

/** A run not heard from for this long is considered dead; a new start may replace it. */
export const STALLED_RUN_MS = 20 * 60 * 1000;

/** Share of Jira's hourly points quota background work leaves to people's page views (it stops there). */
export const BACKGROUND_QUOTA_RESERVE = 0.05;

/**
 * Whether a run is going: neither finished nor failed, and heard from within `STALLED_RUN_MS` of `nowMs`. A run
 * waiting for Jira's quota is going until `STALLED_RUN_MS` past the time it waits for, however long that is.
 */
export function runIsActive(run: { phase: string; updatedAt: string; waitingUntil?: string } | undefined, nowMs: number): boolean {
  if (run === undefined || run.phase === 'done' || run.phase === 'failed') return false;
  if (nowMs - Date.parse(run.updatedAt) < STALLED_RUN_MS) return true;
  return run.waitingUntil !== undefined && nowMs - Date.parse(run.waitingUntil) < STALLED_RUN_MS;
}

/** Progress 0..1 of the phases other than `children` (a failed or absent run is at 0). */
const PHASE_PROGRESS: Record<string, number> = { epics: 0.05, orphans: 0.92, finalize: 0.96, done: 1 };

/** Progress 0..1: listing epics is a tenth of the work, children batches most of it, the rest the end. */
export function runProgress(run: { phase: string; partitions: number; partitionsDone: readonly number[] } | undefined): number {
  if (run?.phase === 'children') return 0.1 + 0.8 * (run.partitions === 0 ? 1 : run.partitionsDone.length / run.partitions);
  return (run && PHASE_PROGRESS[run.phase]) ?? 0;
}

/** Jira's points for what a run has read: 1 a request plus 1 per object returned (epics and issues). */
export function runPoints(run: { requests: number; epics: number; items: number }): number {
  return run.requests + run.epics + run.items;
}

/** What the estimate of a run's end needs (kept on the run as it goes). */
export interface RunPace {
  phase: string;
  partitions: number;
  partitionsDone: readonly number[];
  /** Points spent by the children batches done so far. */
  childPoints: number;
  /** Points spent in all (`runPoints`). */
  points: number;
  /** Time spent working, waits for the quota left out. */
  workMs: number;
  /** When the run waits for Jira's quota, the time it waits for. */
  waitingUntil?: number;
  /** Jira's quota as last seen: points a window, the window, what was left, and when it resets. */
  quota?: { limit: number; windowSeconds: number; remaining: number; resetAt: number };
}

/**
 * When a run should end, epoch ms, or undefined before there is anything to go by (no batch of children read
 * yet). The points still needed are the points per batch so far times the batches left; they are spent at
 * the pace seen so far, but never faster than the quota allows: what is left of this hour (less the reserve
 * for page views), then a full hour's worth per hour.
 */
export function estimateFinish(pace: RunPace, nowMs: number): number | undefined {
  if (pace.phase === 'done' || pace.phase === 'failed') return undefined;
  const done = pace.phase === 'children' ? pace.partitionsDone.length : pace.phase === 'epics' ? 0 : pace.partitions;
  if (done === 0 && pace.partitions > 0) return undefined;
  const left = done === 0 ? 0 : (pace.childPoints / done) * (pace.partitions - done);
  const perMs = pace.workMs > 0 && pace.points > 0 ? pace.points / pace.workMs : undefined;
  if (perMs === undefined) return undefined;
  let at = Math.max(nowMs, pace.waitingUntil ?? 0);
  let need = left;
  const q = pace.quota;
  if (q && q.limit > 0) {
    const usable = q.limit * (1 - BACKGROUND_QUOTA_RESERVE);
    const reserve = q.limit * BACKGROUND_QUOTA_RESERVE;
    const windowMs = q.windowSeconds * 1000;
    let resetAt = q.resetAt;
    while (resetAt <= at) resetAt += windowMs;
    const nowAvailable = pace.waitingUntil !== undefined && pace.waitingUntil > nowMs ? usable : Math.max(0, q.remaining - reserve);
    if (need > nowAvailable) {
      need -= nowAvailable;
      at = resetAt;
      const hours = Math.floor(need / usable);
      at += hours * windowMs;
      need -= hours * usable;
    }
  }
  return Math.round(at + need / perMs);
}

/** An epic range `[from, to)` of the run's epic list: what one children batch reads. */
export type EpicRange = [number, number];

/** The epics batch `index` reads: its own range once batches were split, else a slice of `partitionSize`. */
export function batchRange(run: { epics: number; ranges?: readonly EpicRange[] }, index: number, partitionSize: number): EpicRange {
  return run.ranges?.[index] ?? [index * partitionSize, Math.min((index + 1) * partitionSize, run.epics)];
}

/**
 * Batches after an hour of Jira's quota ended with none of them finished. A batch is saved only when all of
 * its children are read, so a batch dearer than what an hour leaves would start over every hour and the run
 * would never end: every batch not done is halved (the new halves take indices after the last), down to one
 * epic. Done batches keep their index and range, so what they wrote stays valid.
 */
export function splitPendingBatches(run: { epics: number; partitions: number; partitionsDone: readonly number[]; ranges?: readonly EpicRange[] }, partitionSize: number): EpicRange[] {
  const done = new Set(run.partitionsDone);
  const ranges = Array.from({ length: run.partitions }, (_, i) => batchRange(run, i, partitionSize));
  for (let i = 0, n = ranges.length; i < n; i++) {
    const [from, to] = ranges[i] as EpicRange;
    if (done.has(i) || to - from < 2) continue;
    const mid = from + Math.ceil((to - from) / 2);
    ranges[i] = [from, mid];
    ranges.push([mid, to]);
  }
  return ranges;
}
