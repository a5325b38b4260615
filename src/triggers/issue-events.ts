/**
 * Issue created / updated / deleted: the stored portfolio no longer reflects Jira, so it is marked stale and
 * the next view recomputes it. Events can arrive late and twice; marking stale is idempotent.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { AppError } from '../domain/errors';
import { createSnapshotStore } from '../infra/storage/snapshot-store';
import type { SiteRollup } from '../services/portfolio-service';

export interface IssueEventPayload {
  eventType?: string;
  issue?: { id?: string; key?: string };
}

export async function handleIssueEvent(event: IssueEventPayload): Promise<InvocationError | { ok: true; marked: string }> {
  try {
    const at = new Date().toISOString();
    await createSnapshotStore<SiteRollup>('portfolio').markDirty(at);
    return { ok: true, marked: at };
  } catch (error) {
    // Storage hiccup: ask Forge to deliver the event again rather than leave a stale figure unmarked.
    const message = error instanceof AppError ? error.message : 'unexpected failure';
    console.warn(`issue event ${event.issue?.key ?? '?'} not processed: ${message}`);
    return new InvocationError({ retryAfter: 30, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}
