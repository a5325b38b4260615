/**
 * The daily run: catch up with the last day's changes (events can be missed: a failed delivery after its last
 * retry, a change made while the app was disabled), reading only the issues changed since, oldest first, in
 * pages, and applying their facts as their events would have. A full rebuild, which reads every issue, starts
 * only when the stored rollup cannot be trusted (see `rebuildReason`), or when a day's churn is so large that
 * reading it costs about as much as a rebuild. Jira sends no event for what a deletion takes with it, and a
 * deleted issue cannot be found by a search: those are handled from the stored marks when the event comes.
 */
import { estimateKeyOf } from '../domain/estimate';
import { runIsActive } from '../domain/reconcile-run';
import { rebuildReason, type RebuildReason } from '../domain/rollup-compat';
import type { AppJira, Clock, EffectiveEstimate, SiteMeta } from './ports';
import type { IssueFacts, ReconcileRun, RollupDeltaLog, RollupReader, RunStore, StoredSite } from './rollup-ports';

/** Applies issues' current facts as their events would (the freshness service does). */
export interface ChangeApplier {
  siteFacts(): Promise<{ meta: SiteMeta; estimate: EffectiveEstimate }>;
  applyChanged(meta: SiteMeta, estimate: EffectiveEstimate, issues: Array<{ id: string; key: string; facts: IssueFacts }>, at: number, stored?: StoredSite): Promise<number>;
}

/** Hours the catch-up looks back: a day and an hour, so a schedule that fires late still overlaps. */
export const CATCH_UP_HOURS = 25;
/** Pages (100 issues each) one catch-up reads at most: more churn than 5,000 issues a day is rebuilt instead. */
export const MAX_CATCH_UP_PAGES = 50;

export interface CatchUpDeps {
  jira: AppJira;
  freshness: ChangeApplier;
  reader: Pick<RollupReader, 'load'>;
  store: Pick<RollupDeltaLog, 'readTime'>;
  reconcile: { start(by: string): Promise<ReconcileRun> };
  runs: RunStore;
  clock: Clock;
}

export type DailyOutcome =
  | { kind: 'rebuild'; runId: string; reason: RebuildReason | 'running' | 'churn' }
  | { kind: 'catch-up'; runId: string; issues: number; deltas: number };

export function catchUpService(deps: CatchUpDeps) {
  return {
    async daily(): Promise<DailyOutcome> {
      const now = deps.clock.now().getTime();
      const [site, run, { meta, estimate }] = await Promise.all([deps.reader.load(), deps.runs.get(), deps.freshness.siteFacts()]);
      const rebuild = async (reason: RebuildReason | 'running' | 'churn'): Promise<DailyOutcome> => ({ kind: 'rebuild', runId: (await deps.reconcile.start('schedule')).runId, reason });
      // A run going (the first build, an admin's request): join it rather than read the same issues twice.
      if (runIsActive(run, now)) return rebuild('running');
      const reason = rebuildReason(site && { estimateKey: site.head.estimateKey, epics: site.epics.values(), ...(site.pendingSince ? { pendingSince: site.pendingSince } : {}) }, estimateKeyOf(estimate), now);
      if (reason !== null) return rebuild(reason);
      // Facts are stamped before they are read, like an event's: a newer event still wins over them.
      const at = deps.store.readTime();
      const issues: Array<{ id: string; key: string; facts: IssueFacts }> = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
        const answer = await deps.jira.changedSince(meta, CATCH_UP_HOURS, estimate, token);
        issues.push(...answer.issues);
        token = answer.next;
        if (token === undefined) break;
      }
      if (token !== undefined) return rebuild('churn');
      const deltas = await deps.freshness.applyChanged(meta, estimate, issues, at, site);
      return { kind: 'catch-up', runId: run?.runId ?? '', issues: issues.length, deltas };
    },
  };
}

export type CatchUpService = ReturnType<typeof catchUpService>;
