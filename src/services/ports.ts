/**
 * Ports: what the use cases need from the outside world. Implementations live in `src/infra/`; they are
 * plugged into the services by hand in the composition root, `src/app/container.ts`.
 */
import type { ChildFacts, Destination, EffectiveEstimate, Epic, EpicEntry, EstimateFieldSetting, IsoDate, Settings, StatusCategory, WorkItem } from '../domain/types';
import type { Result } from '../domain/errors';
import type { CheckIn, LatestSaid } from '../domain/check-ins';
import type { Concern } from '../domain/concerns';
import type { IssueFacts } from './rollup-ports';

/** Facts about the Jira site the app needs before it can query: cached, they rarely change. */
export interface SiteMeta {
  /** The app's own field id, e.g. `customfield_10100`. */
  appFieldId: string;
  /** Issue type ids at hierarchy level 1 (epics) and 0 (standard work). */
  epicTypeIds: string[];
  standardTypeIds: string[];
  /** Story points fields found on the site, best candidate first. */
  pointsFields: Array<{ id: string; name: string }>;
  /**
   * Each status's category by status id, so an event's changelog (which names the new status by id) can be
   * applied without reading the issue. Absent on facts stored before it existed: events then read the issue.
   */
  statusCategories?: Record<string, StatusCategory>;
}

export type { EffectiveEstimate };

export interface IssueSummary {
  id: string;
  key: string;
  summary: string;
  projectId: string;
  projectKey: string;
  hierarchyLevel: number;
  statusCategory: StatusCategory;
  /** Raw value of the app's field (untrusted). */
  destinationValue: unknown;
}

export interface ProjectRef {
  id: string;
  key: string;
  name: string;
}

/**
 * Jira for one person, asked *as that person* (so Jira applies their permissions, issue security included):
 * what a viewer may browse, the epic read as them, and their permissions. `accountId` must be the calling
 * user's (it keys caches). Nothing here is shared between people.
 */
export interface UserJira {
  /** Keys of the projects the user may browse. */
  visibleProjects(accountId: string): Promise<Set<string>>;
  /** Which of these issue ids the user may browse (project permission and issue security level). */
  browsableIssues(accountId: string, issueIds: string[]): Promise<Set<string>>;
  /** Which of these issue keys the user may browse (read as them; keys of moved or deleted issues are not). */
  browsableKeys(accountId: string, issueKeys: string[]): Promise<Set<string>>;
  /** One issue as the calling user sees it; `null` when it does not exist or the user may not browse it. */
  issueAsUser(meta: SiteMeta, issueKey: string): Promise<IssueSummary | null>;
  isAdmin(accountId: string): Promise<boolean>;
  canEditIssue(accountId: string, issueId: string): Promise<boolean>;
  /** People the calling user may see whose name matches `query`. */
  searchUsers(query: string): Promise<Array<{ accountId: string; displayName: string }>>;
}

/**
 * Jira read in bulk as the app (triggers and consumers have no user): site facts, projects, epics, children,
 * in-flight orphans, one issue by id, people's names; and the app's one write, its field's value. Every
 * search goes through one pager (`infra/jira/search-jql.ts`).
 */
export interface AppJira {
  siteMeta(): Promise<SiteMeta>;
  /** The app field's name, as JQL names it. */
  fieldName(): Promise<string>;
  projects(): Promise<ProjectRef[]>;
  /**
   * Keys of the projects whose issues the app itself may not browse (an organisation's app access rule, or
   * project permissions that leave out the app's role): the app's figures cannot include their work.
   */
  projectsClosedToApp(): Promise<string[]>;
  /** Every epic in the given projects (all when empty). */
  epics(meta: SiteMeta, projectKeys: string[]): Promise<Epic[]>;
  /** One page of epics (all projects), with the fields a stored entry needs. */
  epicPage(meta: SiteMeta, token: string | undefined): Promise<{ epics: EpicEntry[]; next: string | undefined }>;
  /** Direct children (standard level) of the given epics, any number of them. */
  children(meta: SiteMeta, epicKeys: string[], estimate: EffectiveEstimate): Promise<WorkItem[]>;
  /** Direct children of one batch of epics; `null` when Jira says one of the keys no longer exists. */
  childrenOf(meta: SiteMeta, epicKeys: string[], estimate: EffectiveEstimate, reconcileIssueIds?: string[]): Promise<ChildFacts[] | null>;
  /** Standard-level issues with no epic that are in flight, in the given projects (all when empty). */
  inFlightOrphans(meta: SiteMeta, projectKeys: string[], estimate: EffectiveEstimate): Promise<WorkItem[]>;
  /** One issue by id; `null` when it no longer exists. */
  issue(meta: SiteMeta, issueId: string, estimate: EffectiveEstimate): Promise<IssueFacts | null>;
  /**
   * One page (oldest change first) of the epics and standard issues changed in the last `hours`, with the
   * facts an event would read (the daily catch-up); `next` pages on.
   */
  changedSince(meta: SiteMeta, hours: number, estimate: EffectiveEstimate, token: string | undefined): Promise<{ issues: Array<{ id: string; key: string; facts: IssueFacts }>; next: string | undefined }>;
  /** Write the app's field. `null` clears it. */
  writeDestinationField(meta: SiteMeta, issueId: string, value: { id: string; name: string } | null): Promise<void>;
  /** Write one value to the app's field on many issues in one request (at most `FIELD_WRITE_BATCH` ids, domain/field-sync). */
  writeDestinationFields(meta: SiteMeta, issueIds: string[], value: { id: string; name: string } | null): Promise<void>;
  userNames(accountIds: string[]): Promise<Map<string, string>>;
  /** Searches and issue reads sent so far by this adapter (for a run's progress and the benchmark). */
  requests(): number;
  /** Jira's hourly points quota as it last reported it to this adapter (undefined before any answer). */
  quota?(): JiraQuota | undefined;
}

