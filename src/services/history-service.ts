/**
 * The trip over time: a destination's burn-up reconstructed from its children's stored marks (created day and
 * done day), its kept daily snapshots with today's point computed live, its scope drift since the baseline,
 * and the portfolio's scenery trend. A view reads the stored rollups with their marks once and asks Jira for
 * no issue (0 points); progress and forecast are the portfolio's own (`assemblePortfolio`), never recomputed.
 */
import type { SceneryTrend, TripHistory, TripSnapshot } from '../contract/trip';
import { alignEpic } from '../domain/alignment';
import { BURN_UP_LIMITS, burnUp, burnUpStart, stepFor, type BurnUpIssue } from '../domain/burn-up';
import { addDays, fromUtcMs, startOfWeek } from '../domain/dates';
import { compareKeys, isLive } from '../domain/epic-figures';
import { liveMembers, projectOfKey } from '../domain/epic-members';
import { AppError } from '../domain/errors';
import { DESTINATION_WORK_FUNCTION, jqlString } from '../domain/jql';
import { assemblePortfolio, scopeOf } from '../domain/portfolio';
import { SCENERY_LIMITS, sceneryTrend, type SceneryIssue, type ScenerySnapshot } from '../domain/scenery-trend';
import { baselineOf, driftSince, type ScopeNow } from '../domain/scope-drift';
import type { Destination, DestinationRollupEntry, EpicEntry, IsoDate, PortfolioRollup, Settings } from '../domain/types';
import type { AppJira, Clock, DestinationStore, SettingsStore, UserJira } from './ports';
import type { MarkReader, RollupReader, StoredSite, ViewerCache } from './rollup-ports';
import type { StoredBaseline, TripStore } from './trip-ports';
import { mayView, viewerLookups } from './viewer-lookups';

/** Snapshots are kept this long (the issue asks for at least two years). */
export const SNAPSHOT_KEEP_DAYS = 2 * 366;
/** Weekly scenery snapshots kept: the trend shows 12 weeks; a few more cost nothing. */
const SCENERY_KEEP_DAYS = 26 * 7;
const DAY_MS = 86_400_000;

export interface HistoryDeps {
  rollups: RollupReader & Pick<MarkReader, 'loadWithMarks'>;
  destinations: DestinationStore;
  settings: SettingsStore;
  trips: TripStore;
  clock: Clock;
  jira: AppJira;
  userJira: UserJira;
  viewers?: ViewerCache;
}

/** What one read of the stored rollups gives every history answer. */
interface Figures {
  site: StoredSite;
  settings: Settings;
  destinations: Destination[];
  entries: Map<string, DestinationRollupEntry>;
  /** The portfolio's off-route count today (work in progress by status). */
  offRoute: PortfolioRollup['offRoute']['count'];
  today: IsoDate;
}

const dayOf = (dayNumber: number): IsoDate => fromUtcMs(dayNumber * DAY_MS);

