/** When a recalculation counts as going: one rule for every service that asks (and the screens that say so). */

/** A run not heard from for this long is considered dead; a new start may replace it. */
export const STALLED_RUN_MS = 20 * 60 * 1000;

/** Whether a run is going: neither finished nor failed, and heard from within `STALLED_RUN_MS` of `nowMs`. */
export function runIsActive(run: { phase: string; updatedAt: string } | undefined, nowMs: number): boolean {
  return run !== undefined && run.phase !== 'done' && run.phase !== 'failed' && nowMs - Date.parse(run.updatedAt) < STALLED_RUN_MS;
}

/** Progress 0..1 of the phases other than `children` (a failed or absent run is at 0). */
const PHASE_PROGRESS: Record<string, number> = { epics: 0.05, orphans: 0.92, finalize: 0.96, done: 1 };

/** Progress 0..1: listing epics is a tenth of the work, children batches most of it, the rest the end. */
export function runProgress(run: { phase: string; partitions: number; partitionsDone: readonly number[] } | undefined): number {
  if (run?.phase === 'children') return 0.1 + 0.8 * (run.partitions === 0 ? 1 : run.partitionsDone.length / run.partitions);
  return (run && PHASE_PROGRESS[run.phase]) ?? 0;
}
