/**
 * Ports and stored shapes of the rollups kept in storage (the Scale plan): per-epic progress and forecast
 * inputs, in-flight orphans, and the deltas that issue events write between two reconciles.
 *
 * Every stored fact carries `at`, the time (ms) the app read it from Jira. Facts are applied newest-first by
 * that time, never by arrival order, so late, duplicated or reordered events and a reconcile running at the
 * same time all converge on the newest read of Jira.
 */
import type { EpicRange } from '../domain/reconcile-run';
import type { ChildFacts, EpicEntry, Forecast, OffRoute, OrphanEntry, Progress, RollupDelta, RollupWarning } from '../domain/types';
import type { IssueSummary, JiraQuota } from './ports';

export type { ChildFacts, EpicEntry, OrphanEntry, RollupDelta };

/** What the JQL links need, captured when the rollup was built. */
export interface RollupJqlMeta {
  epicTypeIds: string[];
  standardTypeIds: string[];
  fieldName: string;
}

/** Points at the complete generation readers use. Switched only when a reconcile has finished. */
export interface RollupHead {
  generation: string;
  /** Shards the epics are spread over (by a hash of the key). */
  shards: number;
  /** When the reconcile that built it started reading Jira (ISO); every entry is at least this fresh. */
  builtFrom: string;
  /** When it finished (ISO). */
  finishedAt: string;
  /** The estimate measure the figures use, e.g. `points:customfield_10016`. */
  estimateKey: string;
  jql: RollupJqlMeta;
  epics: number;
  items: number;
  /** The generation this one replaced, kept until the next switch for readers still on it. */
  previousGeneration?: string;
}

/** Everything a surface needs, read in a bounded number of storage calls. */
export interface StoredSite {
  head: RollupHead;
  epics: Map<string, EpicEntry>;
  orphans: Map<string, OrphanEntry>;
  /** Newest `at` among the deltas applied on top of the generation (ms), or undefined. */
  newestDeltaAt?: number;
  /** Oldest issue change that failed to apply and is waiting for a retry (ISO), if any. */
  pendingSince?: string;
  /** Identifies the shards' content (generation and compactions) and, with the deltas, everything read. */
  version: string;
  deltaCount: number;
  /** Forecasts worked out by earlier views (see `ForecastMemo`). */
  forecasts: Record<string, { fingerprint: string; forecast: Forecast }>;
  storageCalls: number;
}

export type RunPhase = 'epics' | 'children' | 'orphans' | 'finalize' | 'done' | 'failed';

/** A reconcile run, as the admin page shows it and as the consumer resumes it. */
export interface ReconcileRun {
  runId: string;
  generation: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  startedBy: string;
  phase: RunPhase;
  /** The step the next queue message must carry (duplicates and stale messages are dropped). */
  step: number;
  /** `epics` phase: search paging position, and how many epic chunks are written. */
  epicToken?: string;
  epicChunks: number;
  epics: number;
  /** `children` phase: partitions of epic keys, and which are done. */
  partitions: number;
  partitionsDone: number[];
  /** Each batch's epic range, once batches were split because an hour of the quota finished none (absent:
   *  fixed slices of the partition size); then batches are read one at a time (`serial`). */
  ranges?: EpicRange[];
  serial?: boolean;
  items: number;
  requests: number;
  /** Points the children batches done so far cost, time spent working (waits left out), and Jira's quota as
   *  last seen: what the estimate of the end goes by. Absent on runs saved before they existed. */
  childPoints?: number;
  workMs?: number;
  quota?: JiraQuota;
  /** Set while the run waits for Jira's quota: the time it resumes. */
  waitingUntil?: string;
  error?: string;
}

/**
 * One epic's stored figures, read without the rest of the site: `site.epics` holds the epic alone (when
 * stored); `withDestination` adds the epics on a destination (read from that destination's own group).
 */
export interface EpicReading {
  site: StoredSite;
  /** The epic and every epic stored (or since moved) on `destinationId`, deltas applied; the epic alone for none. */
  withDestination(destinationId: string | null): Promise<StoredSite>;
}

/**
 * What identifies the stored figures at one moment: the generation, its compactions and the deltas on top (the
 * same `version`, `deltaCount` and `newestDeltaAt` a `StoredSite` read from it carries). Read in a few small
 * calls; `load` continues from it without reading any of it again.
 */
