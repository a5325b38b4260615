/**
 * Every storage name the app uses, in one place. Destinations and settings live in the Custom Entity Store
 * (declared under `app.storage.entities` in manifest.yml) because only entities take conditional writes,
 * which is how a stale save is refused instead of overwriting someone else's change.
 */
export const ENTITY = {
  destination: 'destination',
  /** Claims a destination name (by its normalised hash) so two live destinations cannot share one. */
  destinationName: 'destination-name',
  /** Marks a destination being deleted, so no epic can be pointed at it meanwhile. */
  destinationDeletion: 'destination-deletion',
  /** Monotonic counters, e.g. the destination id sequence. */
  sequence: 'sequence',
  settings: 'settings',
  /** What people say (voices-store.ts): per destination, and one site-wide summary. */
  checkIns: 'check-ins',
  concerns: 'concerns',
  voicesSummary: 'voices-summary',
} as const;

export const INDEX = {
  destinationByPriority: 'by-priority',
} as const;

export const KEY = {
  destinationSequence: 'destination-id',
  /** Advanced by every change that moves ranks (create, archive, restore, delete, reorder): serialises them. */
  destinationRanking: 'destination-ranking',
  settings: 'settings',
  voicesSummary: 'voices-summary',
  /** Plain key-value entries. */
  /** Stored rollups (rollup-store.ts): the head, generations, deltas, pending marks and the reconcile run. */
  rollupHead: 'rollup-head',
  rollupGenerationPrefix: 'rollup-gen:',
  rollupDeltaPrefix: 'rollup-delta:',
  rollupPendingPrefix: 'rollup-pending:',
  rollupRun: 'rollup-run',
  rollupForecasts: 'rollup-forecasts',
  /** The portfolio's outline for cold containers: its meta, and its parts `<prefix><i>` (outline-store.ts). */
  portfolioOutline: 'portfolio-outline',
  portfolioOutlinePrefix: 'portfolio-outline:',
  /** Compare-and-set counters in the `sequence` entity (the only conditional writes Forge offers). */
  rollupCompactionLease: 'rollup-compaction',
  /** When the pending compaction request was made (0: none), so many events enqueue one compaction. */
  rollupCompactionRequest: 'rollup-compaction-request',
  reconcileClaim: 'reconcile-claim',
  /** Short-lived per-viewer Jira answers (viewer-cache.ts). */
  viewerPrefix: 'viewer:',
  /** Per viewer: which issues (epics under issue security) they may browse. */
  viewerIssuesPrefix: 'viewer-issues:',
  /** Per viewer and issue (`<accountId>:<issueKey>`): what their panel of that issue asked Jira, kept a minute. */
  viewerPanelPrefix: 'viewer-panel:',
  /** Projects whose issues the app itself may not browse (an app access rule), kept a minute. */
  appClosedProjects: 'app-closed-projects',
  userNames: 'user-names',
  /** Trip history (trip-store.ts): daily snapshots per destination and year, baselines, weekly scenery. */
  tripSnapshotPrefix: 'trip-snap:',
  tripBaselinePrefix: 'trip-base:',
  tripScenery: 'trip-scenery',
  /** Site facts (field id, issue types, story points fields), shared by every container (site-facts-store.ts). */
  siteFacts: 'site-facts',
} as const;
