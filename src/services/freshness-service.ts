/**
 * Freshness from events: an issue created, updated or deleted in Jira updates only what it touches (its
 * epic, the epic it left, its own off-route contribution, or the epic's own fields). Jira charges points for
 * every issue a request returns, and events are free, so the issue is re-read once (as the app, never taken from
 * the payload, which can be minutes old) and its epic's figures follow from the per-child marks stored with the
 * epic: no sibling is read again. An epic with no stored marks (new to the app) has its children read once.
 * An update whose changelog touches nothing the rollups use costs no Jira request. Each fact is stamped with the
 * time it was read, and the newest read wins, so late, duplicated and reordered events converge on Jira's state.
 */
import { ISSUE_KEY, type EpicEntry } from '../domain/types';
import { figuresOf, orphanOf } from '../domain/epic-figures';
import { figuresOfMembers, leftMark, liveMembers, markOf, projectOfKey, type ChildMark } from '../domain/epic-members';
import { changedPlace, changeMatters, previousKey, previousParents } from '../domain/rollup-changes';
import { effectiveEstimate } from '../domain/estimate';
import { runIsActive } from '../domain/reconcile-run';
import type { AppJira, Clock, EffectiveEstimate, SettingsStore } from './ports';
import type { RollupDelta, RollupDeltaLog, RollupReader, RunStore } from './rollup-ports';

export interface IssueEvent {
  eventType?: string;
  issue?: { id?: string; key?: string; fields?: Record<string, unknown> };
  changelog?: { items?: Array<{ field?: string; fieldId?: string; from?: string | null; fromString?: string | null }> };
}

export interface FreshnessDeps {
  jira: AppJira;
  store: RollupDeltaLog;
  /** The stored rollups (shards cached per container): where the issue is counted now, and its epic's marks. */
  reader: Pick<RollupReader, 'load'>;
  runs: RunStore;
  settings: SettingsStore;
  clock: Clock;
}