export type RollupStamp = Pick<StoredSite, 'head' | 'version' | 'deltaCount' | 'newestDeltaAt' | 'pendingSince'>;

/**
 * The portfolio as its first screen needs it, assembled once and kept for cold containers: every row's
 * figures and epic keys, the off-route figures, the warnings, and the id, key and project of each epic these
 * name (what a view checks as the viewer). No per-epic figures and no summaries: those are read when a list
 * opens. Valid only while `fingerprint` (every input of the assembly, see `AssemblyMemo`) is unchanged.
 */
export interface StoredOutline {
  fingerprint: string;
  writtenAt: number;
  asOf: string;
  destinations: Array<{ id: string; epicKeys: string[]; progress: Progress; forecast: Forecast }>;
  offRoute: OffRoute;
  warnings: RollupWarning[];
  /** `[id, key, projectKey]` of every epic named above. */
  epics: Array<[string, string, string]>;
}

export interface OutlineStore {
  /** The outline last kept; undefined when there is none or it cannot be read whole. */
  read(): Promise<StoredOutline | undefined>;
  /** Which outline is kept and when it was written, in one small read; undefined when none. */
  peek(): Promise<Pick<StoredOutline, 'fingerprint' | 'writtenAt'> | undefined>;
  /** Best effort: a lost write only costs the next cold view the assembly. */
  write(outline: StoredOutline): Promise<void>;
}

/** What views read: the generation in use plus the deltas on top. */
export interface RollupReader {
  /** The stamp of what is stored now; undefined before the first reconcile. */
  stamp(): Promise<RollupStamp | undefined>;
  /** The generation readers use plus the deltas on top, from `stamp` when given; undefined before the first reconcile. */
  load(stamp?: RollupStamp): Promise<StoredSite | undefined>;
  /** What the panel of one epic needs, in storage calls that do not grow with the site; undefined before the first reconcile. */
  loadEpic(epicKey: string): Promise<EpicReading | undefined>;
  head(): Promise<RollupHead | undefined>;
  /** Keep forecasts a view worked out, for the next views (best effort). */
  saveForecasts(forecasts: StoredSite['forecasts']): Promise<void>;
}

/** Where one issue is counted, before its facts are known: `with` reads the places and the named epics. */
export interface IssuePlaces {
  /** The epics that hold the issue (as a child, or are it), its orphan entry, and the epics named (with their
   *  marks, deltas applied): what `placeIssue` looks up. Nothing else of the site is read. */
  with(epicKeys: readonly string[]): Promise<StoredSite>;
}

/**
 * The stored epics with their per-child marks: for event handling, the daily catch-up and compaction, never
 * for views (the marks are most of the stored bytes, and views show none of them).
 */
export interface MarkReader {
  /** Every epic with its marks (the daily catch-up places many issues at once); undefined before the first reconcile. */
  loadWithMarks(): Promise<StoredSite | undefined>;
  /** One issue's places through the id index, in storage calls that do not grow with the site. */
  placesOf(issueId: string): Promise<IssuePlaces | undefined>;
}

/** Told the epics a compaction read (before) and wrote (after), by key: what followers of the rollups compare. */
export type FoldObserver = (before: ReadonlyMap<string, EpicEntry>, after: ReadonlyMap<string, EpicEntry>) => void;

/** Facts written between two reconciles, and the marks of changes not applied yet. */
export interface RollupDeltaLog {
  /** The time a fact is read from Jira, taken before the read: strictly increasing (one timer per container). */
  readTime(): number;
  /** Record facts read from Jira (one storage call for up to 25). */
  writeDeltas(deltas: RollupDelta[]): Promise<void>;
  /** Fold deltas into the head generation's shards under the lease; the number folded, or 'busy' when another holds it. */
  compact(keepNewerThan?: number, onFolded?: FoldObserver): Promise<number | 'busy'>;
  /** Record a request for a compaction; true when no other is pending (the caller then enqueues it). */
  requestCompaction(): Promise<boolean>;
  /** The consumer takes the pending request before compacting, so events from then on make a new one. */
  takeCompactionRequest(): Promise<void>;
  /** Mark an issue whose change could not be applied yet; `clearPending` removes the mark. */
  markPending(issueId: string, at: string): Promise<void>;
  clearPending(issueId: string): Promise<void>;
  /** Remove pending marks older than `before` (a reconcile read Jira after them). */
  clearPendingBefore(before: string): Promise<void>;
}

