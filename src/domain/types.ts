/**
 * The domain's vocabulary. Pure data: no Forge, no I/O. Every other layer speaks in these types.
 */

import type { ChildMark, Members } from './epic-members';
import { DEFAULT_CHECK_IN_CADENCE_WEEKS } from './check-ins';

/** ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** ISO instant, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export type IsoDateTime = string;
/** Atlassian account id. */
export type AccountId = string;

export const DESTINATION_STATUSES = ['draft', 'active', 'achieved', 'archived'] as const;
export type DestinationStatus = (typeof DESTINATION_STATUSES)[number];
/** The statuses a save may set and the portfolio shows by default: `archived` is reached through archive. */
export const LIVE_STATUSES = ['draft', 'active', 'achieved'] as const satisfies readonly DestinationStatus[];
export type LiveStatus = (typeof LIVE_STATUSES)[number];

/**
 * Jira keys as Jira's default key pattern allows them: a project key is a capital letter then 1 to 9
 * capitals, digits or `_`; an issue key is a project key, a hyphen and a number. The one rule for the
 * resolvers' schemas, the settings, the site-file loader and the UIs.
 */
export const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
export const ISSUE_KEY = /^[A-Z][A-Z0-9_]{1,9}-\d{1,9}$/;

/** A business destination: a key initiative with an owner and a date by which it must be reached. */
export interface Destination {
  /** Stable short id, `D-<n>`, never reused. */
  id: string;
  /** 1..120 characters, unique (case-insensitive, trimmed) among non-archived destinations. */
  name: string;
  /** Plain text, at most 2000 characters. */
  description: string;
  businessOwner: AccountId;
  deliveryLead?: AccountId;
  targetDate: IsoDate;
  startDate?: IsoDate;
  /** Rank: 1 is the most important. Unique among all destinations. */
  priority: number;
  status: DestinationStatus;
  /** Optimistic concurrency: incremented on every save. */
  version: number;
  createdAt: IsoDateTime;
  createdBy: AccountId;
  updatedAt: IsoDateTime;
  updatedBy: AccountId;
  /** Set while archived: the status to return to on restore (absent on destinations never archived). */
  archivedFrom?: Exclude<DestinationStatus, 'archived'>;
  /** What the business will see on arrival, and how it is measured; check-ins record its value. */
  successMeasure?: SuccessMeasure;
}

/** A destination's success measure (the contract's `SuccessMeasure`): name 1..120, unit at most 20, baseline != target. */
export interface SuccessMeasure {
  name: string;
  unit: string;
  baseline: number;
  target: number;
}

/**
 * A destination as an admin submits it. The edge's schema (`src/contract/schemas.ts`) has trimmed it and
 * checked its shapes and limits; the domain adds the rules that need the stored destinations.
 */
export interface DestinationDraft {
  name: string;
  description?: string;
  businessOwner: AccountId;
  deliveryLead?: AccountId;
  targetDate: IsoDate;
  startDate?: IsoDate;
  /** `archived` is reached through archive, never through a save. */
  status?: LiveStatus;
  /** Absent: the destination names no success measure (a save without it removes one). */
  successMeasure?: SuccessMeasure;
}

export type StatusCategory = 'new' | 'indeterminate' | 'done';

/** A child issue of an epic (hierarchy level 0), as the domain needs it. */
export interface WorkItem {
  id: string;
  key: string;
  projectKey: string;
  statusCategory: StatusCategory;
  /** Story points or hours of original estimate, depending on settings; `null` when unestimated. */
  estimate: number | null;
  /** Resolution date (ISO instant or date) when done, else `null`. */
  resolved: string | null;
  /** Creation date (ISO instant or date), for the burn-up's scope line; absent where it was not read. */
  created?: string | null;
  /** Key of the parent epic, or `null` when the issue has no epic. */
  epicKey: string | null;
}

/** An epic (hierarchy level 1), as the domain needs it. */
export interface Epic {
  id: string;
  key: string;
  summary: string;
  projectKey: string;
  statusCategory: StatusCategory;
  /** The Business destination field as read (see `FieldDestination`). */
  destinationId: FieldDestination;
}

/**
 * The Business destination field as the app reads it: the destination id, `null` when empty, or a marker for
 * a value the app cannot read (kept, so the epic is reported rather than taken for unaligned). JSON-safe, as
 * it is stored with the rollups.
 */
export type FieldDestination = string | null | { unreadable: true };

/** The estimate measure after resolving `auto` against the site. */
export type EffectiveEstimate =
  | { kind: 'points'; fieldId: string; name: string }
  | { kind: 'originalEstimate' }
  | { kind: 'none' };