export function freshnessService(deps: FreshnessDeps) {
  const { jira, store } = deps;

  /** Fold deltas into the shards when nobody else is; keep those a running reconcile still needs. */
  async function compact(): Promise<void> {
    const run = await deps.runs.get();
    const building = run && runIsActive(run, deps.clock.now().getTime()) ? Date.parse(run.startedAt) : undefined;
    await store.compact(building);
  }

  return {
    async handle(event: IssueEvent): Promise<{ deltas: number }> {
      const issueId = event.issue?.id;
      if (issueId === undefined || !/^\d+$/.test(issueId)) return { deltas: 0 };
      const items = event.changelog?.items;
      const isUpdate = event.eventType === 'avi:jira:updated:issue';
      const verdict = isUpdate ? changeMatters(items) : 'yes';
      if (verdict === 'no') return { deltas: 0 };
      const [settings, meta] = await Promise.all([deps.settings.get(), jira.siteMeta()]);
      const estimate = effectiveEstimate(settings.estimateField, meta);
      if (verdict === 'custom' && changeMatters(items, { appFieldId: meta.appFieldId, estimateFieldId: estimateFieldIdOf(estimate) }) === 'no') {
        return { deltas: 0 };
      }
      const at = store.readTime();
      const [issue, site] = await Promise.all([jira.issue(meta, issueId, estimate), deps.reader.load()]);
      const epics = site?.epics ?? new Map<string, EpicEntry>();
      const live = [...epics.values()].filter((e) => e.deleted !== true);
      // Where the app counts this issue now, by id (keys change when an issue moves between projects).
      const storedAsEpic = live.filter((e) => e.id === issueId);
      const storedAsChildOf = live.filter((e) => { const m = e.members?.[issueId]; return m !== undefined && m[1] !== -1; });
      const deltas: RollupDelta[] = [];
      /** Epics with no stored marks: their children are read once, this issue reconciled. */
      const readChildren = new Set<string>();
      const leave = (epic: EpicEntry) => deltas.push({ t: 'member', at, key: epic.key, id: issueId, mark: leftMark(epic.members?.[issueId]?.[0] ?? event.issue?.key ?? '', at) });
      const known = (key: string) => { const e = epics.get(key); return e !== undefined && e.deleted !== true && e.members !== undefined ? e : undefined; };
      const wasOrphan = site?.orphans.get(issueId)?.projectKey != null;
      const orphanGone = () => deltas.push({ t: 'orphan', at, id: issueId, key: event.issue?.key ?? '', projectKey: null, estimate: null });

      if (issue === null) {
        const key = event.issue?.key ?? '';
        // Gone from Jira: whatever it was, it contributes nothing now.
        if (key !== '') deltas.push({ t: 'deleted', at, key });
        for (const e of storedAsEpic) {
          if (e.key !== key) deltas.push({ t: 'deleted', at, key: e.key });
        }
        orphanGone();
        for (const e of storedAsChildOf) leave(e);
        // Jira sends no event for a deleted epic's children: they lose their parent silently. The stored marks
        // say who they were; the in-flight ones are off-route now.
        for (const e of storedAsEpic.length > 0 ? storedAsEpic : [epics.get(key)].filter((x): x is EpicEntry => x !== undefined && x.deleted !== true)) {
          for (const [id, mark] of liveMembers(e)) orphanedChild(deltas, id, mark, at);
        }
        const parent = parentKeyOf(event.issue?.fields);
        if (parent && storedAsChildOf.length === 0 && !known(parent)) readChildren.add(parent);
        if (storedAsEpic.length === 0 && isEpicPayload(event.issue?.fields) && !epics.get(key)?.members) {
          // An epic whose children the app never stored: they cannot be found now (Jira has no record of
          // the link, and no event comes for them). The figures say they wait for a recalculation.
          await store.markPending(issueId, deps.clock.now().toISOString());
          await store.writeDeltas(deltas);
          return { deltas: deltas.length };
        }
      } else if (issue.level === 1) {
        const key = issue.epic.key;
        deltas.push({ t: 'fields', at, ...issue.epic });
        // Moved between projects (a new key) or stored under another key: one entry per issue id.
        const moved = storedAsEpic.filter((e) => e.key !== key);
        const oldKey = previousKey(items);
        const oldEntry = oldKey !== null && oldKey !== key ? epics.get(oldKey) : undefined;
        if (oldEntry && oldEntry.deleted !== true && !moved.includes(oldEntry)) moved.push(oldEntry);
        for (const e of moved) deltas.push({ t: 'deleted', at, key: e.key });
        if (!known(key)) {
          const source = moved.find((e) => e.members !== undefined);
          if (source?.members) {
            deltas.push({ t: 'progress', at, ...figuresOfMembers(key, source.members), members: source.members });
          } else if (event.eventType === 'avi:jira:created:issue' || storedAsChildOf.length > 0 || wasOrphan) {
            // New, or a child just made an epic: it has no children yet.
            deltas.push({ t: 'progress', at, ...figuresOfMembers(key, {}), members: {} });
          } else {
            readChildren.add(key);
          }
        }
        // A child made an epic leaves the epic it was under, and is no orphan.
        for (const e of storedAsChildOf) leave(e);
        if (wasOrphan || changedPlace(items)) orphanGone();
      } else if (issue.level === 0) {
        const child = issue.child;
        const parent = child.parentKey;
        // An epic made a story: it is no epic any more.
        for (const e of storedAsEpic) deltas.push({ t: 'deleted', at, key: e.key });
        for (const e of storedAsChildOf) if (e.key !== parent) leave(e);
        // A parent the changelog names but the app kept no marks for: read it to take this child out.
        for (const k of previousParents(items)) {
          const e = epics.get(k);
          if (k !== parent && ISSUE_KEY.test(k) && !storedAsChildOf.includes(e as EpicEntry) && !known(k) && !(e?.deleted)) readChildren.add(k);
        }
        if (parent !== null) {
          const epic = known(parent);
          const mark = markOf(child, at);
          if (!epic) readChildren.add(parent);
          else if (!sameMark(epic.members?.[issueId], mark)) deltas.push({ t: 'member', at, key: parent, id: issueId, mark });
        }
        const orphan = orphanOf(child, at);
        // An issue with an epic that did not just change place was no orphan before either: nothing to undo.
        if (orphan.projectKey !== null || wasOrphan || changedPlace(items) || storedAsEpic.length > 0) {
          deltas.push({ t: 'orphan', at, id: issueId, key: orphan.key, projectKey: orphan.projectKey, estimate: orphan.estimate });
        }
      } else {
        // A sub-task (or a story made one): counted nowhere.
        for (const e of storedAsEpic) deltas.push({ t: 'deleted', at, key: e.key });
        for (const e of storedAsChildOf) leave(e);
        if (wasOrphan) orphanGone();
      }

      if (readChildren.size > 0) {
        const keys = [...readChildren];
        const readAt = store.readTime();
        // One search for every epic the app keeps no marks for; `reconcileIssues` makes search see this change.
        let children = await jira.childrenOf(meta, keys, estimate, [issueId]);
        let present = keys;
        if (children === null) {
          // One of them was deleted: its own event says so. Read those that still exist.
          present = [];
          children = [];
          for (const key of keys) {
            const one = await jira.childrenOf(meta, [key], estimate, [issueId]);
            if (one !== null) {
              present.push(key);
              children.push(...one);
            }
          }
        }
        for (const figures of figuresOf(present, children, deps.clock.today()).values()) {
          deltas.push({ t: 'progress', at: readAt, ...figures });
        }
      }
      await store.writeDeltas(deltas);
      await store.clearPending(issueId);
      // Folding is housekeeping: a failure leaves the deltas to the next event.
      await compact().catch(() => undefined);
      return { deltas: deltas.length };
    },

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

/** A child of a deleted epic: off-route now if it is in flight (Jira left it without a parent). */
function orphanedChild(deltas: RollupDelta[], id: string, mark: ChildMark, at: number): void {
  const [key, category, estimate] = mark;
  if (category === 1) deltas.push({ t: 'orphan', at, id, key, projectKey: projectOfKey(key), estimate });
}

function sameMark(a: ChildMark | undefined, b: ChildMark): boolean {
  return a !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

/** Whether an event's (possibly late) payload shows an epic-level issue. */
function isEpicPayload(fields: Record<string, unknown> | undefined): boolean {
  const type = fields?.issuetype;
  return typeof type === 'object' && type !== null && (type as { hierarchyLevel?: unknown }).hierarchyLevel === 1;
}

function parentKeyOf(fields: Record<string, unknown> | undefined): string | null {
  const parent = fields?.parent;
  if (typeof parent === 'object' && parent !== null && 'key' in parent) {
    const key = (parent as { key: unknown }).key;
    return typeof key === 'string' && ISSUE_KEY.test(key) ? key : null;
  }
  return null;
}
