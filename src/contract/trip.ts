/**
 * The trip over time, as the UIs receive it: a destination's burn-up and forecast history, its scope drift,
 * the portfolio's scenery trend (`trip/history`, `trip/baseline`, `portfolio/scenery`, `epic/trip-history`),
 * and what people say about it: check-ins, the disagreement flag, concerns (`trip/voices`, `trip/check-in`,
 * `trip/respond`, `epic/voices`, `concern/raise`), and the dashboard gadget's card (`gadget/card`).
 *
 * History and voices are separate calls so a view can ask for both at once and paint whichever comes first.
 */
import type { BurnUpPoint, BurnUpStep } from '../domain/burn-up';
import type { CheckIn, CheckInRole, CheckInStatus, Disagreement } from '../domain/check-ins';
import type { ConcernState } from '../domain/concerns';
import type { ScopeDrift } from '../domain/scope-drift';
import type { SceneryPoint } from '../domain/scenery-trend';
import type { Forecast, IsoDate, IsoDateTime, Progress, Verdict } from '../domain/types';

export type { BurnUpPoint, BurnUpStep, CheckInRole, CheckInStatus, ConcernState, Disagreement, ScopeDrift, SceneryPoint };
export { CHECK_IN_STATUSES, MAX_CHECK_IN_NOTE } from '../domain/check-ins';
export { MAX_CONCERN_TEXT } from '../domain/concerns';
export { BURN_UP_LIMITS } from '../domain/burn-up';
export { SCENERY_LIMITS } from '../domain/scenery-trend';

/** What the business will see when the destination is reached, and how it is measured (name 1..120 characters, unit at most 20). */
export type { SuccessMeasure } from '../domain/types';
import type { SuccessMeasure } from '../domain/types';

/** One day of a destination's kept history (a daily snapshot). */
export interface TripSnapshot {
  date: IsoDate;
  done: number;
  scope: number;
  doneEstimate: number;
  scopeEstimate: number;
  forecastDate: IsoDate | null;
  likelyFrom: IsoDate | null;
  likelyTo: IsoDate | null;
  /** Whole percent, `null` without a forecast range. */
  chance: number | null;
}

/** A destination's trip from its data: the burn-up, its forecast then and now, and what changed in scope. */
export interface TripHistory {
  destinationId: string;
  asOf: IsoDate;
  targetDate: IsoDate;
  /** Done and scope from the first day (reconstructed from created and resolution dates), up to `asOf`. */
  burnUp: { step: BurnUpStep; points: BurnUpPoint[] };
  /** What a reconstructed burn-up cannot know, said beside the chart and its table. */
  limits: string[];
  /** Days the app kept a snapshot of, oldest first (forecast median and range as they were that day). */
  snapshots: TripSnapshot[];
  /** Today's forecast: its range is the band drawn ahead of `asOf`. */
  forecast: Forecast;
  progress: Progress;
  /** Scope since the baseline; `null` before one is taken. */
  drift: ScopeDrift | null;
  /** Why there is no baseline (for example a route too big to keep), when there is none. */
  baselineNote: string | null;
  /** Whether the caller may take a new baseline (an admin, the owner or the lead). */
  canBaseline: boolean;
}

/** A check-in as the UIs show it: as kept, with the name of who made it. */
export interface CheckInView extends CheckIn {
  byName: string;
}

/** A concern as the caller may see it: `epic` is `null` when the caller may not browse the epic it came from. */
export interface ConcernItem {
  id: string;
  destinationId: string;
  text: string;
  by: string;
  byName: string;
  at: IsoDateTime;
  epic: { key: string; summary: string } | null;
  state: ConcernState;
  answer?: { text: string; by: string; byName: string; at: IsoDateTime };
}

/** The newest check-in of each role, and whether one is due, as a portfolio row or a card carries them. */
export interface CheckInSummary {
  owner: Pick<CheckInView, 'status' | 'at' | 'byName'> | null;
  lead: Pick<CheckInView, 'status' | 'at' | 'byName'> | null;
  /** The newest check-in is older than the cadence setting, or there is none. */
  due: boolean;
}

/** What people say about one destination. */
export interface TripVoices {
  destinationId: string;
  /** Oldest first, up to two years. */
  checkIns: CheckInView[];
  latest: { owner: CheckInView | null; lead: CheckInView | null };
  due: { due: boolean; lastDay: IsoDate | null; cadenceWeeks: number };
  /** What the newest check-in says against the data; `null` when they agree. */
  disagreement: Disagreement | null;
  /** Open and answered first, newest first; then closed ones. */
  concerns: ConcernItem[];
  successMeasure: SuccessMeasure | null;
  /** The caller's role on the destination: who may check in and answer concerns. */
  role: CheckInRole | null;
}

/** What the epic panel shows of its destination's voices. */
export interface EpicVoices {
  destinationId: string;
  latest: { owner: CheckInView | null; lead: CheckInView | null };
  disagreement: Disagreement | null;
  openConcerns: number;
  /** Concerns the caller raised on this destination, with their answers. */
  mine: ConcernItem[];
  /** Whether the caller may raise a concern from this epic (may browse it, destination not archived). */
  canRaise: boolean;
}

/** The portfolio's scenery trend, week by week. */
export interface SceneryTrend {
  asOf: IsoDate;
  /** Oldest first; the last point is the current week. */
  points: Array<SceneryPoint & { jql: string }>;
  /** The project the trend is limited to, when asked. */
  projectKey: string | null;
  /** Projects the caller may browse, for the trend's project picker. */
  projects: string[];
  limits: string;
}

/** One destination's card on a dashboard, or the portfolio headline. */
export type GadgetCard =
  | {
    kind: 'destination';
    destination: { id: string; name: string; targetDate: IsoDate; ownerName: string };
    progress: Progress;
    verdict: Verdict;
    forecast: Forecast;
    checkIns: CheckInSummary;
    disagreement: Disagreement | null;
    openConcerns: number;
  }
  | {
    kind: 'portfolio';
    asOf: IsoDate;
    destinations: number;
    byVerdict: Record<Verdict, number>;
    offRouteShare: number | null;
    disagreements: number;
    openConcerns: number;
  };