/** Jira's hourly points quota (`Beta-RateLimit-Policy` and `Beta-RateLimit` headers). */
export interface JiraQuota {
  /** Points per window, and the window in seconds (an hour). */
  limit: number;
  windowSeconds: number;
  /** Points left in this window, and when it resets (epoch ms). */
  remaining: number;
  resetAt: number;
}

/** A change to the destinations, planned from what is stored (see `DestinationStore.change`). */
export interface DestinationPlan<T> {
  /** The destinations the change is about (created, archived, restored), with the version they get. */
  primary: Destination[];
  /** Every destination as it should then be ranked; those whose version did not change are not written. */
  ranked: Destination[];
  /** A destination to delete, as it was read. */
  remove?: Destination;
  value: T;
}

export interface DestinationStore {
  list(): Promise<Destination[]>;
  get(id: string): Promise<Destination | undefined>;
  /**
   * Create, archive, restore, delete or reorder: reads every destination, lets `plan` decide (it gets the id
   * a new destination would take), and writes the plan in transactions guarded by a ranking counter, so
   * concurrent changes are applied one after the other and priorities stay unique and contiguous. A change
   * that lost a race is planned again from a fresh read, after a jittered pause, until it is written or
   * `plan` refuses. If a large plan is interrupted after its first transaction, `rank` tidies the rest.
   */
  change<T>(plan: (all: Destination[], newId: string) => Result<DestinationPlan<T>>, rank: (all: Destination[]) => Destination[]): Promise<Result<T>>;
  /**
   * Save destinations atomically, without moving any rank (an edit). Each entry carries the destination as
   * the caller read it (`previous`, `null` for a new one); if any stored version differs from
   * `previous.version`, or a live destination's name is taken by another, nothing is written and the result
   * is CONFLICT.
   */
  save(changes: Array<{ destination: Destination; previous: Destination | null }>): Promise<Result<void>>;
  /** Mark a destination as being deleted (refused if it changed, or another delete holds a fresh mark); returns the mark's token. */
  markDeletion(destination: Destination, now: number): Promise<Result<string>>;
  /** When the destination was marked as being deleted (ms), if it is. */
  deletionMark(id: string): Promise<number | undefined>;
  /** Remove a deletion mark this caller set (a delete that was refused). */
  releaseDeletion(id: string, token: string): Promise<void>;
}

export interface SettingsStore {
  get(): Promise<Settings>;
  save(settings: Settings, expectedVersion: number): Promise<Result<Settings>>;
}

export type { EstimateFieldSetting };

/** The clock the services and adapters read; the domain takes dates as input instead. */
export interface Clock {
  now(): Date;
  /** The UTC calendar day of `now()`. */
  today(): IsoDate;
}


/** The newest check-in of a role, as the voices summary keeps it (names are looked up when shown). */
export type VoiceLatest = LatestSaid;

/** One destination's line of the voices summary: what a portfolio row, the panel and the gadget show. */
export interface VoiceSummaryEntry {
  owner: VoiceLatest | null;
  lead: VoiceLatest | null;
  /** Concerns not yet closed (open or answered). */
  open: number;
  /** The day of the newest check-in, `null` before the first. */
  lastDay: IsoDate | null;
}

/**
 * Check-ins and concerns per destination (one stored value each), and one site-wide summary kept current by
 * every write in the same transaction, so a view of many rows reads one value. `change*` re-reads and retries
 * when another write got in first: nothing is lost, nothing half-written.
 */
export interface VoicesStore {
  checkIns(destinationId: string): Promise<CheckIn[]>;
  concerns(destinationId: string): Promise<Concern[]>;
  summary(): Promise<Record<string, VoiceSummaryEntry>>;
  changeCheckIns(destinationId: string, change: (history: CheckIn[]) => Result<CheckIn[]>): Promise<Result<CheckIn[]>>;
  changeConcerns<T>(destinationId: string, change: (concerns: Concern[]) => Result<{ concerns: Concern[]; value: T }>): Promise<Result<{ concerns: Concern[]; value: T }>>;
  /** Drop a deleted destination's check-ins, concerns and summary line, in one transaction. */
  forget(destinationId: string): Promise<void>;
}
