/**
 * The background recalculation's queue (`@forge/events`). One message per step; a concurrency limit of one
 * keeps two steps of a run from overlapping even when a delivery is repeated.
 */
import { Queue } from '@forge/events';
import { RECONCILE_QUEUE } from '../../contract';
import type { StepQueue } from '../../services/rollup-ports';

export function createReconcileQueue(): StepQueue {
  const queue = new Queue({ key: RECONCILE_QUEUE });
  return {
    async push(message) {
      await queue.push({ body: { runId: message.runId, step: message.step }, concurrency: { key: 'reconcile', limit: 1 } });
    },
  };
}
