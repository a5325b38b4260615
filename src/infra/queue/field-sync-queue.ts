/**
 * The queue that rewrites the field's stored name after a rename (`@forge/events`). One rewrite at a time,
 * so two renames in a row never write over each other out of order.
 */
import { Queue } from '@forge/events';
import { FIELD_SYNC_QUEUE } from '../../contract';
import type { FieldSyncQueue } from '../../services/field-sync-service';

export function createFieldSyncQueue(): FieldSyncQueue {
  const queue = new Queue({ key: FIELD_SYNC_QUEUE });
  return {
    async push(message) {
      const body = message.after === undefined ? { destinationId: message.destinationId } : { destinationId: message.destinationId, after: message.after };
      await queue.push({ body, concurrency: { key: 'field-sync', limit: 1 } });
    },
  };
}
