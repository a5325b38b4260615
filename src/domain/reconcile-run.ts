/** When a recalculation counts as going: one rule for every service that asks (and the screens that say so). */

/** A run not heard from for this long is considered dead; a new start may replace it. */
export const STALLED_RUN_MS = 20 * 60 * 1000;

/** Whether a run is going: neither finished nor failed, and heard from within `STALLED_RUN_MS` of `nowMs`. */
export function runIsActive(run: { phase: string; updatedAt: string } | undefined, nowMs: number): boolean {
  return run !== undefined && run.phase !== 'done' && run.phase !== 'failed' && nowMs - Date.parse(run.updatedAt) < STALLED_RUN_MS;
}

/** Above this many issues in scope a view does not compute the portfolio itself (it would outlast the 25 s
 *  resolver limit): it answers "calculating" until the first recalculation has finished. */
export const LIVE_COMPUTE_LIMIT = 20_000;