/** Reconcile: build a new generation, then switch the head. */
export interface GenerationBuilder {
  writeEpicChunk(generation: string, index: number, epics: EpicEntry[]): Promise<void>;
  readEpicChunks(generation: string, count: number): Promise<EpicEntry[]>;
  writePartition(generation: string, index: number, progress: Array<Pick<EpicEntry, 'key' | 'progress' | 'doneWeeks' | 'unestimatedKeys'>>): Promise<void>;
  readPartitions(generation: string, count: number): Promise<Array<Pick<EpicEntry, 'key' | 'progress' | 'doneWeeks' | 'unestimatedKeys'>>>;
  writeOrphans(generation: string, orphans: OrphanEntry[]): Promise<void>;
  /** Write the shards of a complete generation and point the head at it; the previous generation is removed. */
  publish(head: RollupHead, epics: EpicEntry[]): Promise<void>;
  /** Remove a generation's keys (a failed or superseded build). */
  dropGeneration(generation: string): Promise<void>;
}

/** The stored rollups as one adapter implements them. */
export type RollupStore = RollupReader & MarkReader & RollupDeltaLog & GenerationBuilder;

export interface RunStore {
  get(): Promise<ReconcileRun | undefined>;
  save(run: ReconcileRun): Promise<void>;
  /** Claim the right to start a run (compare-and-set); false when another start won. */
  claimStart(previousRunId: string | null, runId: string): Promise<boolean>;
}

/** Hands a reconcile step to the background queue. */
export interface StepQueue {
  /** `delaySeconds`: deliver no sooner than this; the queue may deliver sooner than asked (its longest delay
   *  is shorter than an hour), so a step that comes early waits again. */
  push(message: { runId: string; step: number }, delaySeconds?: number): Promise<void>;
}

/** One issue re-read as the app after an event. */
export type IssueFacts =
  | { level: 1; epic: Omit<EpicEntry, 'fAt' | 'progress' | 'doneWeeks' | 'unestimatedKeys' | 'pAt'> }
  | { level: 0; child: ChildFacts }
  | { level: -1 };

/**
 * Per-viewer answers from Jira that a view needs but that change rarely (which projects a person may browse,
 * people's display names), kept for a short time so a warm view asks Jira nothing.
 */
export interface ViewerCache {
  visibleProjects(accountId: string, load: () => Promise<Set<string>>): Promise<Set<string>>;
  /** Which of these issues (by id or by key, as `kind` says) the viewer may browse; `load` asks Jira. */
  browsableIssues(accountId: string, kind: 'ids' | 'keys', issues: string[], load: (missing: string[]) => Promise<Set<string>>): Promise<Set<string>>;
  /** The projects closed to the app itself (site-wide, not per viewer), kept as briefly as browse answers. */
  projectsClosedToApp(load: () => Promise<string[]>): Promise<string[]>;
  userNames(accountIds: string[], load: (missing: string[]) => Promise<Map<string, string>>): Promise<Map<string, string>>;
  /**
   * What one viewer's panel of one issue learnt from Jira (see `IssueAccess`), by issue key; `undefined` when
   * not kept or older than its lifetime. Read and written apart, so a view's Jira read and its write of the
   * answer each run alongside its other storage calls.
   */
  issueAccess(accountId: string, issueKey: string): Promise<IssueAccess | undefined>;
  /** Keep what the viewer has just learnt (a read as them, or the destination they have just set). */
  rememberIssueAccess(accountId: string, issueKey: string, access: IssueAccess): Promise<void>;
}

/**
 * What a panel view asks Jira as the viewer, kept per viewer and issue so a repeated view asks nothing: that
 * they may browse the issue (they could read it), whether they may edit it, and the issue as they read it.
 */
export interface IssueAccess {
  issue: IssueSummary;
  /** EDIT_ISSUES as the viewer; `false` for an issue that is not an epic (never asked: nothing to edit). */
  canEdit: boolean;
  /** When the read started (ms): the fields compete with the stored rollups' by this time, newest read wins. */
  readAt: number;
}
