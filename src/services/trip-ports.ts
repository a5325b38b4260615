/**
 * What the trip history keeps in storage (trip-store.ts): daily snapshots per destination, one scope baseline
 * per destination, and the site-wide weekly scenery snapshots. Everything else of the trip is reconstructed
 * from the stored rollups' per-child marks on each view (docs/decisions/0014-trip-history.md).
 */
import type { TripSnapshot } from '../contract/trip';
import type { ScopeBaseline } from '../domain/scope-drift';
import type { ScenerySnapshot } from '../domain/scenery-trend';
import type { IsoDate, IsoDateTime } from '../domain/types';

/** A destination's baseline, or why there is none although one was asked for (route too big to keep). */
export type StoredBaseline = { kind: 'kept'; baseline: ScopeBaseline } | { kind: 'too big'; takenAt: IsoDateTime; issues: number };

export interface TripStore {
  /** Snapshots of `destinationId` on days from `from` (included), oldest first. */
  snapshots(destinationId: string, from: IsoDate): Promise<TripSnapshot[]>;
  /** Keep one day's snapshot of each destination (a day written again is replaced); days before `keepFrom` go. */
  writeSnapshots(snapshots: ReadonlyArray<{ destinationId: string; snapshot: TripSnapshot }>, keepFrom: IsoDate): Promise<void>;
  baseline(destinationId: string): Promise<StoredBaseline | undefined>;
  saveBaseline(destinationId: string, baseline: StoredBaseline): Promise<void>;
  /** Drop a deleted destination's snapshots and baseline. */
  forget(destinationId: string): Promise<void>;
  scenery(): Promise<ScenerySnapshot[]>;
  /** Keep this week's site-wide scenery snapshot (replacing the week's earlier one); weeks before `keepFrom` go. */
  saveScenery(snapshot: ScenerySnapshot, keepFrom: IsoDate): Promise<void>;
}
