/**
 * The portfolio: every destination's rollup plus the off-route figures. Aggregates are read from the stored
 * rollups (kept fresh by issue events, rebuilt in the background) in a bounded number of storage calls, and
 * assembled per view from per-epic entries; what each person sees is then cut to the epics they may browse.
 * Before the first rollup exists a view answers "calculating" with the first recalculation's progress (started
 * at install, or here when none is running). `compute` works the portfolio out from Jira directly: the
 * reference the stored figures are tested against, never called by a view.
 */
import {
  EPIC_PAGE_SIZE,
  PORTFOLIO_PAGE_SIZE,
  type DestinationRollup,
  type EpicPage,
  type EpicRef,
  type Freshness,
  type Portfolio,
  type PortfolioExport,
  type PortfolioJql,
  type ResponseOf,
} from '../contract';
import { compareKeys, isLive } from '../domain/epic-figures';
import { AppError } from '../domain/errors';
import { effectiveEstimate, estimateKeyOf } from '../domain/estimate';
import { calculatingFreshness, freshnessOf } from '../domain/freshness';
import { DESTINATION_WORK_FUNCTION as FUNCTION_NAME, IN_PROGRESS_CATEGORY_ID, jqlList, jqlString, unionJql } from '../domain/jql';
import { appRestrictedWarning, assemblePortfolio, scopeOf, warningForViewer } from '../domain/portfolio';
import { runIsActive, runProgress } from '../domain/reconcile-run';
import { rollupPortfolio } from '../domain/rollup';
import { LIVE_STATUSES, VERDICTS, type Destination, type DestinationRollupEntry, type Forecast, type DestinationStatus, type OffRoute, type PortfolioRollup, type RollupWarning, type Settings, type StatusCategory, type Verdict } from '../domain/types';
import { chanceOf, disagreementOfLatest, isCheckInDue } from '../domain/check-ins';
import type { AppJira, Clock, DestinationStore, SettingsStore, UserJira, VoicesStore, VoiceSummaryEntry } from './ports';
import type { OutlineStore, ReconcileRun, RollupJqlMeta, RollupReader, RollupStamp, StoredOutline, ViewerCache } from './rollup-ports';
import { mayView, viewerLookups } from './viewer-lookups';

/** The app-level portfolio, free of anything user-specific: what a view is cut from. */
export interface SiteRollup {
  asOf: string;
  computedAt: string;
  rollup: PortfolioRollup;
  /** `id` lets a view ask Jira, as the viewer, whether they may browse each epic (issue security). */
  epics: Array<{ id: string; key: string; summary: string; projectKey: string; statusCategory: StatusCategory }>;
  jql: RollupJqlMeta & { projectKeys: string[] };
}

export interface PortfolioDeps {
  jira: AppJira;
  userJira: UserJira;
  destinations: DestinationStore;
  settings: SettingsStore;
  rollups: RollupReader;
  clock: Clock;
  /** The running recalculation, if any (to say so on screen). */
  currentRun?: () => Promise<ReconcileRun | undefined>;
  /** Starts the first recalculation when there is no stored rollup yet. */
  startReconcile?: () => Promise<void>;
  viewers?: ViewerCache;
  memo: AssemblyMemo;
  /** Check-ins and concerns: one summary value for every row (absent: rows carry no voices). */
  voices?: Pick<VoicesStore, 'summary'>;
  /** The assembled portfolio kept for cold containers (absent: every cold view assembles). */
  outlines?: OutlineStore;
}

export interface PortfolioFilters {
  projectKey?: string;
  owner?: string;
  status?: DestinationStatus[];
}

/**
 * The whole portfolio as one viewer may see it. Never sent as it is: each call answers its slice (`get`: a
 * page of rows; `epics`, `offRoute`: a page of a list, cut from the full assembly).
 */
interface ViewerPortfolio extends Omit<Portfolio, 'destinations' | 'page' | 'pageSize' | 'totalDestinations' | 'summary' | 'owners' | 'projects' | 'offRoute' | 'jql'> {
  rows: DestinationRollup[];
  /** Projects of the epics the viewer may browse: of the rows that match, and off route. */
  projects: Set<string>;
  offRoute: Portfolio['offRoute'];
  owners: Portfolio['owners'];
  site: SiteOutline;
  visibleProjects: Set<string>;
  mayBrowse: (issue: { key: string; projectKey: string }) => boolean;
}