/** One epic as the stored rollups keep it: its own fields, and the progress of its direct children. */
export interface EpicEntry extends Epic {
  /** When the fields were read (ms). */
  fAt: number;
  progress: Progress;
  /** Done children per resolution week (`weekOf` in throughput-weeks.ts), within the longest throughput window. */
  doneWeeks: Record<string, number>;
  /** A few keys of unestimated children, for the warning's refs. */
  unestimatedKeys: string[];
  /** When the progress was read (ms). */
  pAt: number;
  /** Set when the epic was deleted in Jira (kept as a tombstone so an older fact cannot bring it back). */
  deleted?: true;
  /** Each child's contribution by issue id (see `epic-members.ts`); absent on entries built without them. */
  members?: Members;
}

/** An issue with no epic that is in flight: it counts as off-route. `projectKey: null` is a tombstone. */
export interface OrphanEntry {
  key: string;
  projectKey: string | null;
  estimate: number | null;
  at: number;
}

/** A fact read from Jira, stamped with the time (ms) it was read: the newest read wins. */
export type RollupDelta =
  | { t: 'fields'; at: number; key: string; id: string; summary: string; projectKey: string; statusCategory: StatusCategory; destinationId: FieldDestination }
  | { t: 'progress'; at: number; key: string; progress: Progress; doneWeeks: Record<string, number>; unestimatedKeys: string[]; members?: Members }
  /** One child's contribution to the epic `key` (category -1: it left), applied without re-reading siblings. */
  | { t: 'member'; at: number; key: string; id: string; mark: ChildMark }
  | { t: 'deleted'; at: number; key: string }
  | { t: 'orphan'; at: number; id: string; key: string; projectKey: string | null; estimate: number | null };

/** A child issue (hierarchy level 0) as the rollups need it: a work item whose parent may be any issue. */
export type ChildFacts = Omit<WorkItem, 'epicKey'> & { parentKey: string | null };

export interface CountProgress {
  new: number;
  indeterminate: number;
  done: number;
  total: number;
}

export interface EstimateProgress {
  new: number;
  indeterminate: number;
  done: number;
  total: number;
  /** Issues counted in `count` that carry no estimate. */
  unestimated: number;
}

export interface Progress {
  count: CountProgress;
  estimate: EstimateProgress;
}