export function historyService(deps: HistoryDeps) {
  const { clock } = deps;
  const lookups = viewerLookups(deps.userJira, deps.jira, deps.viewers);

  async function figures(): Promise<Figures | undefined> {
    // The rollups first: before the first calculation nothing else is read (admins seeding many destinations
    // one by one would otherwise read the whole list each time).
    const site = await deps.rollups.loadWithMarks();
    if (!site) return undefined;
    const [settings, destinations] = await Promise.all([deps.settings.get(), deps.destinations.list()]);
    const today = clock.today();
    const live = [...site.epics.values()].filter(isLive).sort((a, b) => compareKeys(a.key, b.key));
    // The portfolio's own assembly (with its kept forecasts), so the trip shows the figures the table shows.
    const rollup = assemblePortfolio({ destinations, epics: live, orphans: site.orphans.values(), settings, today, includeArchived: true, forecasts: { ...site.forecasts } });
    return { site, settings, destinations, entries: new Map(rollup.destinations.map((d) => [d.destination.id, d])), offRoute: rollup.offRoute.count, today };
  }

  async function required(): Promise<Figures> {
    const f = await figures();
    if (!f) throw new AppError('CONFLICT', 'The first calculation of the portfolio is still running; the trip shows once it has finished. Try again in a few minutes.');
    return f;
  }

  function entryOf(f: Figures, destinationId: string): DestinationRollupEntry {
    const entry = f.entries.get(destinationId);
    if (!entry) throw new AppError('NOT_FOUND', `Destination ${destinationId} does not exist (it may have been deleted).`, 'destinationId');
    return entry;
  }

  const epicsOf = (f: Figures, entry: DestinationRollupEntry): EpicEntry[] =>
    entry.epicKeys.map((key) => f.site.epics.get(key)).filter((e): e is EpicEntry => e !== undefined);

  function scopeNow(f: Figures, entry: DestinationRollupEntry): ScopeNow {
    const epics = epicsOf(f, entry);
    const { count, estimate } = entry.progress;
    return {
      epics: new Map(epics.map((e) => [e.id, e.key])),
      issues: epics.flatMap((e) => liveMembers(e).map(([id]) => id)),
      remaining: count.new + count.indeterminate,
      remainingEstimate: estimate.new + estimate.indeterminate,
      forecastDate: entry.forecast.forecastDate,
    };
  }

  function todayPoint(f: Figures, entry: DestinationRollupEntry): TripSnapshot {
    const { count, estimate } = entry.progress;
    const range = entry.forecast.range ?? null;
    return {
      date: f.today,
      done: count.done,
      scope: count.total,
      doneEstimate: estimate.done,
      scopeEstimate: estimate.total,
      forecastDate: entry.forecast.forecastDate,
      likelyFrom: range?.likelyFrom ?? null,
      likelyTo: range?.likelyTo ?? null,
      chance: range ? Math.round(range.probabilityByTarget * 100) : null,
    };
  }

  async function canBaseline(accountId: string, d: Destination): Promise<boolean> {
    if (d.businessOwner === accountId || d.deliveryLead === accountId) return true;
    return deps.userJira.isAdmin(accountId);
  }

  /** The trip of one destination as `accountId` may see it: epic keys they may not browse are left out. */
  async function tripOf(accountId: string, f: Figures, entry: DestinationRollupEntry, may: boolean): Promise<TripHistory> {
    const d = entry.destination;
    const epics = epicsOf(f, entry);
    const issues: BurnUpIssue[] = [];
    let undated = 0;
    let doneUndated = 0;
    for (const epic of epics) {
      for (const [, mark] of liveMembers(epic)) {
        const [, category, estimate, doneDay, , createdDay] = mark;
        if (createdDay === undefined) undated += 1;
        if (category === 2 && doneDay === null) doneUndated += 1;
        const created = createdDay === undefined ? null : dayOf(createdDay);
        const resolved = category === 2 ? (doneDay === null ? (created ?? '') : dayOf(doneDay)) : null;
        issues.push({ created: created ?? '', resolved, estimate });
      }
    }
    const dated = issues.filter((i) => i.created !== '');
    const from = burnUpStart(dated, f.today, d.startDate);
    // Marks stored before creation days were kept: they count from the chart's first day, and say so.
    const all = issues.map((i) => (i.created === '' ? { ...i, created: from, resolved: i.resolved === '' ? from : i.resolved } : i));
    const step = stepFor(from, f.today);
    const limits: string[] = [...BURN_UP_LIMITS];
    if (undated > 0) limits.push(`${undated} issue${undated === 1 ? ' was' : 's were'} recorded before creation dates were kept and count from ${from}, the chart's first day, until the next full recalculation.`);
    if (doneUndated > 0) limits.push(`${doneUndated} done issue${doneUndated === 1 ? ' has' : 's have'} no resolution date and count as done from the day ${doneUndated === 1 ? 'it was' : 'they were'} created.`);
    const [stored, baseline, mayBaseline] = await Promise.all([
      deps.trips.snapshots(d.id, addDays(f.today, -SNAPSHOT_KEEP_DAYS)),
      deps.trips.baseline(d.id),
      may ? canBaseline(accountId, d) : Promise.resolve(false),
    ]);
    const snapshots = [...stored.filter((s) => s.date < f.today), todayPoint(f, entry)];
    const { drift, note } = await driftFor(accountId, f, entry, baseline);
    return {
      destinationId: d.id,
      asOf: f.today,
      targetDate: d.targetDate,
      burnUp: { step, points: burnUp(all, from, f.today, step) },
      limits,
      snapshots,
      forecast: entry.forecast,
      progress: entry.progress,
      drift,
      baselineNote: note,
      canBaseline: mayBaseline,
    };
  }

  async function driftFor(accountId: string, f: Figures, entry: DestinationRollupEntry, baseline: StoredBaseline | undefined) {
    if (!baseline) {
      const note = entry.destination.status === 'active' ? 'No baseline yet: one is taken when a destination becomes active, or when its owner, its lead or an administrator asks.' : 'No baseline yet: one is taken when the destination becomes active.';
      return { drift: null, note };
    }
    if (baseline.kind === 'too big') {
      return { drift: null, note: `The route had ${baseline.issues} issues when the baseline was asked for (${baseline.takenAt.slice(0, 10)}): too many to keep a list of, so changes since cannot be listed.` };
    }
    const drift = driftSince(baseline.baseline, scopeNow(f, entry));
    // Epic keys only for epics the caller may browse; the counts stay app-level.
    const named = [...drift.epicsAdded, ...drift.epicsRemoved];
    if (named.length === 0) return { drift, note: null };
    const visibility = await lookups.issues(accountId, named.map((e) => ({ ...e, projectKey: projectOfKey(e.key) })));
    const shown = (e: { key: string }) => mayView(visibility, { key: e.key, projectKey: projectOfKey(e.key) });
    return { drift: { ...drift, epicsAdded: drift.epicsAdded.filter(shown), epicsRemoved: drift.epicsRemoved.filter(shown) }, note: null };
  }

  async function takeBaseline(f: Figures, entry: DestinationRollupEntry): Promise<void> {
    const now = clock.now().toISOString();
    const scope = scopeNow(f, entry);
    const kept = baselineOf(scope, now);
    await deps.trips.saveBaseline(entry.destination.id, kept ? { kind: 'kept', baseline: kept } : { kind: 'too big', takenAt: now, issues: scope.issues.length });
  }

  function sceneryIssues(f: Figures): { issues: SceneryIssue[]; orphans: Array<{ projectKey: string }> } {
    const { inView } = scopeOf(f.settings);
    const byId = new Map(f.destinations.map((d) => [d.id, d]));
    const issues: SceneryIssue[] = [];
    for (const epic of f.site.epics.values()) {
      if (!isLive(epic) || !inView(epic.projectKey)) continue;
      // Off route as the portfolio counts it: an epic not aligned to a live destination.
      const offRoute = alignEpic(epic.destinationId, byId).kind !== 'aligned';
      for (const [, [key, category, , doneDay, , createdDay]] of liveMembers(epic)) {
        // Without a creation day the issue cannot be placed in past weeks: it counts from this week only.
        const created = createdDay === undefined ? startOfWeek(f.today) : dayOf(createdDay);
        const resolved = category === 2 ? (doneDay === null ? created : dayOf(doneDay)) : null;
        issues.push({ created, resolved, offRoute, projectKey: projectOfKey(key) });
      }
    }
    const orphans = [...f.site.orphans.values()].filter((o): o is typeof o & { projectKey: string } => o.projectKey !== null && inView(o.projectKey));
    return { issues, orphans };
  }

  /** What the daily snapshot keeps site-wide: work in progress by status, on route or not, as the portfolio counts it. */
  function sceneryNow(f: Figures): ScenerySnapshot {
    const { inFlight, offRoute } = f.offRoute;
    return { weekEnd: addDays(startOfWeek(f.today), 6), inFlight, offRoute };
  }

  return {
    async history(accountId: string, destinationId: string): Promise<TripHistory> {
      const f = await required();
      return tripOf(accountId, f, entryOf(f, destinationId), true);
    },

    /** The trip of the destination an epic serves, for the panel: the caller must be able to browse the epic. */
    async epicHistory(accountId: string, issueKey: string): Promise<TripHistory> {
      // What this viewer's panel asked Jira about the epic a moment ago is enough (the panel asks epic/alignment first).
      const browse = async () => (await lookups.issueAccess(accountId, issueKey))?.issue ?? deps.userJira.issueAsUser(await deps.jira.siteMeta(), issueKey);
      const [f, issue] = await Promise.all([required(), browse()]);
      if (!issue) throw new AppError('NOT_FOUND', `Issue ${issueKey} does not exist or you do not have permission to see it.`);
      const epic = f.site.epics.get(issueKey);
      const entry = epic && isLive(epic) && typeof epic.destinationId === 'string' ? f.entries.get(epic.destinationId) : undefined;
      if (!entry || !entry.epicKeys.includes(issueKey)) throw new AppError('NOT_FOUND', `${issueKey} serves no destination, so it has no trip to show.`, 'issueKey');
      return tripOf(accountId, f, entry, false);
    },

    /** A new baseline on request: the destination's owner, its lead or a Jira administrator. */
    async baseline(accountId: string, destinationId: string): Promise<TripHistory> {
      const f = await required();
      const entry = entryOf(f, destinationId);
      if (!(await canBaseline(accountId, entry.destination))) {
        throw new AppError('FORBIDDEN', 'Only the destination\'s business owner, its delivery lead or a Jira administrator can take a new baseline.');
      }
      await takeBaseline(f, entry);
      return tripOf(accountId, f, entry, true);
    },

    /** When a destination becomes active: its route as committed (best effort; no figures yet, no baseline). */
    async activated(destinationId: string): Promise<void> {
      const f = await figures();
      const entry = f?.entries.get(destinationId);
      if (f && entry) await takeBaseline(f, entry);
    },

    /** The daily run: today's snapshot of every live destination, and this week's scenery. */
    async snapshotDaily(): Promise<number> {
      const f = await figures();
      if (!f) return 0;
      const rows = [...f.entries.values()].filter((e) => e.destination.status !== 'archived');
      await deps.trips.writeSnapshots(rows.map((e) => ({ destinationId: e.destination.id, snapshot: todayPoint(f, e) })), addDays(f.today, -SNAPSHOT_KEEP_DAYS));
      await deps.trips.saveScenery(sceneryNow(f), addDays(f.today, -SCENERY_KEEP_DAYS));
      return rows.length;
    },

    async scenery(accountId: string, projectKey: string | undefined): Promise<SceneryTrend> {
      const [f, visible] = await Promise.all([required(), lookups.visible(accountId)]);
      if (projectKey !== undefined && !visible.has(projectKey)) {
        throw new AppError('NOT_FOUND', `Project ${projectKey} does not exist or you do not have permission to see it.`, 'projectKey');
      }
      const { issues, orphans } = sceneryIssues(f);
      const { inView } = scopeOf(f.settings);
      const inScope = new Set([...issues.map((i) => i.projectKey), ...orphans.map((o) => o.projectKey)].filter(inView));
      const projects = [...inScope].filter((key) => visible.has(key)).sort();
      // A viewer who may not browse every project of the scope gets the trend of the ones they may.
      const restricted = projectKey !== undefined ? new Set([projectKey]) : projects.length < inScope.size ? new Set(projects) : undefined;
      const stored = await deps.trips.scenery();
      const points = sceneryTrend(issues, f.today, { ...(restricted ? { projects: restricted } : {}), snapshots: stored });
      // Orphans are stored only while in flight, without dates: they count in the current week's reconstruction.
      const last = points[points.length - 1];
      if (last?.reconstructed) {
        const extra = orphans.filter((o) => !restricted || restricted.has(o.projectKey)).length;
        last.inFlight += extra;
        last.offRoute += extra;
        last.share = last.inFlight === 0 ? null : Math.round((100 * last.offRoute) / last.inFlight);
      }
      const scopeJql = restricted ? ` AND project in (${[...restricted].map(jqlString).join(', ')})` : '';
      return {
        asOf: f.today,
        points: points.map((p) => {
          const next = jqlString(addDays(p.weekEnd, 1));
          return { ...p, jql: `issue in ${DESTINATION_WORK_FUNCTION}()${scopeJql} AND created < ${next} AND (resolutiondate is EMPTY OR resolutiondate >= ${next})` };
        }),
        projectKey: projectKey ?? null,
        projects,
        limits: `${SCENERY_LIMITS} Issues without an epic are stored only while in progress, so past weeks do not count them; an issue that moved between epics counts where it is now.`,
      };
    },
  };
}

export type HistoryService = ReturnType<typeof historyService>;
