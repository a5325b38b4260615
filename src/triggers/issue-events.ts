/**
 * Issue created / updated / deleted: bring the stored rollups up to date with what the change touched.
 * Events can arrive late, twice or out of order; the service applies an update from its changelog when the
 * event is newer than the stored fact (stamped with the change's time) and re-reads Jira otherwise (stamped
 * with the time it was read), so any delivery order ends in the same figures. A transient failure (Jira or storage)
 * asks Forge to deliver the event again and marks the figures as waiting, so the screen says they are stale.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { failureMessage } from '../consumers/retries';
import type { IssueEvent } from '../services/freshness-service';
import { appContainer } from '../app/container';

/** Seconds before Forge delivers a failed event again (Forge allows up to 900). */
const RETRY_AFTER_SECONDS = 30;

export async function handleIssueEvent(event: IssueEvent & { retryContext?: { retryCount?: number } }): Promise<InvocationError | { ok: true; deltas: number }> {
  const { freshness } = appContainer().background();
  try {
    const { deltas } = await freshness.handle(event);
    return { ok: true, deltas };
  } catch (error) {
    const message = failureMessage(error);
    console.warn(`issue event ${event.issue?.key ?? '?'} not applied yet: ${message}`);
    if (event.issue?.id) await freshness.markPending(event.issue.id).catch(() => undefined);
    return new InvocationError({ retryAfter: RETRY_AFTER_SECONDS, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}
