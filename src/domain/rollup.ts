/**
 * The portfolio: per destination, the progress of its epics' direct children and an arrival forecast; and
 * across the site, how much in-flight work is off-route. One pass over the items with maps, because a site
 * can hold 250,000 of them.
 *
 * Scope (`settings.projectKeys`, empty = every project) is decided by the epic's project for its children,
 * since the epic is what gets aligned, and by the issue's own project for an issue with no epic. Epics out of
 * scope are left out of every figure; those that name a destination are reported (OUT_OF_SCOPE). A project
 * filter (`projectFilter`) narrows the scope for one view: what is in scope but outside the filter is left out
 * silently (it is not out of scope).
 *
 * An epic counts as on-route when its destination exists and is not archived (draft and achieved included).
 * Off-route: in-flight (`indeterminate`) children of epics with no, an unknown or an archived destination,
 * plus in-flight issues with no epic.
 */
import { alignEpic, alignmentWarning } from './alignment';
import { forecast } from './forecast';
import { addItem, emptyProgress, progressOf, ratio, shareOf, sizedEstimate, sumProgress } from './progress';
import type {
  Alignment,
  Destination,
  DestinationRollupEntry,
  Epic,
  EpicRollup,
  IsoDate,
  OffRoute,
  PortfolioRollup,
  Progress,
  RollupWarning,
  Settings,
  Warning,
  WorkItem,
} from './types';

/** Warnings list at most this many refs, so a stored rollup stays small on a big site. */
export const MAX_REFS = 50;

/** The settings a rollup reads: scope, measure, throughput window and the chance thresholds of the verdict. */
export type RollupSettings = Pick<Settings, 'projectKeys' | 'throughputWeeks' | 'estimateField' | 'onTrackChance' | 'atRiskChance'>;

export interface RollupInput {
  destinations: readonly Destination[];
  epics: readonly Epic[];
  items: readonly WorkItem[];
  settings: RollupSettings;
  today: IsoDate;
  /** Also give a rollup for archived destinations (their epics still count as off-route). */
  includeArchived?: boolean;
  /** Narrows the view to these projects (each in scope); absent = the whole scope. */
  projectFilter?: readonly string[];
}

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

export function rollupPortfolio(input: RollupInput): PortfolioRollup {
  const acc = accumulate(input);
  const destinations = [...input.destinations]
    .filter((d) => input.includeArchived === true || d.status !== 'archived')
    .sort((a, b) => a.priority - b.priority)
    .map((d) => destinationEntry(d, acc.byDestination.get(d.id) ?? [], input));

  const warnings: RollupWarning[] = [];
  for (const group of acc.alignmentProblems.values()) {
    const warning = alignmentProblemWarning(group.alignment, group.epics);
    if (warning) warnings.push(warning);
  }
  if (acc.outOfScopeAligned.length > 0) warnings.push(outOfScopeWarning(acc.outOfScopeAligned));
  if (acc.unestimatedCount > 0 && input.settings.estimateField.kind !== 'none') {
    const n = acc.unestimatedCount;
    warnings.push(capRefs({
      code: 'UNESTIMATED_WORK',
      message: `${n} ${n === 1 ? 'issue has' : 'issues have'} no estimate: counted in the issue counts but not in the estimate figures.`,
      refs: acc.unestimatedKeys,
    }));
  }
  if (acc.missingEpicItems > 0) {
    const n = acc.missingEpicItems;
    warnings.push(capRefs({
      code: 'PARTIAL_VIEW',
      message: `${n} ${n === 1 ? 'issue belongs' : 'issues belong'} to epics the app could not read, so ${n === 1 ? 'it is' : 'they are'} left out of every figure.`,
      refs: [...acc.missingEpicKeys],
    }));
  }

  return { destinations, offRoute: acc.offRoute(), warnings };
}

/**
 * One epic seen from its destination: its own progress, its share of the destination, and the
 * destination's rollup and forecast. `epics` and `items` need only cover the epics on the same destination
 * (and their children); `epic` is added to `epics` when missing.
 */
export function rollupEpic(input: RollupInput & { epic: Epic }): EpicRollup {
  const { epic } = input;
  const epics = input.epics.some((e) => e.key === epic.key) ? input.epics : [...input.epics, epic];
  const acc = accumulate({ ...input, epics });
  const alignment = alignEpic(epic.destinationId, acc.destinationsById);
  const state = acc.epicStates.get(epic.key);
  const warnings: Warning[] = [];
  const alignmentProblem = alignmentWarning(alignment, [epic.key]);
  if (alignmentProblem) warnings.push(alignmentProblem);

  const destination = alignment.kind === 'aligned' || alignment.kind === 'archived'
    ? destinationEntry(alignment.destination, acc.byDestination.get(alignment.destination.id) ?? [], input)
    : null;

  if (state === undefined) {
    warnings.push({
      code: 'OUT_OF_SCOPE',
      message: `Project ${epic.projectKey} is outside the app's scope, so this epic's work is not counted toward any destination; add the project in Settings to count it.`,
      refs: [epic.key],
    });
    return { epicKey: epic.key, alignment, progress: progressOf(input.items.filter((i) => i.epicKey === epic.key)), destination, share: null, warnings };
  }

  if (state.progress.estimate.unestimated > 0 && input.settings.estimateField.kind !== 'none') {
    const n = state.progress.estimate.unestimated;
    warnings.push({ code: 'UNESTIMATED_WORK', message: `${n} ${n === 1 ? 'issue' : 'issues'} in this epic ${n === 1 ? 'has' : 'have'} no estimate: counted in the issue count but not in the estimate.` });
  }
  const share = destination === null ? null : shareOf(state.progress, destination.progress);
  return { epicKey: epic.key, alignment, progress: state.progress, destination, share, warnings };
}

