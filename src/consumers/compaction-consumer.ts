/**
 * Folds event deltas into the stored shards, one compaction at a time (see compaction-service.ts). A compaction
 * that finds the lease held is delivered again after the lease has run out; a failure is retried by Forge, and
 * the deltas stay readable meanwhile (every view applies them).
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { appContainer } from '../app/container';

/** The compaction lease lasts 60 s. */
const RETRY_AFTER_SECONDS = 60;

export async function compactionConsumer(): Promise<InvocationError | { ok: true; folded: number }> {
  const folded = await appContainer().background().compaction.run();
  if (folded === 'busy') return new InvocationError({ retryAfter: RETRY_AFTER_SECONDS, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  return { ok: true, folded };
}