/** Every verdict, in the order the UIs list them (best first, then arrived, then no data). */
export const VERDICTS = ['on track', 'at risk', 'off track', 'arrived', 'no data'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Forecast {
  /**
   * Derived from `range.probabilityByTarget` and the settings' thresholds (see `verdictOf`), so the verdict
   * never disagrees with the chance shown beside it; `arrived` and `no data` when there is nothing to forecast.
   */
  verdict: Verdict;
  /**
   * The most likely arrival: the median of the simulated arrivals, always inside `range`. `null` when no data,
   * arrived, or beyond ten years.
   */
  forecastDate: IsoDate | null;
  /** Whole days the forecast date is before the target, 0 when on or after it; `null` without a forecast date. */
  daysEarly: number | null;
  /** Whole days the forecast date is after the target, 0 when on or before it; `null` without a forecast date. */
  daysLate: number | null;
  /** The likely range and the chance of arriving on time, when there is a pace to forecast from. */
  range?: ForecastRange | null;
  /** Done items per week over the throughput window. */
  throughputPerWeek: number;
  /** Remaining items (new + indeterminate). */
  remaining: number;
  /** Weeks of history the throughput is based on. */
  windowWeeks: number;
  /** One sentence a leader can read: why this verdict, in dates and chances (no statistics). */
  reason: string;
}

/**
 * How sure a forecast is: a likely range around the forecast date and the chance of arriving by the target
 * date. `likelyFrom <= forecastDate <= likelyTo` by construction (percentiles of the same arrivals).
 */
export interface ForecastRange {
  /** The early end of the likely range (15% of the simulated arrivals are earlier); `null` beyond ten years. */
  likelyFrom: IsoDate | null;
  /** The late end of the likely range (85% of the simulated arrivals are on or before it); `null` beyond ten years. */
  likelyTo: IsoDate | null;
  /** Share of simulated arrivals on or before the target date, 0..1, in whole percent (0.7, never 0.6995). */
  probabilityByTarget: number;
  method: 'monte carlo' | 'normal approximation';
}

/**
 * How a forecast is worked out (`forecast-range.ts`), in one place so the tooltip that explains it says the same:
 * the number of simulated futures, and the percentiles of their arrivals read as the forecast and its range.
 */
export const FORECAST_METHOD = { trials: 2000, likelyFrom: 0.15, forecast: 0.5, likelyTo: 0.85 } as const;

export interface ShareFigures {
  inFlight: number;
  offRoute: number;
  /** offRoute / inFlight, 0..1; 0 when nothing is in flight. */
  share: number;
}

export interface OffRoute {
  count: ShareFigures;
  estimate: ShareFigures;
  /** Epics in scope with in-flight children that serve no (or an unknown/archived) destination. */
  epicKeys: string[];
  /** In-flight issues with no epic. */
  orphanCount: number;
}

/** Problems found in the data that a person should know about; never silently dropped. */
export interface Warning {
  code:
    | 'UNKNOWN_DESTINATION'
    | 'ARCHIVED_DESTINATION'
    | 'PAST_TARGET_DATE'
    | 'UNESTIMATED_WORK'
    | 'OUT_OF_SCOPE'
    | 'PARTIAL_VIEW'
    | 'APP_RESTRICTED';
  message: string;
  /** Issue keys or destination ids concerned, when any. */
  refs?: string[];
}

export type EstimateFieldSetting =
  | { kind: 'auto' }
  | { kind: 'points'; fieldId: string }
  | { kind: 'originalEstimate' }
  | { kind: 'none' };

export interface Settings {
  /** Project keys in scope; empty means every project. */
  projectKeys: string[];
  estimateField: EstimateFieldSetting;
  /** Throughput window in weeks, 1..52. */
  throughputWeeks: number;
  /** `on track` when the chance of arriving by the target date is at least this, in whole percent. */
  onTrackChance: number;
  /** `at risk` when the chance is at least this (and below `onTrackChance`); `off track` below it. */
  atRiskChance: number;
  /** A check-in is due when the newest is older than this many weeks, 1..12. */
  checkInCadenceWeeks: number;
  version: number;
}

export const DEFAULT_SETTINGS: Settings = {
  projectKeys: [],
  estimateField: { kind: 'auto' },
  throughputWeeks: 12,
  onTrackChance: 70,
  atRiskChance: 30,
  checkInCadenceWeeks: DEFAULT_CHECK_IN_CADENCE_WEEKS,
  version: 0,
};

/**
 * Limits of the numeric settings, validated by `settings-rules.ts` and offered by the admin page. Chances are
 * whole percent; `atRiskChance` must also stay below `onTrackChance`.
 */
export const SETTINGS_LIMITS = {
  throughputWeeks: { min: 1, max: 52 },
  onTrackChance: { min: 1, max: 100 },
  atRiskChance: { min: 0, max: 99 },
  checkInCadenceWeeks: { min: 1, max: 12 },
} as const;

/** The chance thresholds a verdict is read from (see `Settings`). */
export type ChanceThresholds = Pick<Settings, 'onTrackChance' | 'atRiskChance'>;

/** How an epic's Business destination field resolves against the known destinations. */
export type Alignment =
  | { kind: 'aligned'; destination: Destination }
  /** `malformed`: the field held something that is neither empty nor a destination reference. */
  | { kind: 'unaligned'; malformed: boolean }
  | { kind: 'unknown'; destinationId: string }
  | { kind: 'archived'; destination: Destination };

export interface EpicProgress {
  epicKey: string;
  progress: Progress;
}

/** One destination in a portfolio rollup: the sum over its epics (in scope), with per-epic detail. */
export interface DestinationRollupEntry {
  destination: Destination;
  /** Aligned epics in projects in scope, in input order. */
  epicKeys: string[];
  perEpic: EpicProgress[];
  progress: Progress;
  forecast: Forecast;
}

export interface PortfolioRollup {
  /** Ranked by priority (1 first). */
  destinations: DestinationRollupEntry[];
  offRoute: OffRoute;
  warnings: RollupWarning[];
}

/**
 * A portfolio warning as the app sees it, with every epic it is about, so that a view can restate it for a
 * viewer who may not browse all of them (see `warningForViewer`). Never sent to a UI as is.
 */
export interface RollupWarning extends Warning {
  about?:
    | { kind: 'alignment'; alignment: Alignment; epics: Array<{ key: string; projectKey: string }> }
    | { kind: 'outOfScope'; epics: Array<{ key: string; projectKey: string }> };
}

/** One epic seen from its destination (the issue panel). */
export interface EpicRollup {
  epicKey: string;
  alignment: Alignment;
  progress: Progress;
  /** The destination's rollup when the field points at a known destination (even an archived one). */
  destination: DestinationRollupEntry | null;
  /** This epic's share of its destination (0..1); `null` when unaligned, unknown or out of scope. */
  share: { count: number; estimate: number } | null;
  warnings: Warning[];
}

/**
 * How fresh stored figures are. A number the app could not bring up to date is never hidden or zeroed: it is
 * shown with `stale: true`, the reason, and its age.
 */
export interface Freshness {
  /** `stored`: read from the rollups kept fresh by events; `calculating`: no rollup yet, the first one is being built. */
  source: 'stored' | 'calculating';
  /** When the last complete recalculation started reading Jira (ISO), `null` before the first one. */
  reconciledAt: string | null;
  /** The newest change the figures include (ISO). */
  updatedAt: string;
  /** Seconds since `updatedAt`, when the answer was made. */
  ageSeconds: number;
  stale: boolean;
  /** Why the figures may be behind Jira, for a person. */
  staleReason?: string;
  /** Since when changes wait to be applied (ISO), when any do. */
  pendingSince?: string;
  /** A recalculation is running. */
  recalculating: boolean;
  /** While `calculating`: how far the first recalculation is (0..1) and how many issues it has read. */
  calculation?: { progress: number; items: number };
}
