/**
 * The contract between the Custom UI apps and the backend: resolver keys, payloads, responses, the response
 * envelope, and the rules both sides apply (limits, status and verdict lists, key patterns, date helpers).
 * Payload types are inferred from the edge's schemas (`./schemas`, backend only), so the two never differ.
 */
import type { z } from 'zod';
import type {
  Destination,
  DestinationStatus,
  Forecast,
  Freshness,
  IsoDate,
  OffRoute,
  Progress,
  Settings,
  StatusCategory,
  Warning,
} from '../domain/types';
import type { ErrorCode } from '../domain/errors';
import type { Verdict } from '../domain/types';
import type { PAYLOADS } from './schemas';
import type { CheckInSummary, EpicVoices, GadgetCard, SceneryTrend, SuccessMeasure, TripHistory, TripVoices } from './trip';
import type { Disagreement } from '../domain/check-ins';

// The domain's vocabulary, re-exported so the UIs import from the contract alone.
export type * from '../domain/types';
export { ERROR_CODES } from '../domain/errors';
export { FIELD_FORMATTER_EXPRESSION, fieldValueText, unknownDestinationText } from './field-text';
/** The destination limits the forms enforce as they type; the backend checks the same values. */
export { NAME_MAX, DESCRIPTION_MAX, MEASURE_NAME_MAX, MEASURE_UNIT_MAX } from '../domain/destination-rules';
export { DESTINATION_STATUSES, FORECAST_METHOD, ISSUE_KEY, LIVE_STATUSES, PROJECT_KEY, SETTINGS_LIMITS, VERDICTS } from '../domain/types';
/** Calendar-date arithmetic, pure and in UTC: the UIs count days as the forecast does. */
export { diffDays } from '../domain/dates';
/** Several destinations' queries as one link: the backend joins a verdict's the same way. */
export { unionJql } from '../domain/jql';
export type { ErrorCode };
/** The trip over time: history, voices, the scenery trend and the gadget's card. */
export * from './trip';

export interface ApiError {
  code: ErrorCode;
  /** A sentence a person can act on. Never a stack trace or a raw Jira body. */
  message: string;
  /** For INVALID_INPUT: which field is wrong (dotted path), so a form can show it inline. */
  field?: string;
}

/** Every resolver answers with this envelope. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiError };

/** A person, as the UIs show them. */
export interface UserRef {
  accountId: string;
  displayName: string;
}

export interface DestinationView extends Destination {
  businessOwnerName: string;
  deliveryLeadName?: string;
  /**
   * Epics whose field points at it, from the stored rollups, in every project (an aggregate computed as the
   * app, whoever is looking); absent unless asked for, or before the first calculation.
   */
  epicCount?: number;
}

export interface SaveDestinationResult {
  destination: DestinationView;
  /** Accepted but worth knowing, such as a target date in the past. */
  warnings: Warning[];
}

export interface EpicRef {
  key: string;
  summary: string;
  projectKey: string;
  statusCategory: StatusCategory;
  progress: Progress;
}

/** One row of the portfolio: a destination's figures. Its epics are read on demand (`portfolio/epics`). */
export interface DestinationRollup {
  id: string;
  name: string;
  status: DestinationStatus;
  priority: number;
  targetDate: IsoDate;
  businessOwner: string;
  businessOwnerName: string;
  /** Number of epics aligned to this destination (all of them, computed as the app). */
  epics: number;
  /** Over all of those epics: an aggregate computed as the app, like `forecast`. */
  progress: Progress;
  verdict: Forecast['verdict'];
  forecastDate: IsoDate | null;
  forecast: Forecast;
  /** Epics the calling user may browse (listed by `portfolio/epics`); `hiddenEpics` counts the others. */
  visibleEpics: number;
  hiddenEpics: number;
  /** The owner's and the lead's newest check-ins (absent only from older backends). */
  checkIns?: CheckInSummary;
  /** What the newest check-in says against the data, `null` when they agree (absent only from older backends). */
  disagreement?: Disagreement | null;
  /** Concerns not yet closed (open or answered); absent only from older backends. */
  openConcerns?: number;
  /** The destination's success measure, when it names one. */
  successMeasure?: SuccessMeasure;
}

/** Rows per page of the portfolio: `portfolio/get` answers one page of rows. */
export const PORTFOLIO_PAGE_SIZE = 25;
/** Epics per page of an epic list (`portfolio/epics`, `portfolio/off-route`), unless the caller asks for fewer. */
export const EPIC_PAGE_SIZE = 50;

