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
import { LIVE_STATUSES, VERDICTS, type Destination, type Forecast, type DestinationStatus, type PortfolioRollup, type Settings, type StatusCategory, type Verdict } from '../domain/types';
import { chanceOf, disagreementOfLatest, isCheckInDue } from '../domain/check-ins';
import type { AppJira, Clock, DestinationStore, SettingsStore, UserJira, VoicesStore, VoiceSummaryEntry } from './ports';
import type { ReconcileRun, RollupJqlMeta, RollupReader, StoredSite, ViewerCache } from './rollup-ports';
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
}

export interface PortfolioFilters {
  projectKey?: string;
  owner?: string;
  status?: DestinationStatus[];
}

/** A row with the epics the viewer may browse: what every portfolio answer is cut from. */
type FullRow = DestinationRollup & { epicDetails: EpicRef[] };

/**
 * The whole portfolio as one viewer may see it. Never sent as it is (on a big site the epic lists alone are
 * megabytes): each call answers its slice (`get`: a page of rows; `epics`, `offRoute`: a page of a list).
 */
interface ViewerPortfolio extends Omit<Portfolio, 'destinations' | 'page' | 'pageSize' | 'totalDestinations' | 'summary' | 'owners' | 'projects' | 'offRoute' | 'jql'> {
  rows: FullRow[];
  /** Every destination of the rollup (archived ones too, whatever the filters), for `epics`. */
  epicsOf: (destinationId: string) => { epics: EpicRef[]; hidden: number } | undefined;
  offRoute: Portfolio['offRoute'] & { epics: Array<Pick<EpicRef, 'key' | 'summary' | 'projectKey'>> };
  owners: Portfolio['owners'];
  site: SiteRollup;
  visibleProjects: Set<string>;
}

/** Rows without their epic lists: what goes over the wire. */
const rowOf = ({ epicDetails: _epics, ...row }: FullRow): DestinationRollup => row;

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
}


/** JQL links list epic keys up to this many; beyond it the link would not fit in a URL. */

