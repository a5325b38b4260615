/**
 * Pure calculations over stored rollups: an epic's figures from its children, facts applied newest-first,
 * and the portfolio assembled from per-epic entries. The rules are the domain's (`rollup.ts`); this file
 * restates its single pass over items as a pass over per-epic sums, so a view costs O(epics), not O(issues).
 * `stored-rollup.test.ts` checks both give the same figures.
 */
import { alignEpic } from '../domain/alignment';
import { addDays, dateOf } from '../domain/dates';
import { forecast } from '../domain/forecast';
import { addItem, emptyProgress, ratio, sizedEstimate, sumProgress } from '../domain/progress';
import { alignmentProblemWarning, MAX_REFS, outOfScopeWarning, type RollupSettings, scopeOf } from '../domain/rollup';
import type {
  Alignment,
  Destination,
  DestinationRollupEntry,
  Forecast,
  IsoDate,
  PortfolioRollup,
  Progress,
  RollupWarning,
  StatusCategory,
  Warning,
} from '../domain/types';
import type { EffectiveEstimate } from './ports';
import type { ChildFacts, EpicEntry, OrphanEntry, RollupDelta, RollupJqlMeta } from './rollup-ports';

/** The app-level portfolio, free of anything user-specific: what a view is cut from. */
export interface SiteRollup {
  asOf: string;
  computedAt: string;
  rollup: PortfolioRollup;
  epics: Array<{ key: string; summary: string; projectKey: string; statusCategory: StatusCategory }>;
  jql: RollupJqlMeta & { projectKeys: string[] };
}

const DAY_MS = 86_400_000;
/** Done dates are kept for the longest throughput window the settings allow (52 weeks) and a week more. */
export const DONE_HISTORY_DAYS = 53 * 7;
/** Unestimated child keys kept per epic: the warning shows at most MAX_REFS in all. */
const UNESTIMATED_KEYS_PER_EPIC = 5;

export function dayNumber(date: IsoDate): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

const dayStrings = new Map<number, IsoDate>();
function dayOfNumber(n: number): IsoDate {
  let day = dayStrings.get(n);
  if (day === undefined) {
    day = new Date(n * DAY_MS).toISOString().slice(0, 10);
    dayStrings.set(n, day);
  }
  return day;
}

/**
 * Forecasts already worked out, by destination: the forecast is a pure function of the weekly done counts
 * and a few numbers, so a fingerprint of those decides whether a stored one still holds. Rebuilding one item
 * date per done item for `forecast()` is what a big site's view would otherwise spend its time on.
 */
/** Part of every fingerprint: a memo stored with an older `Forecast` shape is recomputed, never reused. */
export const FORECAST_SHAPE = 'f2';

export type ForecastMemo = Record<string, { fingerprint: string; forecast: Forecast }>;

export type EpicFigures = Pick<EpicEntry, 'key' | 'progress' | 'doneDays' | 'unestimatedKeys'>;

/** Each epic's figures from its direct children; every key in `epicKeys` gets an entry, even childless. */
export function figuresOf(epicKeys: readonly string[], children: readonly ChildFacts[], today: IsoDate): Map<string, EpicFigures> {
  const out = new Map<string, EpicFigures>(epicKeys.map((key) => [key, { key, progress: emptyProgress(), doneDays: {}, unestimatedKeys: [] }]));
  const oldest = dayNumber(today) - DONE_HISTORY_DAYS;
  for (const child of children) {
    if (child.parentKey === null) continue;
    const figures = out.get(child.parentKey);
    if (!figures) continue;
    addItem(figures.progress, { ...child, epicKey: child.parentKey });
    if (!isSized(child.estimate) && figures.unestimatedKeys.length < UNESTIMATED_KEYS_PER_EPIC) figures.unestimatedKeys.push(child.key);
    if (child.statusCategory === 'done' && child.resolved !== null) {
      const date = dateOf(child.resolved);
      if (date === null) continue;
      const day = dayNumber(date);
      if (day < oldest) continue;
      figures.doneDays[day] = (figures.doneDays[day] ?? 0) + 1;
    }
  }
  return out;
}

