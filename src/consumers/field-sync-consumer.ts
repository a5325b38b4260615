/**
 * Rewrites the field of a renamed destination's epics, one bounded step per queue message. A failed step is
 * delivered again (the writes are idempotent); after Forge's last retry it gives up with a warning, and the
 * epics keep the old name until the destination is renamed again.
 */
import type { InvocationError } from '@forge/events';
import { appContainer } from '../app/container';
import { retryOrGiveUp } from './retries';

const RETRY_AFTER_SECONDS = 60;

interface FieldSyncEvent {
  body?: { destinationId?: unknown; after?: unknown };
  retryContext?: { retryCount?: number };
}

export async function fieldSyncConsumer(event: FieldSyncEvent): Promise<InvocationError | { ok: true; outcome: string }> {
  const destinationId = typeof event.body?.destinationId === 'string' ? event.body.destinationId : undefined;
  const after = typeof event.body?.after === 'string' ? event.body.after : undefined;
  if (destinationId === undefined) return { ok: true, outcome: 'ignored' };
  try {
    const outcome = await appContainer().background().fieldSync.step(after === undefined ? { destinationId } : { destinationId, after });
    return { ok: true, outcome };
  } catch (error) {
    return retryOrGiveUp(event, error, {
      what: `field rewrite for ${destinationId}`,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      giveUp: async (message) => console.warn(`field rewrite for ${destinationId} gave up: ${message}`),
    });
  }
}
