/**
 * Ports: what the use cases need from the outside world. Implementations live in `src/infra/`; wiring is
 * done by hand in `src/resolvers/wiring.ts`.
 */
import type { Destination, EffectiveEstimate, Epic, EstimateFieldSetting, Settings, StatusCategory, WorkItem } from '../domain/types';
import type { Result } from '../domain/errors';

/** Facts about the Jira site the app needs before it can query: cached, they rarely change. */
export interface SiteMeta {
  /** The app's own field id, e.g. `customfield_10100`. */
  appFieldId: string;
  /** Issue type ids at hierarchy level 1 (epics) and 0 (standard work). */
  epicTypeIds: string[];
  standardTypeIds: string[];
  /** Story points fields found on the site, best candidate first. */
  pointsFields: Array<{ id: string; name: string }>;
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

export interface JiraPort {
  siteMeta(): Promise<SiteMeta>;
  projects(): Promise<ProjectRef[]>;
  /** Every epic in the given projects (all when empty). */
  epics(meta: SiteMeta, projectKeys: string[]): Promise<Epic[]>;
  /** Epics whose field holds `destinationId`; `reconcileIssueIds` asks search to reflect just-made changes to them. */
  epicsOfDestination(meta: SiteMeta, destinationId: string, reconcileIssueIds?: string[]): Promise<Epic[]>;
  /** Direct children (standard level) of the given epics. */
  children(meta: SiteMeta, epicKeys: string[], estimate: EffectiveEstimate): Promise<WorkItem[]>;
  /** How many standard-level issues the projects hold (all when empty); Jira's approximate count. */
  countStandardIssues(meta: SiteMeta, projectKeys: string[]): Promise<number>;
  /** Standard-level issues with no epic that are in flight, in the given projects (all when empty). */
  inFlightOrphans(meta: SiteMeta, projectKeys: string[], estimate: EffectiveEstimate): Promise<WorkItem[]>;
  /** One issue as the calling user sees it; `null` when it does not exist or the user may not browse it. */
  issueAsUser(meta: SiteMeta, issueKey: string): Promise<IssueSummary | null>;
  /** Write the app's field (as the app). `null` clears it. */
  writeDestinationField(meta: SiteMeta, issueId: string, value: { id: string; name: string } | null): Promise<void>;
  isAdmin(accountId: string): Promise<boolean>;
  /** Keys of the given projects the user may browse. */
  browsableProjects(accountId: string, projects: ProjectRef[]): Promise<Set<string>>;
  canEditIssue(accountId: string, issueId: string): Promise<boolean>;
  userNames(accountIds: string[]): Promise<Map<string, string>>;
  searchUsers(query: string): Promise<Array<{ accountId: string; displayName: string }>>;
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

/** The clock the services read; the platform's `Date`. */
export interface Clock {
  now(): Date;
}