interface EpicState {
  epic: Epic;
  alignment: Alignment;
  progress: Progress;
  doneDates: string[];
}

/** The single pass over epics and then items that both rollups share. */
function accumulate(input: RollupInput) {
  const { inView, reportedOutOfScope } = scopeOf(input.settings, input.projectFilter);
  const destinationsById = new Map(input.destinations.map((d) => [d.id, d]));

  const epicStates = new Map<string, EpicState>();
  const byDestination = new Map<string, EpicState[]>();
  const alignmentProblems = new Map<string, { alignment: Alignment; epics: Epic[] }>();
  const outOfScopeKeys = new Set<string>();
  const outOfScopeAligned: Epic[] = [];

  for (const epic of input.epics) {
    const alignment = alignEpic(epic.destinationId, destinationsById);
    if (!inView(epic.projectKey)) {
      outOfScopeKeys.add(epic.key);
      if (reportedOutOfScope(epic.projectKey) && alignment.kind !== 'unaligned') outOfScopeAligned.push(epic);
      continue;
    }
    const state: EpicState = { epic, alignment, progress: emptyProgress(), doneDates: [] };
    epicStates.set(epic.key, state);
    if (alignment.kind === 'aligned' || alignment.kind === 'archived') {
      pushTo(byDestination, alignment.destination.id, state);
    }
    const problemKey = problemKeyOf(alignment);
    if (problemKey !== null) {
      const group = alignmentProblems.get(problemKey) ?? { alignment, epics: [] };
      group.epics.push(epic);
      alignmentProblems.set(problemKey, group);
    }
  }

  const inFlight = { count: 0, estimate: 0 };
  const offRoute = { count: 0, estimate: 0 };
  const offRouteEpics = new Set<string>();
  let orphanCount = 0;
  let unestimatedCount = 0;
  const unestimatedKeys: string[] = []; // only the first MAX_REFS: the warning shows no more
  let missingEpicItems = 0;
  const missingEpicKeys = new Set<string>();

  for (const item of input.items) {
    let state: EpicState | undefined;
    if (item.epicKey === null) {
      if (!inView(item.projectKey)) continue;
    } else {
      state = epicStates.get(item.epicKey);
      if (state === undefined) {
        // An unreadable epic is reported, unless its child is outside a filtered view anyway.
        if (!outOfScopeKeys.has(item.epicKey) && (input.projectFilter === undefined || inView(item.projectKey))) {
          missingEpicItems += 1;
          missingEpicKeys.add(item.epicKey);
        }
        continue;
      }
      addItem(state.progress, item);
      if (item.statusCategory === 'done' && item.resolved !== null) state.doneDates.push(item.resolved);
    }

    const estimate = sizedEstimate(item.estimate);
    if (estimate === null) {
      unestimatedCount += 1;
      if (unestimatedKeys.length < MAX_REFS) unestimatedKeys.push(item.key);
    }
    if (item.statusCategory !== 'indeterminate') continue;
    inFlight.count += 1;
    inFlight.estimate += estimate ?? 0;
    if (state === undefined) {
      orphanCount += 1;
    } else if (state.alignment.kind === 'aligned') {
      continue;
    } else {
      offRouteEpics.add(state.epic.key);
    }
    offRoute.count += 1;
    offRoute.estimate += estimate ?? 0;
  }

  return {
    destinationsById,
    epicStates,
    byDestination,
    alignmentProblems,
    outOfScopeAligned,
    unestimatedCount,
    unestimatedKeys,
    missingEpicItems,
    missingEpicKeys,
    offRoute: (): OffRoute => ({
      count: { inFlight: inFlight.count, offRoute: offRoute.count, share: ratio(offRoute.count, inFlight.count) },
      estimate: { inFlight: inFlight.estimate, offRoute: offRoute.estimate, share: ratio(offRoute.estimate, inFlight.estimate) },
      epicKeys: [...offRouteEpics],
      orphanCount,
    }),
  };
}

function destinationEntry(destination: Destination, states: readonly EpicState[], input: RollupInput): DestinationRollupEntry {
  const perEpic = states.map((s) => ({ epicKey: s.epic.key, progress: s.progress }));
  const progress = sumProgress(perEpic.map((e) => e.progress));
  return {
    destination,
    epicKeys: perEpic.map((e) => e.epicKey),
    perEpic,
    progress,
    forecast: forecast({
      doneDates: states.flatMap((s) => s.doneDates),
      remaining: progress.count.new + progress.count.indeterminate,
      total: progress.count.total,
      targetDate: destination.targetDate,
      today: input.today,
      windowWeeks: input.settings.throughputWeeks,
      thresholds: input.settings,
    }),
  };
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

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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
export function warningForViewer(warning: RollupWarning, mayBrowse: (projectKey: string) => boolean): Warning | null {
  const { about } = warning;
  if (about === undefined) {
    return warning.refs === undefined
      ? { code: warning.code, message: warning.message }
      : { code: warning.code, message: warning.message, refs: warning.refs.filter((key) => mayBrowse(projectOfKey(key))) };
  }
  const shown = about.epics.filter((e) => mayBrowse(e.projectKey));
  if (shown.length === 0) return null;
  const restated = about.kind === 'alignment' ? alignmentProblemWarning(about.alignment, shown) : outOfScopeWarning(shown);
  if (restated === null) return null;
  return restated.refs === undefined ? { code: restated.code, message: restated.message } : { code: restated.code, message: restated.message, refs: restated.refs };
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
