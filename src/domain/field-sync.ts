/**
 * Rewriting the stored copy of a destination's name in its epics' field after a rename: which epics, in what
 * order, how many a request. Pure, so the service only does the I/O.
 */
import type { EpicEntry } from './types';
import { isLive } from './epic-figures';

/**
 * Issues per app field value request. Jira documents no maximum for `issueIds` (the OpenAPI document and the
 * custom field reference give none), so this stays small enough that one request is cheap to repeat: each write
 * costs 1 point whatever it holds, and a retried batch rewrites at most this many issues.
 */
export const FIELD_WRITE_BATCH = 100;

/** Requests one queue message sends before it hands the rest to the next message (well within 900 s). */
export const FIELD_WRITE_BATCHES_PER_STEP = 10;

/**
 * The epics the stored rollups align to `destinationId`, by ascending issue id, after the id `after` (a
 * resumed run continues where the last message stopped; ids are numbers in Jira).
 */
export function epicIdsToRewrite(epics: Iterable<EpicEntry>, destinationId: string, after: string | undefined): string[] {
  const from = after === undefined ? -Infinity : Number(after);
  return [...epics]
    .filter((e) => isLive(e) && e.destinationId === destinationId && Number(e.id) > from)
    .map((e) => Number(e.id))
    .sort((a, b) => a - b)
    .map(String);
}

/** Split ids into request-sized batches. */
export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
