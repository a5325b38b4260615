/**
 * Freshness from events: an issue created, updated or deleted in Jira updates only what it touches (its
 * epic, the epic it left, its own off-route contribution, or the epic's own fields). Jira charges points for
 * every issue a request returns, and events are free, so:
 * - an update whose changelog touches nothing the rollups use costs nothing (`changeMatters`, first);
 * - an update whose changelog says everything the stored facts need (a status by id, mapped to its category by
 *   the site facts; a resolution set or cleared, dated by the payload's `fields.updated`; an estimate; an
 *   epic's summary or destination; a child moved between epics the app keeps marks for) is applied from the
 *   event with no Jira request, on top of the issue's stored mark (`changelog-placement.ts`), stamped with
 *   `fields.updated`;
 * - anything else is re-read once, as the app: a created issue, a changelog the rule cannot read, an issue the
 *   app keeps no mark for, or an event not newer than the stored fact (a late or reordered event never
 *   overwrites a newer fact: it is checked against Jira instead). Its epic's figures follow from the per-child
 *   marks stored with the epic: no sibling is read again. An epic with no stored marks has its children read
 *   once.
 * Every fact carries a time (read time, or the change's time for one applied from an event) and the newest
 * wins, so late, duplicated and reordered events converge on Jira's state; the daily catch-up re-reads every
 * issue changed in the last day, which also repairs what a lost event left behind.
 */
import { applyDelta, figuresOf } from '../domain/epic-figures';
import { changeMatters } from '../domain/rollup-changes';
import { effectiveEstimate } from '../domain/estimate';
import { runIsActive } from '../domain/reconcile-run';
import type { EpicEntry, OrphanEntry } from '../domain/types';
import { keysToRead, placeIssue, type StoredPlaces } from './issue-placement';
import { placeFromChangelog } from './changelog-placement';
import { readChangelog } from '../domain/changelog-facts';
import type { AppJira, Clock, EffectiveEstimate, SettingsStore, SiteMeta } from './ports';
import type { IssueFacts, MarkReader, RollupDelta, RollupDeltaLog, RunStore } from './rollup-ports';

export interface IssueEvent {
  eventType?: string;
  issue?: { id?: string; key?: string; fields?: Record<string, unknown> };
  changelog?: { items?: Array<{ field?: string; fieldId?: string; from?: string | null; fromString?: string | null; to?: string | null; toString?: unknown }> };
}

export interface FreshnessDeps {
  jira: AppJira;
  store: RollupDeltaLog;
  /** The stored rollups with marks: where the issue is counted now, and its epics' marks (never a view's read). */
  reader: MarkReader;
  runs: RunStore;
  settings: SettingsStore;
  clock: Clock;
  /** Enqueue a debounced compaction (compaction-service.ts); without it, events compact in place. */
  requestCompaction?: () => Promise<void>;
}

