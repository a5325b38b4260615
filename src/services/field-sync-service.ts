/**
 * After a rename, the epics' Business destination field still holds the old name (the field stores `{id, name}`
 * so Jira's formatter, search and CSV can show it). This rewrites it in the background through the app field
 * value API: the epics come from the stored rollups (JQL on the field's property is not valid on Jira), a
 * bounded number of bulk requests per queue message, the rest handed to the next message.
 *
 * Idempotent and resumable: each message reads the destination's current name (a second rename meanwhile
 * only makes an earlier message write the newer name), writes the same value however often it is delivered,
 * and carries the last issue id done, so a redelivery or a continuation repeats at most one message's writes.
 */
import { batchesOf, epicIdsToRewrite, FIELD_WRITE_BATCH, FIELD_WRITE_BATCHES_PER_STEP } from '../domain/field-sync';
import type { AppJira, DestinationStore } from './ports';
import type { RollupReader } from './rollup-ports';

/** One queue message: rewrite the field of the destination's epics whose issue id is above `after`. */
export interface FieldSyncMessage {
  destinationId: string;
  after?: string;
}

export interface FieldSyncQueue {
  push(message: FieldSyncMessage): Promise<void>;
}

export interface FieldSyncDeps {
  jira: AppJira;
  destinations: DestinationStore;
  rollups: RollupReader;
  queue: FieldSyncQueue;
}

/** `done`: every aligned epic holds the current name; `continued`: the next message takes the rest. */
export type FieldSyncOutcome = 'done' | 'continued' | 'gone' | 'no-rollups';

export function fieldSyncService({ jira, destinations, rollups, queue }: FieldSyncDeps) {
  return {
    /** A destination was renamed: queue the rewrite (the caller's request does no Jira writes). */
    async renamed(destinationId: string): Promise<void> {
      await queue.push({ destinationId });
    },

    async step(message: FieldSyncMessage): Promise<FieldSyncOutcome> {
      const destination = await destinations.get(message.destinationId);
      // Deleted meanwhile: a destination is deleted only once no epic serves it, so there is nothing to rewrite.
      if (!destination) return 'gone';
      const stored = await rollups.load();
      // Before the first calculation there is nothing to read the epics from; that calculation starts at install,
      // so a rename can only come first on a site where it failed (the admin page says so).
      if (!stored) return 'no-rollups';
      const ids = epicIdsToRewrite(stored.epics.values(), destination.id, message.after);
      const now = ids.slice(0, FIELD_WRITE_BATCH * FIELD_WRITE_BATCHES_PER_STEP);
      if (now.length === 0) return 'done';
      const meta = await jira.siteMeta();
      const value = { id: destination.id, name: destination.name };
      for (const batch of batchesOf(now, FIELD_WRITE_BATCH)) await jira.writeDestinationFields(meta, batch, value);
      if (ids.length === now.length) return 'done';
      await queue.push({ destinationId: destination.id, after: now[now.length - 1] as string });
      return 'continued';
    },
  };
}

export type FieldSyncService = ReturnType<typeof fieldSyncService>;