/** A child's contribution when it has no epic: only in-flight orphans count (as off-route). */
export function orphanOf(child: ChildFacts, at: number): OrphanEntry {
  return child.parentKey === null && child.statusCategory === 'indeterminate'
    ? { key: child.key, projectKey: child.projectKey, estimate: child.estimate, at }
    : { key: child.key, projectKey: null, estimate: null, at };
}

function isSized(estimate: number | null): estimate is number {
  return sizedEstimate(estimate) !== null;
}

/** Apply one fact if it is at least as new as what is stored; returns whether anything changed. */
export function applyDelta(epics: Map<string, EpicEntry>, orphans: Map<string, OrphanEntry>, delta: RollupDelta): boolean {
  switch (delta.t) {
    case 'fields': {
      const current = epics.get(delta.key);
      if (current && current.fAt > delta.at) return false;
      const { t: _t, at, ...fields } = delta;
      epics.set(delta.key, current
        ? { ...current, ...fields, fAt: at, ...(current.deleted ? { deleted: undefined } : {}) }
        : { ...fields, fAt: at, progress: emptyProgress(), doneDays: {}, unestimatedKeys: [], pAt: 0 });
      stripUndefined(epics.get(delta.key) as EpicEntry);
      return true;
    }
    case 'progress': {
      const current = epics.get(delta.key);
      // Progress of an epic the app has not seen yet waits until its fields arrive (a stub keeps it).
      if (current && current.pAt > delta.at) return false;
      const base: EpicEntry = current ?? { key: delta.key, id: '', summary: '', projectKey: delta.key.split('-')[0] ?? '', statusCategory: 'new', destinationId: null, fAt: 0, progress: emptyProgress(), doneDays: {}, unestimatedKeys: [], pAt: 0 };
      epics.set(delta.key, { ...base, progress: delta.progress, doneDays: delta.doneDays, unestimatedKeys: delta.unestimatedKeys, pAt: delta.at });
      return true;
    }
    case 'deleted': {
      const current = epics.get(delta.key);
      if (!current || current.fAt > delta.at) return false;
      epics.set(delta.key, { ...current, deleted: true, fAt: delta.at });
      return true;
    }
    case 'orphan': {
      const current = orphans.get(delta.id);
      if (current && current.at > delta.at) return false;
      orphans.set(delta.id, { key: delta.key, projectKey: delta.projectKey, estimate: delta.estimate, at: delta.at });
      return true;
    }
  }
}

function stripUndefined(entry: EpicEntry): void {
  if (entry.deleted === undefined) delete entry.deleted;
}

/** An entry counts once its fields were read (a progress-only stub is an epic the app has not seen yet). */
export function isLive(entry: EpicEntry): boolean {
  return entry.deleted !== true && entry.fAt > 0;
}

export interface AssembleInput {
  destinations: readonly Destination[];
  epics: Iterable<EpicEntry>;
  orphans: Iterable<OrphanEntry>;
  settings: RollupSettings;
  today: IsoDate;
  includeArchived?: boolean;
  /** Narrows the view to these projects (each in scope); absent = the whole scope. */
  projectFilter?: readonly string[];
  /** Read and filled in: forecasts whose inputs have not changed are reused. */
  forecasts?: ForecastMemo;
}

interface EpicState {
  entry: EpicEntry;
  alignment: Alignment;
}

