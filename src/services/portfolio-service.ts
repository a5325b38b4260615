/**
 * The portfolio: every destination's rollup plus the off-route figures. The aggregate is computed as the
 * app over every project in scope and kept as a snapshot until an issue event marks it stale; what each
 * person sees of it is then cut to the epics they may browse.
 */
import type { DestinationRollup, EpicRef, Portfolio, PortfolioJql } from '../contract';
import { rollupPortfolio } from '../domain/rollup';
import type { DestinationStatus, Epic, PortfolioRollup } from '../domain/types';
import { effectiveEstimate } from './settings-service';
import type { Clock, DestinationStore, JiraPort, SettingsStore, SnapshotStore } from './ports';

/** What is stored: the app-level computation, free of anything user-specific. */
export interface SiteRollup {
  asOf: string;
  computedAt: string;
  rollup: PortfolioRollup;
  epics: Array<Pick<Epic, 'key' | 'summary' | 'projectKey' | 'statusCategory'>>;
  jql: { epicTypeIds: string[]; standardTypeIds: string[]; fieldName: string; projectKeys: string[] };
}

export interface PortfolioDeps {
  jira: JiraPort & { fieldName(): Promise<string> };
  destinations: DestinationStore;
  settings: SettingsStore;
  snapshots: SnapshotStore<SiteRollup>;
  clock: Clock;
  /** A snapshot older than this is recomputed even without events (events can be lost or late). */
  maxAgeMs?: number;
}

export interface PortfolioFilters {
  projectKey?: string;
  owner?: string;
  status?: DestinationStatus[];
}

const DEFAULT_MAX_AGE_MS = 15 * 60 * 1000;
/** JQL links list epic keys up to this many; beyond it the link would not fit in a URL. */
const MAX_KEYS_IN_LINK = 200;

export function portfolioService(deps: PortfolioDeps) {
  const { jira, clock } = deps;

  async function compute(scopeOverride?: string[]): Promise<SiteRollup> {
    const started = clock.now();
    const [settings, destinations, meta, fieldName] = await Promise.all([
      deps.settings.get(),
      deps.destinations.list(),
      jira.siteMeta(),
      jira.fieldName(),
    ]);
    const projectKeys = scopeOverride ?? settings.projectKeys;
    const estimate = effectiveEstimate(settings.estimateField, meta);
    const epics = await jira.epics(meta, projectKeys);
    const [children, orphans] = await Promise.all([
      jira.children(meta, epics.map((e) => e.key), estimate),
      jira.inFlightOrphans(meta, projectKeys, estimate),
    ]);
    const today = started.toISOString().slice(0, 10);
    const rollup = rollupPortfolio({
      destinations,
      epics,
      items: [...children, ...orphans],
      settings: { ...settings, projectKeys },
      today,
      includeArchived: true,
    });
    return {
      asOf: today,
      computedAt: started.toISOString(),
      rollup,
      epics: epics.map(({ key, summary, projectKey, statusCategory }) => ({ key, summary, projectKey, statusCategory })),
      jql: { epicTypeIds: meta.epicTypeIds, standardTypeIds: meta.standardTypeIds, fieldName, projectKeys },
    };
  }

  async function current(): Promise<SiteRollup> {
    const [stored, dirtyAt] = await Promise.all([deps.snapshots.read(), deps.snapshots.dirtyAt()]);
    const maxAge = deps.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    if (stored) {
      const fresh = clock.now().getTime() - Date.parse(stored.computedAt) < maxAge;
      const untouched = dirtyAt === undefined || dirtyAt < stored.computedAt;
      if (fresh && untouched) return stored.data;
    }
    const computed = await compute();
    await deps.snapshots.write(computed, computed.computedAt);
    return computed;
  }

  return {
    /** The portfolio as `accountId` may see it. */
    async get(accountId: string, filters: PortfolioFilters): Promise<Portfolio> {
      const site = filters.projectKey ? await compute([filters.projectKey]) : await current();
      const projects = await jira.projects();
      const visible = await jira.browsableProjects(accountId, projects);
      const epicsByKey = new Map(site.epics.map((e) => [e.key, e]));

      const statuses = new Set<DestinationStatus>(filters.status ?? ['draft', 'active', 'achieved']);
      const entries = site.rollup.destinations.filter(
        (d) => statuses.has(d.destination.status) && (filters.owner === undefined || d.destination.businessOwner === filters.owner),
      );
      const names = await jira.userNames(entries.map((d) => d.destination.businessOwner));

      const destinations: DestinationRollup[] = entries.map((entry) => {
        const d = entry.destination;
        const epicDetails: EpicRef[] = [];
        for (const { epicKey, progress } of entry.perEpic) {
          const epic = epicsByKey.get(epicKey);
          if (epic && visible.has(epic.projectKey)) epicDetails.push({ ...epic, progress });
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
          epicDetails,
          hiddenEpics: entry.epicKeys.length - epicDetails.length,
        };
      });

      const offRouteEpics = site.rollup.offRoute.epicKeys
        .map((key) => epicsByKey.get(key))
        .filter((e): e is NonNullable<typeof e> => e !== undefined);
      const shownOffRoute = offRouteEpics.filter((e) => visible.has(e.projectKey));

      return {
        asOf: site.asOf,
        computedAt: site.computedAt,
        computedAs: 'app',
        destinations,
        offRoute: {
          ...site.rollup.offRoute,
          epics: shownOffRoute.map(({ key, summary, projectKey }) => ({ key, summary, projectKey })),
          hiddenEpics: offRouteEpics.length - shownOffRoute.length,
        },
        // Warnings name issue keys: only those the viewer may browse are kept.
        warnings: site.rollup.warnings.map((w) => (w.refs ? { ...w, refs: w.refs.filter((r) => isVisibleRef(r, epicsByKey, visible)) } : w)),
        jql: linksFor(site, entries.map((e) => ({ id: e.destination.id, epicKeys: e.epicKeys }))),
      };
    },

    /** Mark the stored snapshot stale (an issue changed). */
    async invalidate(at: string): Promise<void> {
      await deps.snapshots.markDirty(at);
    },

    compute,
  };
}

