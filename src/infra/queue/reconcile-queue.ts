/**
 * The background recalculation's queue (`@forge/events`). One message per step; a concurrency limit of one
 * keeps two steps of a run from overlapping even when a delivery is repeated.
 */
import { Queue } from '@forge/events';
import { RECONCILE_QUEUE } from '../../contract';
import type { StepQueue } from '../../services/rollup-ports';

/** Forge delays an event by at most 15 minutes (`delayInSeconds` 0..900); a longer wait takes several hops. */
export const MAX_DELAY_SECONDS = 900;

export function createReconcileQueue(): StepQueue {
  const queue = new Queue({ key: RECONCILE_QUEUE });
  return {
    async push(message, delaySeconds = 0) {
      const delayInSeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delaySeconds)));
      await queue.push({
        body: { runId: message.runId, step: message.step },
        concurrency: { key: 'reconcile', limit: 1 },
        ...(delayInSeconds > 0 ? { delayInSeconds } : {}),
      });
    },
  };
}
