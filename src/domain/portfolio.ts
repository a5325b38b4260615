/**
 * The portfolio from per-epic figures: per destination, the progress of its epics' direct children and an
 * arrival forecast; across the site, how much in-flight work is off-route; and one epic seen from its
 * destination. Both read paths use it: stored rollups hand it their entries, a live view its figures
 * (`rollup.ts`). One pass over epics, so a view costs O(epics), not O(issues).
 *
 * Scope (`settings.projectKeys`, empty = every project) is decided by the epic's project for its children,
 * since the epic is what gets aligned, and by the issue's own project for an issue with no epic. Epics out of
 * scope are left out of every figure; those that name a destination are reported (OUT_OF_SCOPE). A project
 * filter (`projectFilter`) narrows the scope for one view: what is in scope but outside the filter is left out
 * silently (it is not out of scope).
 *
 * An epic counts as on-route when its destination exists and is not archived (draft and achieved included).
 * Off-route: in-flight (`indeterminate`) children of epics with no, an unknown, an unreadable or an archived
 * destination, plus in-flight issues with no epic.
 */
import { alignEpic, alignmentWarning } from './alignment';
import { compareKeys } from './epic-figures';
import { weeklyCounts } from './throughput-weeks';
import { forecast } from './forecast';
import { ratio, sizedEstimate, shareOf, sumProgress } from './progress';
import type {
  Alignment,
  Destination,
  DestinationRollupEntry,
  EpicEntry,
  EpicRollup,
  Forecast,
  IsoDate,
  OrphanEntry,
  PortfolioRollup,
  RollupWarning,
  Settings,
  Warning,
} from './types';

/** Warnings list at most this many refs, so a stored rollup stays small on a big site. */
export const MAX_REFS = 50;

/** The settings a rollup reads: scope, measure, throughput window and the chance thresholds of the verdict. */
export type RollupSettings = Pick<Settings, 'projectKeys' | 'throughputWeeks' | 'estimateField' | 'onTrackChance' | 'atRiskChance'>;

/** An epic as the portfolio reads it: its fields and its figures. */
export type PortfolioEpic = Pick<EpicEntry, 'key' | 'projectKey' | 'destinationId' | 'progress' | 'doneWeeks' | 'unestimatedKeys'>;

/**
 * Forecasts already worked out, by destination: the forecast is a pure function of the weekly done counts
 * and a few numbers, so a fingerprint of those decides whether a stored one still holds. Rebuilding one item
 * date per done item for `forecast()` is what a big site's view would otherwise spend its time on.
 */
export type ForecastMemo = Record<string, { fingerprint: string; forecast: Forecast }>;
/** Part of every fingerprint: a memo stored with an older `Forecast` shape is recomputed, never reused. */
export const FORECAST_SHAPE = 'f3';

/**
 * Whether a project is in the app's scope, whether it is in the view (the scope, narrowed by a filter), and
 * whether its aligned epics are reported as out of scope: only in an unfiltered view, since a filtered view
 * is about the filtered projects alone.
 */
export function scopeOf(settings: Pick<Settings, 'projectKeys'>, projectFilter?: readonly string[]) {
  const scope = new Set(settings.projectKeys);
  const filter = projectFilter === undefined ? null : new Set(projectFilter);
  const inScope = (projectKey: string) => scope.size === 0 || scope.has(projectKey);
  return {
    inScope,
    inView: (projectKey: string) => inScope(projectKey) && (filter === null || filter.has(projectKey)),
    reportedOutOfScope: (projectKey: string) => filter === null && !inScope(projectKey),
  };
}

export interface AssembleInput {
  destinations: readonly Destination[];
  /** Live epics only (see `isLive`); listed in key order whatever order they come in. */
  epics: Iterable<PortfolioEpic>;
  orphans: Iterable<OrphanEntry>;
  settings: RollupSettings;
  today: IsoDate;
  /** Also give a rollup for archived destinations (their epics still count as off-route). */
  includeArchived?: boolean;
  /** Narrows the view to these projects (each in scope); absent = the whole scope. */
  projectFilter?: readonly string[];
  /** Read and filled in: forecasts whose inputs have not changed are reused. */
  forecasts?: ForecastMemo;
  /** Children of epics the app could not read (a live view only): reported, left out of every figure. */
  unreadableEpicChildren?: { count: number; keys: readonly string[] };
}

