/**
 * Freshness from events: an issue created, updated or deleted in Jira updates only what it touches (its
 * epic, the epic it left, its own off-route contribution, or the epic's own fields), in two or three Jira
 * requests. The issue is re-read as the app, never taken from the payload; epics are recomputed from their
 * children as Jira has them now. Each fact is stamped with the time it was read, and the newest read wins,
 * so late, duplicated and reordered events converge on Jira's state.
 */
import { ISSUE_KEY } from '../domain/types';
import { figuresOf, orphanOf } from '../domain/epic-figures';
import { effectiveEstimate } from '../domain/estimate';
import { runIsActive } from '../domain/reconcile-run';
import type { AppJira, Clock, SettingsStore } from './ports';
import type { RollupDelta, RollupDeltaLog, RunStore } from './rollup-ports';

export interface IssueEvent {
  eventType?: string;
  issue?: { id?: string; key?: string; fields?: Record<string, unknown> };
  changelog?: { items?: Array<{ field?: string; fieldId?: string; from?: string | null; fromString?: string | null }> };
}

export interface FreshnessDeps {
  jira: AppJira;
  store: RollupDeltaLog;
  runs: RunStore;
  settings: SettingsStore;
  clock: Clock;
  /** Enqueue a debounced compaction (compaction-service.ts); without it, events compact in place. */
  requestCompaction?: () => Promise<void>;
}

/** Changelog names Jira uses for a change of parent. */
const PARENT_FIELDS = new Set(['IssueParentAssociation', 'parent', 'Parent', 'Parent Link']);

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
      const [settings, meta] = await Promise.all([deps.settings.get(), jira.siteMeta()]);
      const estimate = effectiveEstimate(settings.estimateField, meta);
      const at = store.readTime();
      const issue = await jira.issue(meta, issueId, estimate);
      const deltas: RollupDelta[] = [];
      const recompute = new Set<string>();

      if (issue === null) {
        const key = event.issue?.key ?? '';
        // Gone from Jira: whatever it was, it contributes nothing now.
        if (key !== '') deltas.push({ t: 'deleted', at, key });
        // Whatever it was when this event was sent (an orphan, maybe), it is nothing now.
        deltas.push({ t: 'orphan', at, id: issueId, key, projectKey: null, estimate: null });
        const parent = parentKeyOf(event.issue?.fields);
        if (parent) recompute.add(parent);
      } else if (issue.level === 1) {
        deltas.push({ t: 'fields', at, ...issue.epic });
      }
      const parentChanges = (event.changelog?.items ?? []).filter((item) => PARENT_FIELDS.has(item.field ?? '') || item.fieldId === 'parent');
      for (const item of parentChanges) {
        if (item.fromString && ISSUE_KEY.test(item.fromString)) recompute.add(item.fromString);
      }
      if (issue !== null && issue.level === 0) {
        const orphan = orphanOf(issue.child, at);
        // An issue with an epic that did not just change epic was no orphan before either: nothing to undo.
        if (orphan.projectKey !== null || parentChanges.length > 0) {
          deltas.push({ t: 'orphan', at, id: issueId, key: orphan.key, projectKey: orphan.projectKey, estimate: orphan.estimate });
        }
        if (issue.child.parentKey) recompute.add(issue.child.parentKey);
      }

      if (recompute.size > 0) {
        const keys = [...recompute];
        const readAt = store.readTime();
        // One search for the old and the new epic; `reconcileIssues` makes search see this very change.
        let children = await jira.childrenOf(meta, keys, estimate, [issueId]);
        let present = keys;
        if (children === null) {
          // One of them was deleted: its own event says so. Recompute those that still exist.
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
      await (deps.requestCompaction ?? compact)().catch(() => undefined);
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

function parentKeyOf(fields: Record<string, unknown> | undefined): string | null {
  const parent = fields?.parent;
  if (typeof parent === 'object' && parent !== null && 'key' in parent) {
    const key = (parent as { key: unknown }).key;
    return typeof key === 'string' && ISSUE_KEY.test(key) ? key : null;
  }
  return null;
}
