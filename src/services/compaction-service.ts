/**
 * Folding event deltas into the stored shards, debounced: each event asks for a compaction, and only the first
 * ask while none is pending enqueues one (the rest join it). The consumer takes the request, then compacts under
 * the lease, so compactions run one at a time and a burst of events costs one rewrite of the shards it touched.
 */
import { runIsActive } from '../domain/reconcile-run';
import type { Clock } from './ports';
import type { RollupDeltaLog, RunStore } from './rollup-ports';

/** Hands a compaction to the background queue (delayed a little, so a burst of events is folded at once). */
/**
 * `delaySeconds`: when to fold (default: the debounce); `outline`: bring the portfolio's outline up to date
 * whatever its age; `snapshots`: keep the day's trip snapshots (the daily run's, in the consumer's 900 s).
 */
export interface CompactionAsk {
  delaySeconds?: number;
  outline?: boolean;
  snapshots?: boolean;
}

export interface CompactionQueue {
  push(ask?: CompactionAsk): Promise<void>;
}

export interface CompactionDeps {
  store: Pick<RollupDeltaLog, 'compact' | 'requestCompaction' | 'takeCompactionRequest'>;
  runs: Pick<RunStore, 'get'>;
  clock: Clock;
  queue: CompactionQueue;
}

export function compactionService(deps: CompactionDeps) {
  const { store } = deps;
  return {
    /** After an event (or to come back later for the outline): enqueue a compaction unless one is pending already. */
    async request(ask?: CompactionAsk): Promise<void> {
      if (!(await store.requestCompaction())) return;
      try {
        await deps.queue.push(ask);
      } catch (error) {
        // Nothing was enqueued: withdraw the request, so the next event makes it again.
        await store.takeCompactionRequest().catch(() => undefined);
        throw error;
      }
    },

    /** Enqueue a compaction whatever is pending (one that must not be folded into another: the daily snapshots). */
    async push(ask: CompactionAsk): Promise<void> {
      await deps.queue.push(ask);
    },

    /** The consumer: take the request (events from now on ask anew), then fold; 'busy' when the lease is held. */
    async run(): Promise<number | 'busy'> {
      await store.takeCompactionRequest();
      const run = await deps.runs.get();
      // While a reconcile builds the next generation, facts newer than its start must survive the switch.
      const building = run && runIsActive(run, deps.clock.now().getTime()) ? Date.parse(run.startedAt) : undefined;
      return store.compact(building);
    },
  };
}

export type CompactionService = ReturnType<typeof compactionService>;
