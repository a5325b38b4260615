/**
 * When the daily run must rebuild the stored rollups from scratch instead of catching up with the last day's
 * changes: one rule, so the schedule and the screens agree. A rebuild reads every issue (Jira points for each);
 * a catch-up reads only what changed, so a rebuild happens only when the stored figures cannot be trusted.
 */
import type { EpicEntry } from './types';

/** A change that failed to apply (or a deleted epic whose children the app never stored) this long ago. */
export const PENDING_REBUILD_MS = 60 * 60 * 1000;

export type RebuildReason = 'missing' | 'estimate' | 'incompatible' | 'pending';

export interface StoredRollupFacts {
  estimateKey: string;
  epics: Iterable<EpicEntry>;
  /** Oldest pending mark (ISO), if any. */
  pendingSince?: string;
}

/** Why the stored rollup needs a full rebuild, or null when catching up is enough. */
export function rebuildReason(stored: StoredRollupFacts | undefined, estimateKey: string, nowMs: number): RebuildReason | null {
  if (stored === undefined) return 'missing';
  if (stored.estimateKey !== estimateKey) return 'estimate';
  // Entries built before per-child marks were kept: an event on them would re-read every sibling.
  for (const epic of stored.epics) if (epic.deleted !== true && epic.members === undefined) return 'incompatible';
  if (stored.pendingSince !== undefined && nowMs - Date.parse(stored.pendingSince) >= PENDING_REBUILD_MS) return 'pending';
  return null;
}