/** `[offset, offset + limit)` of a list, with where the next page starts. */
function pageOf<T>(list: T[], hidden: number, offset = 0, limit = EPIC_PAGE_SIZE): EpicPage<T> {
  const end = offset + limit;
  return { epics: list.slice(offset, end), total: list.length, hiddenEpics: hidden, nextOffset: end < list.length ? end : null };
}

/**
 * The last assembled portfolio, held by the memo's owner (the composition root: a warm Forge container reuses
 * it). Keyed by a fingerprint of every input, so it can only be reused when the answer would be the same.
 * Treated as read-only.
 */
export interface AssemblyMemo {
  last?: { fingerprint: string; rollup: SiteRollup['rollup']; epics: SiteRollup['epics'] };
  /** The fingerprint of the outline this container last kept (so it is not written twice). */
  outlineKept?: string;
  /** The outline this container last read, so the next views of the same figures do not read it again. */
  outline?: StoredOutline;
}

/** The site rollup as every answer but an epic list needs it: a stored outline, or a full assembly. */
export interface SiteOutline {
  asOf: string;
  computedAt: string;
  rollup: { destinations: Array<Omit<DestinationRollupEntry, 'perEpic'>>; offRoute: OffRoute; warnings: RollupWarning[] };
  epics: Array<{ id: string; key: string; projectKey: string }>;
  jql: SiteRollup['jql'];
}

/** What an assembly starts from. */
interface Inputs {
  stamp: RollupStamp | undefined;
  settings: Settings;
  destinations: Destination[];
  run: ReconcileRun | undefined;
  /** The estimate measure the site uses now (see `currentEstimateKey`), asked for alongside. */
  estimateKey: string | undefined;
}


/** JQL links list epic keys up to this many; beyond it the link would not fit in a URL. */

export interface CurrentSite {
  site: SiteRollup;
  freshness: Freshness;
  destinations: Destination[];
  settings: Settings;
}

export type CurrentOutline = Omit<CurrentSite, 'site'> & { site: SiteOutline };