export function freshnessService(deps: FreshnessDeps) {
  const { jira, store } = deps;

  /** Fold deltas into the shards when nobody else is; keep those a running reconcile still needs. */
  async function compact(): Promise<void> {
    const run = await deps.runs.get();
    const building = run && runIsActive(run, deps.clock.now().getTime()) ? Date.parse(run.startedAt) : undefined;
    await store.compact(building);
  }

  /** Progress (with marks) of epics the app keeps no marks for: one search for all of them. */
  async function readEpics(meta: SiteMeta, estimate: EffectiveEstimate, keys: string[], reconcile: string[]): Promise<RollupDelta[]> {
    if (keys.length === 0) return [];
    const readAt = store.readTime();
    // `reconcileIssues` makes search see the change being applied (the index may be stale).
    let children = await jira.childrenOf(meta, keys, estimate, reconcile);
    let present = keys;
    if (children === null) {
      // One of them was deleted: its own event says so. Read those that still exist.
      present = [];
      children = [];
      for (const key of keys) {
        const one = await jira.childrenOf(meta, [key], estimate, reconcile);
        if (one !== null) {
          present.push(key);
          children.push(...one);
        }
      }
    }
    return [...figuresOf(present, children, deps.clock.today()).values()].map((figures) => ({ t: 'progress', at: readAt, ...figures }));
  }

  async function siteFacts(): Promise<{ meta: SiteMeta; estimate: EffectiveEstimate }> {
    const [settings, meta] = await Promise.all([deps.settings.get(), jira.siteMeta()]);
    return { meta, estimate: effectiveEstimate(settings.estimateField, meta) };
  }

  return {
    async handle(event: IssueEvent): Promise<{ deltas: number }> {
      const issueId = event.issue?.id;
      if (issueId === undefined || !/^\d+$/.test(issueId)) return { deltas: 0 };
      const items = event.changelog?.items;
      const verdict = event.eventType === 'avi:jira:updated:issue' ? changeMatters(items) : 'yes';
      if (verdict === 'no') return { deltas: 0 };
      const { meta, estimate } = await siteFacts();
      if (verdict === 'custom' && changeMatters(items, { appFieldId: meta.appFieldId, estimateFieldId: estimateFieldIdOf(estimate) }) === 'no') {
        return { deltas: 0 };
      }
      // Only the issue's own places (through the id index) and the epics named are read, with marks.
      const places = deps.reader.placesOf(issueId);
      if (event.eventType === 'avi:jira:updated:issue' && meta.statusCategories !== undefined) {
        const vocab = { statusCategories: meta.statusCategories, estimate, appFieldId: meta.appFieldId };
        const parentKey = readChangelog(items, vocab)?.parentKey;
        const stored = await (await places)?.with(typeof parentKey === 'string' ? [parentKey] : []);
        const applied = placeFromChangelog(stored, { issueId, key: event.issue?.key ?? '', items, payloadFields: event.issue?.fields }, vocab);
        if (applied !== null) {
          await store.writeDeltas(applied);
          await store.clearPending(issueId);
          await (deps.requestCompaction ?? compact)().catch(() => undefined);
          return { deltas: applied.length };
        }
      }
      const at = store.readTime();
      const [facts, stored] = await Promise.all([jira.issue(meta, issueId, estimate), places]);
      const input = { issueId, key: event.issue?.key ?? '', facts, items, payloadFields: event.issue?.fields, epicTypeIds: meta.epicTypeIds, created: event.eventType === 'avi:jira:created:issue', at };
      const site = await stored?.with(keysToRead(input));
      const placed = placeIssue(site, input);
      const deltas = [...placed.deltas, ...(await readEpics(meta, estimate, [...placed.readChildren], [issueId]))];
      await store.writeDeltas(deltas);
      if (placed.lostChildren) {
        // An epic whose children the app never stored: they cannot be found now (Jira keeps no link, and
        // sends no event for them). The figures say they wait for a recalculation, which the daily run starts.
        await store.markPending(issueId, deps.clock.now().toISOString());
      } else {
        await store.clearPending(issueId);
      }
      // Folding is housekeeping: a failure leaves the deltas to the next event.
      await (deps.requestCompaction ?? compact)().catch(() => undefined);
      return { deltas: deltas.length };
    },

    /**
     * Apply issues' current facts as their events would have (the daily catch-up, after events were missed):
     * one load of the stored rollups, each issue placed against what the ones before it changed, one search
     * for epics the app keeps no marks for. Returns the number of facts written.
     */
    async applyChanged(meta: SiteMeta, estimate: EffectiveEstimate, issues: Array<{ id: string; key: string; facts: IssueFacts }>, at: number, stored?: StoredPlaces): Promise<number> {
      const site = stored ?? (await deps.reader.loadWithMarks());
      const epics = new Map<string, EpicEntry>(site?.epics ?? []);
      const orphans = new Map<string, OrphanEntry>(site?.orphans ?? []);
      const deltas: RollupDelta[] = [];
      const unknown = new Set<string>();
      for (const issue of issues) {
        const placed = placeIssue({ epics, orphans }, { issueId: issue.id, key: issue.key, facts: issue.facts, created: false, at });
        for (const delta of placed.deltas) applyDelta(epics, orphans, delta);
        deltas.push(...placed.deltas);
        for (const key of placed.readChildren) unknown.add(key);
      }
      deltas.push(...(await readEpics(meta, estimate, [...unknown], [])));
      await store.writeDeltas(deltas);
      await compact().catch(() => undefined);
      return deltas.length;
    },

    siteFacts,

    /**
     * The app changed an epic's destination itself (its own writes raise no event it listens to). The field
     * is read back from Jira and stamped with the time of that read, like an event's facts: of two changes
     * made at once, the stored value is the one Jira ends with, whatever order the writes answered in.
     */
    async epicChanged(issueId: string): Promise<void> {
      try {
        const [settings, meta] = await Promise.all([deps.settings.get(), jira.siteMeta()]);
        const at = store.readTime();
        const issue = await jira.issue(meta, issueId, effectiveEstimate(settings.estimateField, meta));
        if (issue?.level === 1) await store.writeDeltas([{ t: 'fields', at, ...issue.epic }]);
        // Folded soon, like an event's facts: the destinationWork function follows the new alignment there.
        await (deps.requestCompaction ?? compact)().catch(() => undefined);
      } catch {
        // The change is in Jira; the figures say they are waiting until the next recalculation reads it.
        await store.markPending(issueId, deps.clock.now().toISOString()).catch(() => undefined);
      }
    },

    async markPending(issueId: string): Promise<void> {
      await store.markPending(issueId, deps.clock.now().toISOString());
    },
  };
}

export type FreshnessService = ReturnType<typeof freshnessService>;

/** The changelog field id of the estimate the figures use. */
function estimateFieldIdOf(estimate: EffectiveEstimate): string | null {
  return estimate.kind === 'points' ? estimate.fieldId : estimate.kind === 'originalEstimate' ? 'timeoriginalestimate' : null;
}