export interface CurrentSite {
  site: SiteRollup;
  freshness: Freshness;
  stored?: StoredSite;
  destinations: Destination[];
  settings: Settings;
}

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

  /**
   * The app-level portfolio from the stored rollups, or no figures and the first recalculation's progress when
   * there are none yet. A project filter narrows the settings' scope; a project outside the scope is refused
   * (NOT_FOUND on `projectKey`).
   */
  async function current(projectFilter?: string[]): Promise<CurrentSite> {
    const [stored, settings, destinations, run] = await Promise.all([
      deps.rollups.load(),
      deps.settings.get(),
      deps.destinations.list(),
      deps.currentRun ? deps.currentRun().catch(() => undefined) : Promise.resolve(undefined),
    ]);
    const outside = projectFilter?.find((key) => !scopeOf(settings).inScope(key));
    if (outside !== undefined) {
      throw new AppError('NOT_FOUND', `Project ${outside} is outside the app's scope, so the portfolio has no figures for it; a Jira administrator can add it in the app's settings.`, 'projectKey');
    }
    const now = clock.now();
    const recalculating = runIsActive(run, now.getTime());
    if (!stored) {
      // Before the first rollup: no figures, never a computation on view. The build started at install; start it if none runs.
      const running = recalculating ? run : await startFirstBuild();
      const site = await emptySite(projectFilter ?? settings.projectKeys, destinations, settings);
      return { site, destinations, settings, freshness: calculatingFreshness(now, { progress: runProgress(running), items: running?.items ?? 0 }) };
    }
    const projectKeys = projectFilter ?? settings.projectKeys;
    const today = clock.today();
    // Everything the assembly reads, so a view that follows an unchanged one reuses its result.
    const fingerprint = [
      stored.version, stored.deltaCount, stored.newestDeltaAt ?? 0, settings.version, JSON.stringify(settings.estimateField),
      settings.throughputWeeks, settings.projectKeys.join(','), projectFilter?.join(',') ?? '*', today, destinations.map((d) => `${d.id}:${d.version}`).join(','),
    ].join('|');
    let assembled = deps.memo.last?.fingerprint === fingerprint ? deps.memo.last : undefined;
    if (!assembled) {
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
      // A filtered view's forecasts are its own: only the whole scope's are kept for the next views.
      if (!projectFilter && JSON.stringify(forecasts) !== JSON.stringify(stored.forecasts)) await deps.rollups.saveForecasts(forecasts);
      const epics = live.map(({ id, key, summary, projectKey, statusCategory }) => ({ id, key, summary, projectKey, statusCategory }));
      assembled = { fingerprint, rollup, epics };
      deps.memo.last = assembled;
    }
    const { rollup, epics } = assembled;
    const estimateKey = await currentEstimateKey(settings);
    const freshness = freshnessOf(stored, now, recalculating, estimateKey);
    // Figures in another estimate measure cannot be patched by events: rebuild them (once; a run joins).
    if (estimateKey !== undefined && estimateKey !== stored.head.estimateKey && !recalculating) {
      await deps.startReconcile?.().catch(() => undefined);
      freshness.recalculating = deps.startReconcile !== undefined;
    }
    return {
      site: { asOf: today, computedAt: freshness.updatedAt, rollup, epics, jql: { ...stored.head.jql, projectKeys } },
      freshness,
      stored,
      destinations,
      settings,
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
  async function view(accountId: string, filters: PortfolioFilters): Promise<ViewerPortfolio> {
    const { projectKey } = filters;
    const visibleProjects = lookups.visible(accountId);
    // A project the viewer may not browse is refused exactly like one that does not exist.
    if (projectKey !== undefined && !(await visibleProjects).has(projectKey)) {
      throw new AppError('NOT_FOUND', `Project ${projectKey} does not exist or you do not have permission to see it.`, 'projectKey');
    }
    // Asked alongside the stored rollups; a failed check leaves the warning out rather than the view.
    const closedPromise = closedToApp().catch((e: unknown) => {
      console.warn('could not check which projects are closed to the app', e instanceof Error ? e.message : e);
      return [] as string[];
    });
    // A view that fails waits for the check too: no Jira call may outlive the invocation that made it.
    const [{ site, freshness, settings }, visibleSet, summary] = await Promise.all([
      current(projectKey !== undefined ? [projectKey] : undefined),
      visibleProjects,
      deps.voices ? deps.voices.summary() : Promise.resolve(undefined),
    ]).catch(async (error: unknown) => {
      await closedPromise;
      throw error;
    });
    const epicsByKey = new Map(site.epics.map((e) => [e.key, e]));
    // Issue security: every epic the answer could name is checked as the viewer, not only its project.
    const named = new Set([...site.rollup.destinations.flatMap((d) => d.perEpic.map((p) => p.epicKey)), ...site.rollup.offRoute.epicKeys]);
    // Count-only warnings list child issues by key: those are checked too, by key.
    const refKeys = site.rollup.warnings.flatMap((w) => (w.about === undefined ? (w.refs ?? []) : []));
    const [visibility, closedAll] = await Promise.all([lookups.issues(accountId, site.epics.filter((e) => named.has(e.key)), visibleSet, refKeys), closedPromise]);
    const mayBrowse = (issue: { key: string; projectKey: string }) => mayView(visibility, issue);
    // In-scope projects the app itself may not read: their work is missing from every figure, so say so.
    const scope = site.jql.projectKeys;
    const closed = closedAll.filter((key) => (projectKey !== undefined ? key === projectKey : scope.length === 0 || scope.includes(key)));
    const restricted = appRestrictedWarning(closed, (key) => visibleSet.has(key));

    const statuses = new Set<DestinationStatus>(filters.status ?? LIVE_STATUSES);
    const matching = site.rollup.destinations.filter(
      (d) => statuses.has(d.destination.status) && (filters.owner === undefined || d.destination.businessOwner === filters.owner),
    );
    // Filtered on a project, a destination none of whose epics is in it has nothing to show: it is counted, not listed.
    const entries = projectKey === undefined ? matching : matching.filter((d) => d.epicKeys.length > 0);
    // Every matching row's owner, for the owner filter, not only the rows listed.
    // The people who checked in are named in the same lookup.
    const voiceOf = (id: string): VoiceSummaryEntry | undefined => summary?.[id];
    const checkInPeople = matching.flatMap((d) => {
      const v = voiceOf(d.destination.id);
      return [v?.owner?.by, v?.lead?.by].filter((by): by is string => by !== undefined);
    });
    const names = await lookups.names([...new Set([...matching.map((d) => d.destination.businessOwner), ...checkInPeople])]);
    const today = clock.today();

    const rowOfEntry = (entry: (typeof matching)[number]): FullRow => {
      const d = entry.destination;
      const epicDetails = epicsOfEntry(entry);
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
        visibleEpics: epicDetails.length,
        hiddenEpics: entry.epicKeys.length - epicDetails.length,
        ...voicesOfRow(d, entry.forecast),
        epicDetails,
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
    const epicsOfEntry = (entry: (typeof matching)[number]): EpicRef[] => {
      const epicDetails: EpicRef[] = [];
      for (const { epicKey, progress } of entry.perEpic) {
        const epic = epicsByKey.get(epicKey);
        if (epic && mayBrowse(epic)) {
          epicDetails.push({ key: epic.key, summary: epic.summary, projectKey: epic.projectKey, statusCategory: epic.statusCategory, progress });
        }
      }
      return epicDetails;
    };
    const rows = entries.map(rowOfEntry).sort((a, b) => a.priority - b.priority);

    const offRouteEpics = site.rollup.offRoute.epicKeys
      .map((key) => epicsByKey.get(key))
      .filter((e): e is NonNullable<typeof e> => e !== undefined);
    const shownOffRoute = offRouteEpics.filter(mayBrowse);

    const { count, estimate, orphanCount } = site.rollup.offRoute;
    // Named fields only, never a stored block spread: what the app stores names epics of every project.
    return {
      asOf: site.asOf,
      computedAt: site.computedAt,
      computedAs: 'app',
      rows,
      epicsOf: (destinationId) => {
        const entry = site.rollup.destinations.find((d) => d.destination.id === destinationId);
        if (!entry) return undefined;
        const epics = epicsOfEntry(entry);
        return { epics, hidden: entry.epicKeys.length - epics.length };
      },
      hiddenDestinations: matching.length - entries.length,
      owners: [...new Map(matching.map((d) => [d.destination.businessOwner, names.get(d.destination.businessOwner) ?? d.destination.businessOwner]))]
        .map(([accountId, displayName]) => ({ accountId, displayName })),
      offRoute: {
        count: { ...count },
        estimate: { ...estimate },
        orphanCount,
        epics: shownOffRoute.map(({ key, summary, projectKey }) => ({ key, summary, projectKey })),
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
    };
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
      const projects = new Set<string>();
      for (const row of v.rows) for (const e of row.epicDetails) projects.add(e.projectKey);
      for (const e of v.offRoute.epics) projects.add(e.projectKey);
      const { epics: _offRouteEpics, ...offRoute } = v.offRoute;
      return {
        asOf: v.asOf,
        computedAt: v.computedAt,
        computedAs: 'app',
        destinations: shown.map(rowOf),
        page,
        pageSize: PORTFOLIO_PAGE_SIZE,
        totalDestinations: v.rows.length,
        hiddenDestinations: v.hiddenDestinations,
        summary: { byVerdict },
        owners: v.owners,
        projects: [...projects].sort(),
        offRoute,
        warnings: v.warnings,
        // Links name no epic and only projects the viewer may browse: a key in a URL is as much a leak as one on screen.
        jql: linksFor(v.site, shown.map((d) => d.id), v.visibleProjects),
        freshness: v.freshness,
      };
    },

    /** A page of one destination's epics that `accountId` may browse (the project filter applies). */
    async epics(accountId: string, query: { destinationId: string; projectKey?: string; offset?: number; limit?: number }): Promise<ResponseOf<'portfolio/epics'>> {
      const v = await view(accountId, query.projectKey !== undefined ? { projectKey: query.projectKey } : {});
      const found = v.epicsOf(query.destinationId);
      if (!found) throw notInPortfolio(query.destinationId);
      return pageOf(found.epics, found.hidden, query.offset, query.limit);
    },

    /** A page of the off-route epics that `accountId` may browse. */
    async offRoute(accountId: string, query: { projectKey?: string; offset?: number; limit?: number }): Promise<ResponseOf<'portfolio/off-route'>> {
      const v = await view(accountId, query.projectKey !== undefined ? { projectKey: query.projectKey } : {});
      return { ...pageOf(v.offRoute.epics, v.offRoute.hiddenEpics, query.offset, query.limit), orphanCount: v.offRoute.orphanCount };
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
      return { asOf: v.asOf, destinations: v.rows.map(rowOf) };
    },

    /** Every live row and the off-route share, from one view: what the dashboard gadget's card is cut from. */
    async headline(accountId: string): Promise<{ asOf: string; destinations: DestinationRollup[]; offRoute: Portfolio['offRoute']['count'] }> {
      const v = await view(accountId, {});
      return { asOf: v.asOf, destinations: v.rows.map(rowOf), offRoute: { ...v.offRoute.count } };
    },

    compute,
    current,
  };
}

export type PortfolioService = ReturnType<typeof portfolioService>;

/**
 * The portfolio's links, in JQL that Atlassian's parser accepts: a destination's work through the app's
 * `destinationWork` JQL function (its children: the figures count children), in-flight work by status
 * category id. No epic key and no property of the app's field appears in them.
 */
function linksFor(site: SiteRollup, destinationIds: string[], visible: Set<string>): PortfolioJql {
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
