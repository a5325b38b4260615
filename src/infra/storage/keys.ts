/**
 * Every storage name the app uses, in one place. Destinations and settings live in the Custom Entity Store
 * (declared under `app.storage.entities` in manifest.yml) because only entities take conditional writes,
 * which is how a stale save is refused instead of overwriting someone else's change.
 */
export const ENTITY = {
  destination: 'destination',
  /** Claims a destination name (by its normalised hash) so two live destinations cannot share one. */
  destinationName: 'destination-name',
  /** Monotonic counters, e.g. the destination id sequence. */
  sequence: 'sequence',
  settings: 'settings',
} as const;

export const INDEX = {
  destinationByPriority: 'by-priority',
} as const;

export const KEY = {
  destinationSequence: 'destination-id',
  settings: 'settings',
  /** Plain key-value entries. */
  portfolioSnapshotPrefix: 'portfolio-snapshot:',
  portfolioDirty: 'portfolio-dirty',
} as const;