/** The portfolio rollup from per-epic entries, with the domain's rules (see `rollup.ts`). */
export function assemblePortfolio(input: AssembleInput): PortfolioRollup {
  const { inView, reportedOutOfScope } = scopeOf(input.settings, input.projectFilter);
  const destinationsById = new Map(input.destinations.map((d) => [d.id, d]));
  const byDestination = new Map<string, EpicState[]>();
  const alignmentProblems = new Map<string, { alignment: Alignment; epics: EpicEntry[] }>();
  const outOfScopeAligned: EpicEntry[] = [];
  const inFlight = { count: 0, estimate: 0 };
  const offRoute = { count: 0, estimate: 0 };
  const offRouteEpics: string[] = [];
  let unestimatedCount = 0;
  const unestimatedKeys: string[] = [];
  let orphanCount = 0;

  const epics = [...input.epics].filter(isLive).sort((a, b) => compareKeys(a.key, b.key));
  for (const entry of epics) {
    const alignment = alignEpic(entry.destinationId, destinationsById);
    if (!inView(entry.projectKey)) {
      if (reportedOutOfScope(entry.projectKey) && alignment.kind !== 'unaligned') outOfScopeAligned.push(entry);
      continue;
    }
    if (alignment.kind === 'aligned' || alignment.kind === 'archived') {
      const list = byDestination.get(alignment.destination.id) ?? [];
      list.push({ entry, alignment });
      byDestination.set(alignment.destination.id, list);
    }
    const problem = problemKeyOf(alignment);
    if (problem !== null) {
      const group = alignmentProblems.get(problem) ?? { alignment, epics: [] };
      group.epics.push(entry);
      alignmentProblems.set(problem, group);
    }
    const p = entry.progress;
    unestimatedCount += p.estimate.unestimated;
    for (const key of entry.unestimatedKeys) if (unestimatedKeys.length < MAX_REFS) unestimatedKeys.push(key);
    inFlight.count += p.count.indeterminate;
    inFlight.estimate += p.estimate.indeterminate;
    if (alignment.kind !== 'aligned' && p.count.indeterminate > 0) {
      offRoute.count += p.count.indeterminate;
      offRoute.estimate += p.estimate.indeterminate;
      offRouteEpics.push(entry.key);
    }
  }
  const orphanList = [...input.orphans].filter((o): o is OrphanEntry & { projectKey: string } => o.projectKey !== null && inView(o.projectKey));
  orphanList.sort((a, b) => compareKeys(a.key, b.key));
  for (const orphan of orphanList) {
    orphanCount += 1;
    const estimate = isSized(orphan.estimate) ? orphan.estimate : null;
    if (estimate === null) {
      unestimatedCount += 1;
      if (unestimatedKeys.length < MAX_REFS) unestimatedKeys.push(orphan.key);
    }
    inFlight.count += 1;
    inFlight.estimate += estimate ?? 0;
    offRoute.count += 1;
    offRoute.estimate += estimate ?? 0;
  }

  const destinations = [...input.destinations]
    .filter((d) => input.includeArchived === true || d.status !== 'archived')
    .sort((a, b) => a.priority - b.priority)
    .map((d) => destinationEntry(d, byDestination.get(d.id) ?? [], input));

  const warnings: RollupWarning[] = [];
  for (const group of alignmentProblems.values()) {
    const warning = alignmentProblemWarning(group.alignment, group.epics);
    if (warning) warnings.push(warning);
  }
  if (outOfScopeAligned.length > 0) warnings.push(outOfScopeWarning(outOfScopeAligned));
  if (unestimatedCount > 0 && input.settings.estimateField.kind !== 'none') {
    const n = unestimatedCount;
    warnings.push(capRefs({
      code: 'UNESTIMATED_WORK',
      message: `${n} ${n === 1 ? 'issue has' : 'issues have'} no estimate: counted in the issue counts but not in the estimate figures.`,
      refs: unestimatedKeys,
    }));
  }
  return {
    destinations,
    offRoute: {
      count: { inFlight: inFlight.count, offRoute: offRoute.count, share: ratio(offRoute.count, inFlight.count) },
      estimate: { inFlight: inFlight.estimate, offRoute: offRoute.estimate, share: ratio(offRoute.estimate, inFlight.estimate) },
      epicKeys: offRouteEpics,
      orphanCount,
    },
    warnings,
  };
}