/**
 * What the portfolio's first screen shows, and no more: the site-wide figures and one page of rows. Epic
 * lists (`portfolio/epics`, `portfolio/off-route`), a verdict's JQL (`portfolio/jql`) and every row at once
 * (`portfolio/export`) are separate calls, made when a row is expanded, a list or link opened, or a CSV asked for.
 */
export interface Portfolio {
  /** The date the figures are computed for. */
  asOf: IsoDate;
  /** When the figures were computed (ISO instant). */
  computedAt: string;
  /** Aggregates are computed as the app over every project in scope, whoever is looking. */
  computedAs: 'app';
  /**
   * The rows of `page`, by priority. With a project filter, only destinations with at least one epic in that
   * project; the filter narrows the settings' scope (a project outside it, or one the caller may not browse,
   * is refused with NOT_FOUND).
   */
  destinations: DestinationRollup[];
  /** 1-based; a page past the end answers the last one. */
  page: number;
  pageSize: number;
  /** Rows matching the filters, on every page. */
  totalDestinations: number;
  /** Destinations left out because none of their epics is in the filtered project (0 without a project filter). */
  hiddenDestinations: number;
  /** Over every matching row, not only this page's. */
  summary: { byVerdict: Record<Verdict, number> };
  /** The business owners of the destinations matching the status filter, for the owner filter. */
  owners: UserRef[];
  /** Projects holding an epic the caller may browse among the matching destinations and off-route work, for the project filter. */
  projects: string[];
  /** Figures are aggregates computed as the app; the epics are listed by `portfolio/off-route`. */
  offRoute: Pick<OffRoute, 'count' | 'estimate' | 'orphanCount'> & {
    /** Off-route epics the calling user may browse. */
    visibleEpics: number;
    hiddenEpics: number;
  };
  /**
   * Restated for the caller: a warning about epics names only those the caller may browse (and is left out
   * when there are none); a count-only warning keeps the app-level count and lists only browsable issues.
   */
  warnings: Warning[];
  /** JQL for each figure (the destinations of this page), so the UI can link every number to the issue navigator. */
  jql: PortfolioJql;
  /** How fresh the figures are; absent only from older backends. */
  freshness?: Freshness;
}

/** A page of an epic list, only epics the caller may browse; `hiddenEpics` counts the others. */
export interface EpicPage<T> {
  epics: T[];
  /** Browsable epics in the whole list. */
  total: number;
  hiddenEpics: number;
  /** Where the next page starts, `null` on the last. */
  nextOffset: number | null;
}

/** Every row of the portfolio, for the CSV export. */
export interface PortfolioExport {
  asOf: IsoDate;
  destinations: DestinationRollup[];
}

/** A background recalculation, as the admin page shows it. */
export interface ReconcileStatus {
  run: {
    runId: string;
    phase: 'epics' | 'children' | 'orphans' | 'finalize' | 'done' | 'failed';
    startedAt: string;
    updatedAt: string;
    finishedAt?: string;
    startedBy: string;
    epics: number;
    items: number;
    /** 0..1, from the phases and batches done. */
    progress: number;
    /** Going: neither finished nor failed, and heard from lately (judged on the server's clock). */
    active: boolean;
    /** Set while the run waits for Jira's hourly points quota: when it goes on. */
    waitingUntil?: string;
    /** When the run should end, from its pace and Jira's quota; absent until there is enough to go by. */
    estimatedFinishAt?: string;
    error?: string;
  } | null;
  /** The rollup surfaces read now. */
  current: { reconciledAt: string; finishedAt: string; epics: number; items: number } | null;
}

export interface PortfolioJql {
  /** Children of the epics of a destination: `byDestination[id]`. */
  byDestination: Record<string, string>;
  offRoute: string;
  inFlight: string;
}