/** The portfolio rollup from per-epic figures. */
export function assemblePortfolio(input: AssembleInput): PortfolioRollup {
  const { inView, reportedOutOfScope } = scopeOf(input.settings, input.projectFilter);
  const destinationsById = new Map(input.destinations.map((d) => [d.id, d]));
  const byDestination = new Map<string, PortfolioEpic[]>();
  const alignmentProblems = new Map<string, { alignment: Alignment; epics: PortfolioEpic[] }>();
  const outOfScopeAligned: PortfolioEpic[] = [];
  const inFlight = { count: 0, estimate: 0 };
  const offRoute = { count: 0, estimate: 0 };
  const offRouteEpics: string[] = [];
  let unestimatedCount = 0;
  let unestimatedKeys: string[] = [];
  let orphanCount = 0;

  const epics = [...input.epics].sort((a, b) => compareKeys(a.key, b.key));
  for (const entry of epics) {
    const alignment = alignEpic(entry.destinationId, destinationsById);
    if (!inView(entry.projectKey)) {
      if (reportedOutOfScope(entry.projectKey) && alignment.kind !== 'unaligned') outOfScopeAligned.push(entry);
      continue;
    }
    if (alignment.kind === 'aligned' || alignment.kind === 'archived') {
      const list = byDestination.get(alignment.destination.id) ?? [];
      list.push(entry);
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
    for (const key of entry.unestimatedKeys) unestimatedKeys.push(key);
    inFlight.count += p.count.indeterminate;
    inFlight.estimate += p.estimate.indeterminate;
    if (alignment.kind !== 'aligned' && p.count.indeterminate > 0) {
      offRoute.count += p.count.indeterminate;
      offRoute.estimate += p.estimate.indeterminate;
      offRouteEpics.push(entry.key);
    }
  }
  // Children's keys first, in key order, then orphans': the order a search `ORDER BY key` lists them in.
  unestimatedKeys = unestimatedKeys.sort(compareKeys).slice(0, MAX_REFS);
  const orphanList = [...input.orphans].filter((o): o is OrphanEntry & { projectKey: string } => o.projectKey !== null && inView(o.projectKey));
  orphanList.sort((a, b) => compareKeys(a.key, b.key));
  for (const orphan of orphanList) {
    orphanCount += 1;
    const estimate = sizedEstimate(orphan.estimate);
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
  const unreadable = input.unreadableEpicChildren;
  if (unreadable !== undefined && unreadable.count > 0) {
    const n = unreadable.count;
    warnings.push(capRefs({
      code: 'PARTIAL_VIEW',
      message: `${n} ${n === 1 ? 'issue belongs' : 'issues belong'} to epics the app could not read, so ${n === 1 ? 'it is' : 'they are'} left out of every figure.`,
      refs: [...unreadable.keys],
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

/** A destination's rollup and forecast from the figures of its epics (in key order). */
export function destinationEntry(
  destination: Destination,
  epics: ReadonlyArray<Pick<PortfolioEpic, 'key' | 'progress' | 'doneWeeks'>>,
  input: Pick<AssembleInput, 'settings' | 'today' | 'forecasts'>,
): DestinationRollupEntry {
  const perEpic = epics.map((e) => ({ epicKey: e.key, progress: e.progress }));
  const progress = sumProgress(perEpic.map((e) => e.progress));
  const buckets = epics.map((e) => e.doneWeeks);
  const remaining = progress.count.new + progress.count.indeterminate;
  const weeks = input.settings.throughputWeeks;
  const { onTrackChance, atRiskChance } = input.settings;
  const weekly = weeklyCounts(buckets, input.today, weeks);
  const fingerprint = [FORECAST_SHAPE, input.today, weeks, onTrackChance, atRiskChance, destination.targetDate, remaining, progress.count.total, weekly.join(',')].join('|');
  const memo = input.forecasts?.[destination.id];
  let result: Forecast;
  if (memo !== undefined && memo.fingerprint === fingerprint) {
    result = memo.forecast;
  } else {
    result = forecast({
      weekly,
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

export interface EpicRollupInput<E extends PortfolioEpic> {
  /** The epic, with its fields as just read and its figures. */
  epic: E;
  /** Live epics that may share its destination (any others are passed over; `epic` itself too). */
  epics: Iterable<E>;
  destinations: readonly Destination[];
  settings: RollupSettings;
  today: IsoDate;
  forecasts?: ForecastMemo;
}

/**
 * One epic seen from its destination: its own progress, its share of the destination, and the
 * destination's rollup and forecast; with the in-scope epics on that destination (`members`, this one
 * included when in scope), in key order.
 */
export function epicRollupOf<E extends PortfolioEpic>(input: EpicRollupInput<E>): { rollup: EpicRollup; members: E[] } {
  const { epic, settings } = input;
  const { inScope } = scopeOf(settings);
  const alignment = alignEpic(epic.destinationId, new Map(input.destinations.map((d) => [d.id, d])));
  const warnings: Warning[] = [];
  const problem = alignmentWarning(alignment, [epic.key]);
  if (problem) warnings.push(problem);

  const target = alignment.kind === 'aligned' || alignment.kind === 'archived' ? alignment.destination : null;
  const members: E[] = [];
  if (target !== null) {
    for (const e of input.epics) {
      if (e.key !== epic.key && e.destinationId === target.id && inScope(e.projectKey)) members.push(e);
    }
    if (inScope(epic.projectKey)) members.push(epic);
    members.sort((a, b) => compareKeys(a.key, b.key));
  }
  const destination = target === null ? null : destinationEntry(target, members, input);

  let share: EpicRollup['share'] = null;
  if (!inScope(epic.projectKey)) {
    warnings.push({
      code: 'OUT_OF_SCOPE',
      message: `Project ${epic.projectKey} is outside the app's scope, so this epic's work is not counted toward any destination; add the project in Settings to count it.`,
      refs: [epic.key],
    });
  } else {
    const n = epic.progress.estimate.unestimated;
    if (n > 0 && settings.estimateField.kind !== 'none') {
      warnings.push({ code: 'UNESTIMATED_WORK', message: `${n} ${n === 1 ? 'issue' : 'issues'} in this epic ${n === 1 ? 'has' : 'have'} no estimate: counted in the issue count but not in the estimate.` });
    }
    share = destination === null ? null : shareOf(epic.progress, destination.progress);
  }
  return { rollup: { epicKey: epic.key, alignment, progress: epic.progress, destination, share, warnings }, members };
}

/** Epics with the same problem (same unknown id, same archived destination, unreadable) share one warning. */
function problemKeyOf(alignment: Alignment): string | null {
  switch (alignment.kind) {
    case 'aligned':
      return null;
    case 'unaligned':
      return alignment.malformed ? 'malformed' : null;
    case 'unknown':
      return `unknown:${alignment.destinationId}`;
    case 'archived':
      return `archived:${alignment.destination.id}`;
  }
}

/** The warning for epics that share an alignment problem, with the epics it is about. */
export function alignmentProblemWarning(alignment: Alignment, epics: ReadonlyArray<{ key: string; projectKey: string }>): RollupWarning | null {
  const warning = alignmentWarning(alignment, epics.map((e) => e.key));
  if (!warning) return null;
  return { ...capRefs(warning), about: { kind: 'alignment', alignment, epics: epics.map(({ key, projectKey }) => ({ key, projectKey })) } };
}

/** Epics that name a destination from projects outside the app's scope: their work is not counted. */
export function outOfScopeWarning(epics: ReadonlyArray<{ key: string; projectKey: string }>): RollupWarning {
  const n = epics.length;
  const projects = [...new Set(epics.map((e) => e.projectKey))].join(', ');
  return {
    ...capRefs({
      code: 'OUT_OF_SCOPE',
      message: `${n} ${n === 1 ? 'epic names a destination but is' : 'epics name a destination but are'} in projects outside the app's scope (${projects}), so ${n === 1 ? 'its' : 'their'} work is not counted; add the projects in Settings to count it.`,
      refs: epics.map((e) => e.key),
    }),
    about: { kind: 'outOfScope', epics: epics.map(({ key, projectKey }) => ({ key, projectKey })) },
  };
}

/**
 * A portfolio warning as one viewer may read it: only named fields, and nothing about a project they may not
 * browse. A warning about epics is restated for the epics the viewer may browse, or dropped when there are
 * none; a count-only warning (unestimated work, unreadable epics) keeps its app-level count and lists only
 * the issues the viewer may browse.
 */
export function warningForViewer(warning: RollupWarning, mayBrowse: (issue: { key: string; projectKey: string }) => boolean): Warning | null {
  const { about } = warning;
  if (about === undefined) {
    return warning.refs === undefined
      ? { code: warning.code, message: warning.message }
      : { code: warning.code, message: warning.message, refs: warning.refs.filter((key) => mayBrowse({ key, projectKey: projectOfKey(key) })) };
  }
  const shown = about.epics.filter((e) => mayBrowse(e));
  if (shown.length === 0) return null;
  const restated = about.kind === 'alignment' ? alignmentProblemWarning(about.alignment, shown) : outOfScopeWarning(shown);
  if (restated === null) return null;
  return restated.refs === undefined ? { code: restated.code, message: restated.message } : { code: restated.code, message: restated.message, refs: restated.refs };
}

/**
 * What the app cannot count, said to one viewer: in-scope projects closed to the app itself (an app access
 * rule). Only projects the viewer may browse are named; the count covers all of them. Issues under a security
 * level that leaves out the app cannot be known at all, and the message says so.
 */
export function appRestrictedWarning(closed: string[], mayBrowseProject: (projectKey: string) => boolean): Warning | null {
  if (closed.length === 0) return null;
  const n = closed.length;
  const named = closed.filter(mayBrowseProject);
  const which = named.length === 0 ? '' : ` (${named.length === n ? '' : 'among them '}${named.join(', ')})`;
  return {
    code: 'APP_RESTRICTED',
    message: `The app may not read ${n} ${n === 1 ? 'project' : 'projects'} in scope${which}, so ${n === 1 ? 'its' : 'their'} work is left out of every figure; issues under a security level that leaves out the app are left out too.`,
    refs: named,
  };
}

/** The project an issue key belongs to (`PAY-12` → `PAY`). */
export function projectOfKey(key: string): string {
  const dash = key.lastIndexOf('-');
  return dash < 0 ? key : key.slice(0, dash);
}

function capRefs(warning: Warning): Warning {
  if (warning.refs === undefined || warning.refs.length <= MAX_REFS) return warning;
  return { ...warning, refs: warning.refs.slice(0, MAX_REFS) };
}