/** A destination's rollup and forecast from the entries of its epics. */
export function destinationEntry(
  destination: Destination,
  states: ReadonlyArray<{ entry: Pick<EpicEntry, 'key' | 'progress' | 'doneDays'> }>,
  input: Pick<AssembleInput, 'settings' | 'today' | 'forecasts'>,
): DestinationRollupEntry {
  const perEpic = states.map((s) => ({ epicKey: s.entry.key, progress: s.entry.progress }));
  const progress: Progress = sumProgress(perEpic.map((e) => e.progress));
  const histograms = states.map((s) => s.entry.doneDays);
  const remaining = progress.count.new + progress.count.indeterminate;
  const weeks = input.settings.throughputWeeks;
  const { onTrackChance, atRiskChance } = input.settings;
  const fingerprint = [FORECAST_SHAPE, input.today, weeks, onTrackChance, atRiskChance, destination.targetDate, remaining, progress.count.total, weeklyCounts(histograms, input.today, weeks).join(',')].join('|');
  const memo = input.forecasts?.[destination.id];
  let result: Forecast;
  if (memo !== undefined && memo.fingerprint === fingerprint) {
    result = memo.forecast;
  } else {
    result = forecast({
      doneDates: doneDatesWithin(histograms, input.today, weeks),
      remaining,
      total: progress.count.total,
      targetDate: destination.targetDate,
      today: input.today,
      windowWeeks: weeks,
      thresholds: { onTrackChance, atRiskChance },
    });
    if (input.forecasts) input.forecasts[destination.id] = { fingerprint, forecast: result };
  }
  return { destination, epicKeys: perEpic.map((e) => e.epicKey), perEpic, progress, forecast: result };
}

/** Done items per 7-day span ending today, oldest first: what `weeklyThroughput` counts, in whole-day sums. */
function weeklyCounts(histograms: ReadonlyArray<Record<string, number>>, today: IsoDate, weeks: number): number[] {
  const last = dayNumber(today);
  const counts = new Array<number>(weeks).fill(0);
  for (const histogram of histograms) {
    for (const day in histogram) {
      const ago = last - Number(day);
      if (ago < 0) continue;
      const weeksAgo = Math.floor(ago / 7);
      if (weeksAgo < weeks) counts[weeks - 1 - weeksAgo] = (counts[weeks - 1 - weeksAgo] ?? 0) + (histogram[day] ?? 0);
    }
  }
  return counts;
}

/** The resolution dates the forecast window can see, rebuilt from per-day counts. */
function doneDatesWithin(histograms: ReadonlyArray<Record<string, number>>, today: IsoDate, weeks: number): string[] {
  const last = dayNumber(today);
  const first = dayNumber(addDays(today, -(weeks * 7)));
  const dates: string[] = [];
  for (const histogram of histograms) {
    for (const [day, count] of Object.entries(histogram)) {
      const n = Number(day);
      if (n < first || n > last) continue;
      const date = dayOfNumber(n);
      for (let i = 0; i < count; i++) dates.push(date);
    }
  }
  return dates;
}

function problemKeyOf(alignment: Alignment): string | null {
  switch (alignment.kind) {
    case 'aligned':
    case 'unaligned':
      return null;
    case 'unknown':
      return `unknown:${alignment.destinationId}`;
    case 'archived':
      return `archived:${alignment.destination.id}`;
  }
}

function capRefs(warning: Warning): Warning {
  if (warning.refs === undefined || warning.refs.length <= MAX_REFS) return warning;
  return { ...warning, refs: warning.refs.slice(0, MAX_REFS) };
}

/** `PAY-9` before `PAY-10`: the order Jira's `ORDER BY key` gives, so stored and live views list alike. */
export function compareKeys(a: string, b: string): number {
  const ia = a.lastIndexOf('-');
  const ib = b.lastIndexOf('-');
  const pa = a.slice(0, ia);
  const pb = b.slice(0, ib);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return Number(a.slice(ia + 1)) - Number(b.slice(ib + 1));
}

/** Which shard an epic lives in: a stable string hash, so every writer and reader agrees. */
export function shardOf(key: string, shards: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % shards;
}

/** The estimate measure as a string, so a rollup built with another measure is recognised as stale. */
export function estimateKeyOf(estimate: EffectiveEstimate): string {
  return estimate.kind === 'points' ? `points:${estimate.fieldId}` : estimate.kind;
}
