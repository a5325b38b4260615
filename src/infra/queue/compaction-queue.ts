/**
 * The compaction queue (`@forge/events`). A short delay lets a burst of events land before the fold; a
 * concurrency limit of one keeps two compactions from running at once even when a delivery is repeated.
 */
import { Queue } from '@forge/events';
import { COMPACTION_QUEUE } from '../../contract';
import type { CompactionAsk, CompactionQueue } from '../../services/compaction-service';

const DEBOUNCE_SECONDS = 10;

export function createCompactionQueue(): CompactionQueue {
  const queue = new Queue({ key: COMPACTION_QUEUE });
  return {
    async push({ delaySeconds = DEBOUNCE_SECONDS, outline = false, snapshots = false }: CompactionAsk = {}) {
      await queue.push({ body: { compact: true, outline, snapshots }, delayInSeconds: delaySeconds, concurrency: { key: 'compaction', limit: 1 } });
    },
  };
}