export type PortfolioService = ReturnType<typeof portfolioService>;

function isVisibleRef(ref: string, epics: Map<string, { projectKey: string }>, visible: Set<string>): boolean {
  if (/^D-\d+$/.test(ref)) return true;
  const projectKey = epics.get(ref)?.projectKey ?? ref.split('-')[0] ?? '';
  return visible.has(projectKey);
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function linksFor(site: SiteRollup, destinations: Array<{ id: string; epicKeys: string[] }>): PortfolioJql {
  const { epicTypeIds, standardTypeIds, fieldName, projectKeys } = site.jql;
  const scope = projectKeys.length === 0 ? '' : ` AND project in (${projectKeys.map(quote).join(', ')})`;
  const std = `issuetype in (${standardTypeIds.map(quote).join(', ')})`;
  const byDestination: Record<string, string> = {};
  for (const d of destinations) {
    byDestination[d.id] =
      d.epicKeys.length > 0 && d.epicKeys.length <= MAX_KEYS_IN_LINK
        ? `parent in (${d.epicKeys.join(', ')}) ORDER BY status ASC`
        : `issuetype in (${epicTypeIds.map(quote).join(', ')}) AND ${quote(fieldName)}.Id = ${quote(d.id)}`;
  }
  const inFlight = `${std} AND statusCategory = "In Progress"${scope}`;
  const offKeys = site.rollup.offRoute.epicKeys;
  const offRoute =
    offKeys.length <= MAX_KEYS_IN_LINK
      ? `${std} AND statusCategory = "In Progress" AND (parent is EMPTY${offKeys.length > 0 ? ` OR parent in (${offKeys.join(', ')})` : ''})${scope}`
      : `${std} AND statusCategory = "In Progress" AND parent is EMPTY${scope}`;
  return { byDestination, inFlight, offRoute };
}
