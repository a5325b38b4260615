/**
 * The `destinationWork` JQL function (`jira:jqlFunction`): `issue in destinationWork("D-1")` is the work of
 * destination D-1 (its epics and their children), `issue in destinationWork()` (or `"none"`) the off-route
 * work. Jira asks the app once per (arguments, operator) and keeps the answer as a precomputation; the app
 * keeps those current through the precomputation API whenever what they mean changes: a rebuild publishes; a
 * compaction folds an epic's change of destination, project or existence; an admin creates, archives,
 * restores or deletes a destination, or changes the projects in scope (the off-route fragment follows both).
 */
import type { PrecomputationApi, PrecomputationUpdate } from '../infra/jira/precomputation-api';
import type { DestinationStore, SettingsStore } from '../services/ports';
import type { FoldObserver, RollupReader, RollupStore } from '../services/rollup-ports';
import type { EpicEntry } from '../domain/types';
import { isLive } from '../domain/epic-figures';
import { FUNCTION_NAME, destinationWorkJql, type DestinationWorkFacts, type FragmentResult } from './destination-work-jql';

export interface DestinationWorkDeps {
  rollups: Pick<RollupReader, 'load'>;
  destinations: Pick<DestinationStore, 'list'>;
  settings: Pick<SettingsStore, 'get'>;
  api: PrecomputationApi;
}

/** What Jira sends the function (https://developer.atlassian.com/cloud/jira/platform/jql-functions/). */
export interface JqlFunctionArgs {
  precomputationId?: string;
  clause?: { field?: string; operator?: string; functionName?: string; arguments?: unknown[] };
}

const NOT_YET = 'Business destinations are still being calculated for the first time. Try the search again in a few minutes.';
const UNREADABLE = 'Business destinations could not be read just now. Try the search again in a minute.';

export function destinationWorkService(deps: DestinationWorkDeps) {
  async function facts(): Promise<DestinationWorkFacts | undefined> {
    const [stored, destinations, settings] = await Promise.all([deps.rollups.load(), deps.destinations.list(), deps.settings.get()]);
    if (!stored) return undefined;
    return { epics: [...stored.epics.values()], destinations, standardTypeIds: stored.head.jql.standardTypeIds, projectKeys: settings.projectKeys };
  }

  return {
    /** The function's answer to Jira: `{jql}` or `{error}` (errors are not stored, so Jira asks again later). */
    async evaluate(args: JqlFunctionArgs): Promise<FragmentResult> {
      const clause = args?.clause ?? {};
      const raw = clause.arguments?.[0];
      const argument = typeof raw === 'string' ? raw : undefined;
      let current: DestinationWorkFacts | undefined;
      try {
        current = await facts();
      } catch {
        return { error: UNREADABLE };
      }
      if (!current) return { error: NOT_YET };
      return destinationWorkJql(argument, clause.operator ?? 'in', current);
    },

    /**
     * Bring every stored precomputation of the function up to date: one listing, then updates only for those
     * whose value changed. Returns how many were updated (precomputations Jira dropped meanwhile are skipped).
     */
    async refresh(): Promise<{ updated: number }> {
      const current = await facts();
      if (!current) return { updated: 0 };
      const mine = (await deps.api.list()).filter((p) => p.functionName.toLowerCase() === FUNCTION_NAME.toLowerCase());
      const updates: PrecomputationUpdate[] = [];
      for (const p of mine) {
        const next = destinationWorkJql(p.arguments[0], p.operator, current);
        if ('jql' in next) {
          if (next.jql !== p.value) updates.push({ id: p.id, value: next.jql });
        } else if (next.error !== p.error) {
          updates.push({ id: p.id, error: next.error });
        }
      }
      if (updates.length === 0) return { updated: 0 };
      const missing = new Set(await deps.api.update(updates));
      return { updated: updates.filter((u) => !missing.has(u.id)).length };
    },
  };
}

export type DestinationWorkService = ReturnType<typeof destinationWorkService>;

/**
 * Whether folding facts into the shards changed what the function stands for: an epic's id, destination or
 * project, or whether it counts at all (new, deleted, made a story). Progress and summaries change nothing.
 */
export function alignmentChanged(before: ReadonlyMap<string, EpicEntry>, after: ReadonlyMap<string, EpicEntry>): boolean {
  const shape = (e: EpicEntry | undefined) => (e && isLive(e) ? `${e.id}|${e.projectKey}|${e.destinationId === null ? '' : typeof e.destinationId === 'string' ? e.destinationId : JSON.stringify(e.destinationId)}` : '');
  for (const key of new Set([...before.keys(), ...after.keys()])) if (shape(before.get(key)) !== shape(after.get(key))) return true;
  return false;
}

/**
 * A refresh that never fails what caused it (a rebuild, a compaction, an admin's change of destinations or
 * scope): the failure is logged, and the next change or rebuild refreshes again.
 */
export function refreshQuietly(refresh: () => Promise<unknown>, log: (message: string) => void = console.warn): () => Promise<void> {
  return async () => {
    try {
      await refresh();
    } catch (error) {
      log(`destinationWork precomputations not refreshed: ${error instanceof Error ? error.message : 'unexpected failure'}`);
    }
  };
}

/**
 * The rollup store, with the function's precomputations refreshed after a rebuild publishes and after a
 * compaction folds facts that change an epic's alignment (events and the app's own destination changes reach
 * the shards there, debounced: a burst of events costs one refresh, and a change of progress costs none).
 * A failed refresh never fails the write: the next change or rebuild refreshes again.
 */
export function withPrecomputationRefresh<T extends Pick<RollupStore, 'publish' | 'compact'>>(store: T, refresh: () => Promise<unknown>, log: (message: string) => void = console.warn): T {
  const quietly = refreshQuietly(refresh, log);
  return {
    ...store,
    async publish(...args: Parameters<RollupStore['publish']>) {
      await store.publish(...args);
      await quietly();
    },
    async compact(keepNewerThan?: number, onFolded?: FoldObserver) {
      let changed = false;
      const folded = await store.compact(keepNewerThan, (before, after) => {
        changed = alignmentChanged(before, after);
        onFolded?.(before, after);
      });
      if (changed) await quietly();
      return folded;
    },
  };
}