export function portfolioService(deps: PortfolioDeps) {
  const { jira, clock } = deps;
  const lookups = viewerLookups(deps.userJira, jira, deps.viewers);
  const closedToApp = () => (deps.viewers ? deps.viewers.projectsClosedToApp(() => jira.projectsClosedToApp()) : jira.projectsClosedToApp());

  /**
   * The whole portfolio computed from Jira (the reference for the stored figures; no view calls it). A project
   * filter narrows the settings' scope (it must lie inside it: see `current`).
   */
  async function compute(projectFilter?: string[]): Promise<SiteRollup> {
    const started = clock.now();
    const [settings, destinations, meta, fieldName] = await Promise.all([
      deps.settings.get(),
      deps.destinations.list(),
      jira.siteMeta(),
      jira.fieldName(),
    ]);
    const projectKeys = projectFilter ?? settings.projectKeys;
    const estimate = effectiveEstimate(settings.estimateField, meta);
    const epics = await jira.epics(meta, projectKeys);
    const [children, orphans] = await Promise.all([
      jira.children(meta, epics.map((e) => e.key), estimate),
      jira.inFlightOrphans(meta, projectKeys, estimate),
    ]);
    const today = clock.today();
    const rollup = rollupPortfolio({
      destinations,
      epics,
      items: [...children, ...orphans],
      settings,
      today,
      includeArchived: true,
      ...(projectFilter ? { projectFilter } : {}),
    });
    return {
      asOf: today,
      computedAt: started.toISOString(),
      rollup,
      epics: epics.map(({ id, key, summary, projectKey, statusCategory }) => ({ id, key, summary, projectKey, statusCategory })),
      jql: { epicTypeIds: meta.epicTypeIds, standardTypeIds: meta.standardTypeIds, fieldName, projectKeys },
    };
  }

  /** Everything an assembly starts from, read side by side in small calls (no shard). */
  async function inputsOf(): Promise<Inputs> {
    const settingsRead = deps.settings.get();
    // The site's estimate measure (the site facts: one small read) is asked for as soon as the settings are in,
    // side by side with the stamp's second read.
    const [stamp, settings, destinations, run, estimateKey] = await Promise.all([
      deps.rollups.stamp(),
      settingsRead,
      deps.destinations.list(),
      deps.currentRun ? deps.currentRun().catch(() => undefined) : Promise.resolve(undefined),
      settingsRead.then(currentEstimateKey, () => undefined),
    ]);
    return { stamp, settings, destinations, run, estimateKey };
  }

  /** Every input of the assembly, so a view that follows an unchanged one reuses its result (memo or outline). */
  function fingerprintOf({ stamp, settings, destinations }: Inputs & { stamp: RollupStamp }, projectFilter: string[] | undefined, today: string): string {
    return [
      stamp.version, stamp.deltaCount, stamp.newestDeltaAt ?? 0, settings.version, JSON.stringify(settings.estimateField),
      settings.throughputWeeks, settings.projectKeys.join(','), projectFilter?.join(',') ?? '*', today, destinations.map((d) => `${d.id}:${d.version}`).join(','),
    ].join('|');
  }

  /**
   * The app-level portfolio from the stored rollups, or no figures and the first recalculation's progress when
   * there are none yet. A project filter narrows the settings' scope; a project outside the scope is refused
   * (NOT_FOUND on `projectKey`). A whole-scope assembly is kept as the outline for cold containers.
   */
  async function current(projectFilter?: string[], read?: Inputs, outlineFingerprint?: string): Promise<CurrentSite> {
    const inputs = read ?? (await inputsOf());
    const { stamp, settings, destinations, run } = inputs;
    const outside = projectFilter?.find((key) => !scopeOf(settings).inScope(key));
    if (outside !== undefined) {
      throw new AppError('NOT_FOUND', `Project ${outside} is outside the app's scope, so the portfolio has no figures for it; a Jira administrator can add it in the app's settings.`, 'projectKey');
    }
    const now = clock.now();
    const recalculating = runIsActive(run, now.getTime());
    if (!stamp) {
      // Before the first rollup: no figures, never a computation on view. The build started at install; start it if none runs.
      const running = recalculating ? run : await startFirstBuild();
      const site = await emptySite(projectFilter ?? settings.projectKeys, destinations, settings);
      return { site, destinations, settings, freshness: calculatingFreshness(now, { progress: runProgress(running), items: running?.items ?? 0 }) };
    }
    const today = clock.today();
    const fingerprint = fingerprintOf({ ...inputs, stamp }, projectFilter, today);
    const { estimateKey } = inputs;
    let assembled = deps.memo.last?.fingerprint === fingerprint ? deps.memo.last : undefined;
    if (!assembled) {
      const stored = await deps.rollups.load(stamp);
      if (!stored) throw new AppError('STORAGE_UNAVAILABLE', 'The app could not reach its storage. Nothing was changed; try again in a moment.');
      // What was read, printed from the read itself (a load from a stamp reads exactly the stamp's state).
      const readPrint = fingerprintOf({ ...inputs, stamp: stored }, projectFilter, today);
      const forecasts = { ...stored.forecasts };
      const live = [...stored.epics.values()].filter(isLive).sort((a, b) => compareKeys(a.key, b.key));
      const rollup = assemblePortfolio({
        destinations,
        epics: live,
        orphans: stored.orphans.values(),
        settings,
        today,
        includeArchived: true,
        forecasts,
        ...(projectFilter ? { projectFilter } : {}),
      });
      const epics = live.map(({ id, key, summary, projectKey, statusCategory }) => ({ id, key, summary, projectKey, statusCategory }));
      assembled = { fingerprint: readPrint, rollup, epics };
      deps.memo.last = assembled;
      await Promise.all([
        // A filtered view's forecasts are its own: only the whole scope's are kept for the next views.
        !projectFilter && JSON.stringify(forecasts) !== JSON.stringify(stored.forecasts) ? deps.rollups.saveForecasts(forecasts) : undefined,
        !projectFilter && readPrint !== outlineFingerprint && deps.memo.outlineKept !== readPrint ? keepOutline(readPrint, today, rollup, epics) : undefined,
      ]);
    }
    const { rollup, epics } = assembled;
    const { freshness } = await finish(stamp, recalculating, estimateKey);
    const site = { asOf: today, computedAt: freshness.updatedAt, rollup, epics, jql: { ...stamp.head.jql, projectKeys: projectFilter ?? settings.projectKeys } };
    return { site, freshness, destinations, settings };
  }

  /** Freshness from the stamp; figures in another estimate measure are rebuilt (once; a run joins). */
  async function finish(stamp: RollupStamp, recalculating: boolean, key: string | undefined): Promise<{ freshness: Freshness }> {
    const freshness = freshnessOf(stamp, clock.now(), recalculating, key);
    // Figures in another estimate measure cannot be patched by events: rebuild them (once; a run joins).
    if (key !== undefined && key !== stamp.head.estimateKey && !recalculating) {
      await deps.startReconcile?.().catch(() => undefined);
      freshness.recalculating = deps.startReconcile !== undefined;
    }
    return { freshness };
  }

  /** The whole scope's assembly as the outline cold containers read instead of the shards (best effort). */
  async function keepOutline(fingerprint: string, today: string, rollup: PortfolioRollup, epics: SiteRollup['epics']): Promise<void> {
    if (!deps.outlines) return;
    const named = new Set([...rollup.destinations.flatMap((d) => d.epicKeys), ...rollup.offRoute.epicKeys]);
    await deps.outlines.write({
      fingerprint,
      writtenAt: clock.now().getTime(),
      asOf: today,
      destinations: rollup.destinations.map(({ destination, epicKeys, progress, forecast }) => ({ id: destination.id, epicKeys, progress, forecast })),
      offRoute: rollup.offRoute,
      warnings: rollup.warnings,
      epics: epics.filter((e) => named.has(e.key)).map((e): [string, string, string] => [e.id, e.key, e.projectKey]),
    });
    deps.memo.outlineKept = fingerprint;
  }

  /**
   * What every answer but an epic list is cut from: the memo of a warm container, else the stored outline when
   * it was made from exactly what is stored now, else a full assembly (which keeps a new outline). A project
   * filter always assembles (outlines are of the whole scope).
   */
  async function outline(projectFilter?: string[]): Promise<CurrentOutline> {
    const outlines = deps.outlines;
    if (projectFilter !== undefined || !outlines) return current(projectFilter);
    const printOf = (inputs: Inputs) => (inputs.stamp ? fingerprintOf({ ...inputs, stamp: inputs.stamp }, undefined, clock.today()) : undefined);
    // A cold container reads the outline alongside the inputs; a warm one first sees whether what it holds will do.
    const { last, outline: held } = deps.memo;
    const [inputs, saved] = last === undefined && held === undefined
      ? await Promise.all([inputsOf(), outlines.read()])
      : await inputsOf().then(async (read) => {
        const print = printOf(read);
        return [read, print === last?.fingerprint ? undefined : print === held?.fingerprint ? held : await outlines.read()] as const;
      });
    if (saved) deps.memo.outline = saved;
    const { stamp, settings, destinations, run } = inputs;
    if (stamp && saved) {
      const fingerprint = printOf(inputs);
      const site = saved.fingerprint === fingerprint ? siteOfOutline(saved, destinations, stamp, settings) : undefined;
      if (site) {
        const { freshness } = await finish(stamp, runIsActive(run, clock.now().getTime()), inputs.estimateKey);
        return { site: { ...site, computedAt: freshness.updatedAt }, freshness, destinations, settings };
      }
    }
    return current(undefined, inputs, saved?.fingerprint);
  }

  /** The outline as a site, its rows joined with the destinations read (the fingerprint says they are the same). */
  function siteOfOutline(saved: StoredOutline, destinations: Destination[], stamp: RollupStamp, settings: Settings): SiteOutline | undefined {
    const byId = new Map(destinations.map((d) => [d.id, d]));
    const rows: SiteOutline['rollup']['destinations'] = [];
    for (const { id, ...figures } of saved.destinations) {
      const destination = byId.get(id);
      if (!destination) return undefined;
      rows.push({ destination, ...figures });
    }
    return {
      asOf: saved.asOf,
      computedAt: '',
      rollup: { destinations: rows, offRoute: saved.offRoute, warnings: saved.warnings },
      epics: saved.epics.map(([id, key, projectKey]) => ({ id, key, projectKey })),
      jql: { ...stamp.head.jql, projectKeys: settings.projectKeys },
    };
  }

  async function startFirstBuild(): Promise<ReconcileRun | undefined> {
    await deps.startReconcile?.().catch(() => undefined);
    return deps.currentRun?.().catch(() => undefined);
  }

  /** Destinations with no figures yet, for the answer given while the first recalculation runs. */
  async function emptySite(projectKeys: string[], destinations: Destination[], settings: Settings): Promise<SiteRollup> {
    const [meta, fieldName] = await Promise.all([jira.siteMeta(), jira.fieldName()]);
    const now = clock.now().toISOString();
    const today = now.slice(0, 10);
    return {
      asOf: today,
      computedAt: now,
      rollup: rollupPortfolio({ destinations, epics: [], items: [], settings: { ...settings, projectKeys }, today, includeArchived: true }),
      epics: [],
      jql: { epicTypeIds: meta.epicTypeIds, standardTypeIds: meta.standardTypeIds, fieldName, projectKeys },
    };
  }

  async function currentEstimateKey(settings: Settings): Promise<string | undefined> {
    try {
      return estimateKeyOf(effectiveEstimate(settings.estimateField, await jira.siteMeta()));
    } catch {
      return undefined;
    }
  }

  /** The whole portfolio as `accountId` may see it, before it is cut into the slices the calls answer. */
  /** A project the viewer may not browse is refused exactly like one that does not exist. */
  async function refuseHidden(visibleProjects: Promise<Set<string>>, projectKey: string | undefined): Promise<void> {
    if (projectKey !== undefined && !(await visibleProjects).has(projectKey)) {
      throw new AppError('NOT_FOUND', `Project ${projectKey} does not exist or you do not have permission to see it.`, 'projectKey');
    }
  }

  async function view(accountId: string, filters: PortfolioFilters): Promise<ViewerPortfolio> {
    const { projectKey } = filters;
    const visibleProjects = lookups.visible(accountId);
    await refuseHidden(visibleProjects, projectKey);
    // Asked alongside the stored rollups; a failed check leaves the warning out rather than the view.
    const closedPromise = closedToApp().catch((e: unknown) => {
      console.warn('could not check which projects are closed to the app', e instanceof Error ? e.message : e);
      return [] as string[];
    });
    // A view that fails waits for the checks too: no Jira call may outlive the invocation that made it.
    const settleChecks = () => Promise.allSettled([closedPromise, visibleProjects]);
    const [{ site, freshness, settings }, summary] = await Promise.all([
      outline(projectKey !== undefined ? [projectKey] : undefined),
      deps.voices ? deps.voices.summary() : Promise.resolve(undefined),
    ]).catch(async (error: unknown) => {
      await settleChecks();
      throw error;
    });
    const statuses = new Set<DestinationStatus>(filters.status ?? LIVE_STATUSES);
    const matching = site.rollup.destinations.filter(
      (d) => statuses.has(d.destination.status) && (filters.owner === undefined || d.destination.businessOwner === filters.owner),
    );
    // Every matching row's owner, for the owner filter, and the people who checked in: named in one lookup,
    // asked alongside the viewer's browse checks.
    const voiceOf = (id: string): VoiceSummaryEntry | undefined => summary?.[id];
    const checkInPeople = matching.flatMap((d) => {
      const v = voiceOf(d.destination.id);
      return [v?.owner?.by, v?.lead?.by].filter((by): by is string => by !== undefined);
    });
    const namesPromise = lookups.names([...new Set([...matching.map((d) => d.destination.businessOwner), ...checkInPeople])]);
    const epicsByKey = new Map(site.epics.map((e) => [e.key, e]));
    // Issue security: every epic the answer could name is checked as the viewer, not only its project.
    const named = new Set([...site.rollup.destinations.flatMap((d) => d.epicKeys), ...site.rollup.offRoute.epicKeys]);
    // Count-only warnings list child issues by key: those are checked too, by key.
    const refKeys = site.rollup.warnings.flatMap((w) => (w.about === undefined ? (w.refs ?? []) : []));
    // The epics are asked about side by side with the viewer's projects (one round trip less on a cold view).
    const visibilityRead = lookups.issues(accountId, site.epics.filter((e) => named.has(e.key)), visibleProjects, refKeys, true);
    const [visibility, closedAll, names] = await Promise.all([visibilityRead, closedPromise, namesPromise]).catch(async (error: unknown) => {
      await Promise.allSettled([settleChecks(), visibilityRead, namesPromise]);
      throw error;
    });
    const visibleSet = visibility.projects;
    const mayBrowse = (issue: { key: string; projectKey: string }) => mayView(visibility, issue);
    // In-scope projects the app itself may not read: their work is missing from every figure, so say so.
    const scope = site.jql.projectKeys;
    const closed = closedAll.filter((key) => (projectKey !== undefined ? key === projectKey : scope.length === 0 || scope.includes(key)));
    const restricted = appRestrictedWarning(closed, (key) => visibleSet.has(key));

    // Filtered on a project, a destination none of whose epics is in it has nothing to show: it is counted, not listed.
    const entries = projectKey === undefined ? matching : matching.filter((d) => d.epicKeys.length > 0);
    const today = clock.today();
    const projects = new Set<string>();

    const rowOfEntry = (entry: (typeof matching)[number]): DestinationRollup => {
      const d = entry.destination;
      let visibleEpics = 0;
      for (const key of entry.epicKeys) {
        const epic = epicsByKey.get(key);
        if (epic && mayBrowse(epic)) {
          visibleEpics += 1;
          projects.add(epic.projectKey);
        }
      }
      return {
        id: d.id,
        name: d.name,
        status: d.status,
        priority: d.priority,
        targetDate: d.targetDate,
        businessOwner: d.businessOwner,
        businessOwnerName: names.get(d.businessOwner) ?? d.businessOwner,
        epics: entry.epicKeys.length,
        progress: entry.progress,
        verdict: entry.forecast.verdict,
        forecastDate: entry.forecast.forecastDate,
        forecast: entry.forecast,
        visibleEpics,
        hiddenEpics: entry.epicKeys.length - visibleEpics,
        ...voicesOfRow(d, entry.forecast),
      };
    };
    const voicesOfRow = (d: Destination, forecast: Forecast): Pick<DestinationRollup, 'checkIns' | 'disagreement' | 'openConcerns' | 'successMeasure'> => {
      const v = voiceOf(d.id);
      const latest = (l: VoiceSummaryEntry['owner']) => (l ? { status: l.status, at: l.at, byName: names.get(l.by) ?? l.by } : null);
      const due = isCheckInDue(v?.lastDay ?? null, today, settings.checkInCadenceWeeks);
      return {
        checkIns: { owner: latest(v?.owner ?? null), lead: latest(v?.lead ?? null), due },
        disagreement: disagreementOfLatest(v, chanceOf(forecast), settings),
        openConcerns: v?.open ?? 0,
        ...(d.successMeasure ? { successMeasure: d.successMeasure } : {}),
      };
    };
    const rows = entries.map(rowOfEntry).sort((a, b) => a.priority - b.priority);

    const offRouteEpics = site.rollup.offRoute.epicKeys
      .map((key) => epicsByKey.get(key))
      .filter((e): e is NonNullable<typeof e> => e !== undefined);
    const shownOffRoute = offRouteEpics.filter(mayBrowse);
    for (const e of shownOffRoute) projects.add(e.projectKey);

    const { count, estimate, orphanCount } = site.rollup.offRoute;
    // Named fields only, never a stored block spread: what the app stores names epics of every project.
    return {
      asOf: site.asOf,
      computedAt: site.computedAt,
      computedAs: 'app',
      rows,
      projects,
      hiddenDestinations: matching.length - entries.length,
      owners: [...new Map(matching.map((d) => [d.destination.businessOwner, names.get(d.destination.businessOwner) ?? d.destination.businessOwner]))]
        .map(([accountId, displayName]) => ({ accountId, displayName })),
      offRoute: {
        count: { ...count },
        estimate: { ...estimate },
        orphanCount,
        visibleEpics: shownOffRoute.length,
        hiddenEpics: offRouteEpics.length - shownOffRoute.length,
      },
      // Warning sentences name epics and projects: each is restated for what the viewer may browse.
      warnings: site.rollup.warnings
        .map((w) => warningForViewer(w, mayBrowse))
        .concat(restricted === null ? [] : [restricted])
        .filter((w): w is NonNullable<typeof w> => w !== null),
      freshness,
      site,
      visibleProjects: visibleSet,
      mayBrowse,
    };
  }

  /** The full assembly (per-epic figures, summaries) for a list, beside the view that says what the viewer may browse. */
  async function withDetail(accountId: string, projectKey: string | undefined): Promise<{ v: ViewerPortfolio; full: SiteRollup }> {
    // The assembly first (after the viewer's right to the project: refused before anything else), so the view
    // finds it in the memo instead of assembling a second time.
    await refuseHidden(lookups.visible(accountId), projectKey);
    const { site } = await current(projectKey !== undefined ? [projectKey] : undefined);
    const v = await view(accountId, projectKey !== undefined ? { projectKey } : {});
    return { v, full: site };
  }

  /** The destination a call names, refused like one that does not exist when the portfolio has no such row. */
  function notInPortfolio(destinationId: string): AppError {
    return new AppError('NOT_FOUND', `Destination ${destinationId} is not in the portfolio.`, 'destinationId');
  }

  return {
    /** What the first screen shows: the site-wide figures and one page of rows, as `accountId` may see them. */
    async get(accountId: string, filters: PortfolioFilters & { page?: number }): Promise<Portfolio> {
      const { page: asked, ...rest } = filters;
      const v = await view(accountId, rest);
      const pages = Math.max(1, Math.ceil(v.rows.length / PORTFOLIO_PAGE_SIZE));
      const page = Math.min(asked ?? 1, pages);
      const shown = v.rows.slice((page - 1) * PORTFOLIO_PAGE_SIZE, page * PORTFOLIO_PAGE_SIZE);
      const byVerdict = Object.fromEntries(VERDICTS.map((verdict) => [verdict, 0])) as Record<Verdict, number>;
      for (const row of v.rows) byVerdict[row.verdict] += 1;
      return {
        asOf: v.asOf,
        computedAt: v.computedAt,
        computedAs: 'app',
        destinations: shown,
        page,
        pageSize: PORTFOLIO_PAGE_SIZE,
        totalDestinations: v.rows.length,
        hiddenDestinations: v.hiddenDestinations,
        summary: { byVerdict },
        owners: v.owners,
        projects: [...v.projects].sort(),
        offRoute: v.offRoute,
        warnings: v.warnings,
        // Links name no epic and only projects the viewer may browse: a key in a URL is as much a leak as one on screen.
        jql: linksFor(v.site, shown.map((d) => d.id), v.visibleProjects),
        freshness: v.freshness,
      };
    },

    /** A page of one destination's epics that `accountId` may browse (the project filter applies). */
    async epics(accountId: string, query: { destinationId: string; projectKey?: string; offset?: number; limit?: number }): Promise<ResponseOf<'portfolio/epics'>> {
      const { v, full } = await withDetail(accountId, query.projectKey);
      // Every destination of the rollup (archived ones too, whatever the filters).
      const entry = full.rollup.destinations.find((d) => d.destination.id === query.destinationId);
      if (!entry) throw notInPortfolio(query.destinationId);
      const byKey = new Map(full.epics.map((e) => [e.key, e]));
      const shown: EpicRef[] = [];
      for (const { epicKey, progress } of entry.perEpic) {
        const epic = byKey.get(epicKey);
        if (epic && v.mayBrowse(epic)) shown.push({ key: epic.key, summary: epic.summary, projectKey: epic.projectKey, statusCategory: epic.statusCategory, progress });
      }
      return pageOf(shown, entry.epicKeys.length - shown.length, query.offset, query.limit);
    },

    /** A page of the off-route epics that `accountId` may browse. */
    async offRoute(accountId: string, query: { projectKey?: string; offset?: number; limit?: number }): Promise<ResponseOf<'portfolio/off-route'>> {
      const { v, full } = await withDetail(accountId, query.projectKey);
      const byKey = new Map(full.epics.map((e) => [e.key, e]));
      const epics = full.rollup.offRoute.epicKeys.map((key) => byKey.get(key)).filter((e): e is NonNullable<typeof e> => e !== undefined);
      const shown = epics.filter(v.mayBrowse).map(({ key, summary, projectKey }) => ({ key, summary, projectKey }));
      return { ...pageOf(shown, epics.length - shown.length, query.offset, query.limit), orphanCount: full.rollup.offRoute.orphanCount };
    },

    /** The work of every matching destination with `verdict`, as one link (too long to send with every view). */
    async jql(accountId: string, query: PortfolioFilters & { verdict: Verdict }): Promise<ResponseOf<'portfolio/jql'>> {
      const { verdict, ...filters } = query;
      const v = await view(accountId, filters);
      const ids = v.rows.filter((d) => d.verdict === verdict).map((d) => d.id);
      const links = linksFor(v.site, ids, v.visibleProjects);
      return { jql: unionJql(ids.map((id) => links.byDestination[id])) ?? null };
    },

    /** Every matching row, for the CSV export. */
    async export(accountId: string, filters: PortfolioFilters): Promise<PortfolioExport> {
      const v = await view(accountId, filters);
      return { asOf: v.asOf, destinations: v.rows };
    },

    /** Every live row and the off-route share, from one view: what the dashboard gadget's card is cut from. */
    async headline(accountId: string): Promise<{ asOf: string; destinations: DestinationRollup[]; offRoute: Portfolio['offRoute']['count'] }> {
      const v = await view(accountId, {});
      return { asOf: v.asOf, destinations: v.rows, offRoute: { ...v.offRoute.count } };
    },

    /**
     * Keep the outline current for the next cold containers (in the background, after the stored figures
     * changed): `current` when it already is, `later` when one was kept less than `minAgeMs` ago (the caller
     * comes back then: a burst of compactions costs one full read a minute), `kept` when written.
     */
    async refreshOutline(minAgeMs = 0): Promise<'none' | 'current' | 'later' | 'kept'> {
      if (!deps.outlines) return 'none';
      const [inputs, kept] = await Promise.all([inputsOf(), deps.outlines.peek()]);
      if (!inputs.stamp) return 'none';
      if (kept?.fingerprint === fingerprintOf({ ...inputs, stamp: inputs.stamp }, undefined, clock.today())) return 'current';
      if (kept && clock.now().getTime() - kept.writtenAt < minAgeMs) return 'later';
      await current(undefined, inputs, kept?.fingerprint);
      return 'kept';
    },

    compute,
    current,
    outline,
  };
}