export interface EpicAlignment {
  epic: { key: string; summary: string; projectKey: string; isEpic: boolean };
  /** `null` when the epic serves no destination. */
  destination: DestinationView | null;
  /** Set when the field points at a destination that is unknown or archived. */
  alignmentProblem: { code: 'UNKNOWN_DESTINATION' | 'ARCHIVED_DESTINATION'; destinationId: string; message: string } | null;
  /** This epic's own progress (the caller may browse the epic; its children are counted as the app). */
  progress: Progress;
  /** This epic's share of its destination's total (count and estimate), 0..1; `null` when unaligned. */
  share: { count: number; estimate: number } | null;
  /** The destination's forecast over all its epics (an aggregate computed as the app), `null` when unaligned. */
  forecast: Forecast | null;
  /** Other epics on the same destination that the caller may browse. */
  siblings: EpicRef[];
  hiddenSiblings: number;
  warnings: Warning[];
  /** Whether the caller may change the destination (edit permission on the epic). */
  canEdit: boolean;
  /** How fresh the progress, share and forecast are; absent only from older backends. */
  freshness?: Freshness;
  /** What the destination's newest check-in says against the data, `null` when they agree or unaligned. */
  disagreement?: Disagreement | null;
}

/** Settings as an admin saves them; a chance threshold left out keeps its current value. */
export type SettingsInput = z.output<(typeof PAYLOADS)['settings/save']>['settings'];

export interface SettingsView {
  settings: Settings;
  /** Story points fields found on the site; the first is what `auto` uses. */
  estimateFields: Array<{ id: string; name: string }>;
  /** What `auto` resolves to right now. */
  effectiveEstimate: { kind: 'points'; fieldId: string; name: string } | { kind: 'originalEstimate' } | { kind: 'none' };
  projects: Array<{ key: string; name: string }>;
}

export interface Me {
  accountId: string;
  displayName: string;
  isAdmin: boolean;
}

/** Every resolver key with its response. Keys are namespaced `area/verb`. */
interface Responses {
  'me/get': Me;
  'users/search': UserRef[];
  'destinations/list': DestinationView[];
  'destinations/get': DestinationView;
  'destinations/create': SaveDestinationResult;
  'destinations/update': SaveDestinationResult;
  'destinations/reorder': DestinationView[];
  'destinations/archive': DestinationView;
  'destinations/restore': SaveDestinationResult;
  'destinations/delete': { id: string };
  'epic/alignment': EpicAlignment;
  'epic/set-destination': EpicAlignment;
  'portfolio/get': Portfolio;
  'portfolio/epics': EpicPage<EpicRef>;
  'portfolio/off-route': EpicPage<Pick<EpicRef, 'key' | 'summary' | 'projectKey'>> & { orphanCount: number };
  'portfolio/jql': { jql: string | null };
  'portfolio/export': PortfolioExport;
  'reconcile/start': ReconcileStatus;
  'reconcile/status': ReconcileStatus;
  'settings/get': SettingsView;
  'settings/save': SettingsView;
  'trip/history': TripHistory;
  'trip/baseline': TripHistory;
  'trip/voices': TripVoices;
  'trip/check-in': TripVoices;
  'trip/respond': TripVoices;
  'portfolio/scenery': SceneryTrend;
  'epic/trip-history': TripHistory;
  'epic/voices': EpicVoices;
  'concern/raise': EpicVoices;
  'gadget/card': GadgetCard;
}

export type ResolverKey = keyof Responses;
/** What a caller sends for `K`: the input of its schema. */
export type PayloadOf<K extends ResolverKey> = z.input<(typeof PAYLOADS)[K]>;
export type ResponseOf<K extends ResolverKey> = Responses[K];
/** Every resolver key with its payload and response. */
export type ResolverMap = { [K in ResolverKey]: { payload: PayloadOf<K>; response: ResponseOf<K> } };

/** The custom field's stored value. */
export interface DestinationFieldValue {
  id: string;
  name: string;
}

/** Manifest module and function keys the code refers to. */
export const MODULE_KEYS = {
  field: 'business-destination-field',
  panel: 'destination-panel',
  portfolio: 'destinations-portfolio',
  admin: 'destinations-admin',
  issueTrigger: 'issue-events',
  reconcileConsumer: 'reconcile-consumer',
  fieldSyncConsumer: 'field-sync-consumer',
  dailyReconcile: 'daily-reconcile',
  gadget: 'destination-gadget',
} as const;

/** The queue the background recalculation runs on. */
export const RECONCILE_QUEUE = 'rollup-reconcile';

/** The queue that rewrites the field's stored name after a destination is renamed. */
export const FIELD_SYNC_QUEUE = 'destination-field-sync';

/** The queue that folds event deltas into the stored shards, one compaction at a time (manifest.yml). */
export const COMPACTION_QUEUE = 'rollup-compact';
