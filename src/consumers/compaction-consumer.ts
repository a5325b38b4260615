/**
 * Folds event deltas into the stored shards, one compaction at a time (see compaction-service.ts), then brings
 * the portfolio's outline up to date. A compaction that finds the lease held is delivered again after the lease
 * has run out; a failure is retried by Forge, and the deltas stay readable meanwhile (every view applies them).
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { appContainer } from '../app/container';

/** The compaction lease lasts 60 s. */
const RETRY_AFTER_SECONDS = 60;
/** The portfolio's outline is rewritten at most once a minute (each rewrite reads every shard). */
const OUTLINE_MIN_AGE_SECONDS = 60;

interface CompactionEvent {
  /** `outline`: a compaction asked for to bring the outline up to date, which it does whatever its age;
   *  `snapshots`: the daily run's trip snapshots, kept here (a scheduled trigger has 55 s, a consumer 900 s). */
  body?: { compact?: unknown; outline?: unknown; snapshots?: unknown };
}

export async function compactionConsumer(event?: CompactionEvent): Promise<InvocationError | { ok: true; folded: number; outline: string }> {
  const { compaction, outline, history } = appContainer().background();
  const folded = await compaction.run();
  if (folded === 'busy') return new InvocationError({ retryAfter: RETRY_AFTER_SECONDS, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  if (event?.body?.snapshots === true) {
    // Today's figures of every destination and this week's scenery, kept for the trip history (docs/decisions/0014).
    await history.snapshotDaily().catch((error: unknown) => console.warn('daily trip snapshots not kept', error instanceof Error ? error.message : error));
    // The catch-up and the snapshots have each read every shard this minute: the outline follows in the next.
    await compaction.request({ delaySeconds: OUTLINE_MIN_AGE_SECONDS, outline: true }).catch(() => undefined);
    return { ok: true, folded, outline: 'later' };
  }
  // The outline cold views read follows the fold. Kept less than a minute ago: a compaction a minute from now
  // brings it (unless an event's request comes first), so the last of a burst of changes is never left out.
  const minAgeMs = event?.body?.outline === true ? 0 : OUTLINE_MIN_AGE_SECONDS * 1000;
  const refreshed = await outline.refreshOutline(minAgeMs).catch((error: unknown) => {
    console.warn('portfolio outline not refreshed', error instanceof Error ? error.message : error);
    return 'failed';
  });
  if (refreshed === 'later') await compaction.request({ delaySeconds: OUTLINE_MIN_AGE_SECONDS, outline: true }).catch(() => undefined);
  return { ok: true, folded, outline: refreshed };
}