export type PortfolioService = ReturnType<typeof portfolioService>;

/**
 * The portfolio's links, in JQL that Atlassian's parser accepts: a destination's work through the app's
 * `destinationWork` JQL function (its children: the figures count children), in-flight work by status
 * category id. No epic key and no property of the app's field appears in them.
 */
function linksFor(site: SiteOutline, destinationIds: string[], visible: Set<string>): PortfolioJql {
  const { standardTypeIds, projectKeys } = site.jql;
  // Jira shows the viewer no issue of a project they may not browse, so naming only the others loses nothing.
  const shownKeys = projectKeys.filter((key) => visible.has(key));
  const scope = projectKeys.length === 0 ? '' : shownKeys.length === 0 ? ' AND project is EMPTY' : ` AND project in ${jqlList(shownKeys)}`;
  const std = `issuetype in ${jqlList(standardTypeIds)}`;
  const byDestination: Record<string, string> = {};
  for (const id of destinationIds) byDestination[id] = `issue in ${FUNCTION_NAME}(${jqlString(id)}) AND ${std} ORDER BY status ASC`;
  return {
    byDestination,
    inFlight: `${std} AND statusCategory = ${IN_PROGRESS_CATEGORY_ID}${scope}`,
    offRoute: `issue in ${FUNCTION_NAME}()${scope}`,
  };
}
