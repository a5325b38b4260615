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
import type { IssueFacts, ReconcileRun, RollupDeltaLog, MarkReader, RunStore, StoredSite } from './rollup-ports';

/** Applies issues' current facts as their events would (the freshness service does). */
export interface ChangeApplier {
  siteFacts(): Promise<{ meta: SiteMeta; estimate: EffectiveEstimate }>;
  applyChanged(meta: SiteMeta, estimate: EffectiveEstimate, issues: Array<{ id: string; key: string; facts: IssueFacts }>, at: number, stored?: StoredSite): Promise<number>;
}

/** Hours the catch-up looks back: a day and an hour, so a schedule that fires late still overlaps. */
export const CATCH_UP_HOURS = 25;
/**
 * Pages (100 issues each) one catch-up reads at most: a day's changes are read unless they are over a quarter
 * of the issues the rollup holds (then a rebuild, at about 1.4 points an issue, costs little more), and never
 * fewer than 50 pages. A fixed cap would send every big site with ordinary churn (2% of 250,000 issues is
 * 5,000 a day) to a full rebuild each night.
 */
export function catchUpPages(storedItems: number): number {
  return Math.max(50, Math.ceil((storedItems * 0.25) / 100));
}

/** Time the schedule spends reading changes (Forge gives it 55 s): what is read by then is applied. */
export const CATCH_UP_READ_BUDGET_MS = 30_000;

export interface CatchUpDeps {
  jira: AppJira;
  freshness: ChangeApplier;
  /** Every epic with its marks: where each changed issue is counted, and whether the stored rollup can be trusted. */
  reader: Pick<MarkReader, 'loadWithMarks'>;
  store: Pick<RollupDeltaLog, 'readTime'>;
  reconcile: { start(by: string): Promise<ReconcileRun> };
  runs: RunStore;
  clock: Clock;
}

export type DailyOutcome =
  | { kind: 'rebuild'; runId: string; reason: RebuildReason | 'running' | 'churn' }
  | { kind: 'catch-up'; runId: string; issues: number; deltas: number; complete: boolean };

export function catchUpService(deps: CatchUpDeps) {
  return {
    async daily(): Promise<DailyOutcome> {
      const now = deps.clock.now().getTime();
      const [site, run, { meta, estimate }] = await Promise.all([deps.reader.loadWithMarks(), deps.runs.get(), deps.freshness.siteFacts()]);
      const rebuild = async (reason: RebuildReason | 'running' | 'churn'): Promise<DailyOutcome> => ({ kind: 'rebuild', runId: (await deps.reconcile.start('schedule')).runId, reason });
      // A run going (the first build, an admin's request): join it rather than read the same issues twice.
      if (runIsActive(run, now)) return rebuild('running');
      const reason = rebuildReason(site && { estimateKey: site.head.estimateKey, epics: site.epics.values(), ...(site.pendingSince ? { pendingSince: site.pendingSince } : {}) }, estimateKeyOf(estimate), now);
      if (reason !== null) return rebuild(reason);
      // Facts are stamped before they are read, like an event's: a newer event still wins over them.
      const at = deps.store.readTime();
      const issues: Array<{ id: string; key: string; facts: IssueFacts }> = [];
      let token: string | undefined;
      const pages = catchUpPages(site?.head.items ?? 0);
      const readUntil = deps.clock.now().getTime() + CATCH_UP_READ_BUDGET_MS;
      let page = 0;
      do {
        const answer = await deps.jira.changedSince(meta, CATCH_UP_HOURS, estimate, token);
        issues.push(...answer.issues);
        token = answer.next;
        page += 1;
        if (token !== undefined && page >= pages) return rebuild('churn');
      } while (token !== undefined && deps.clock.now().getTime() < readUntil);
      // Out of time with pages left: apply what was read (oldest changes first); events cover the rest, and the
      // next day's run reads them again.
      const complete = token === undefined;
      if (!complete) console.warn(`daily catch-up read ${issues.length} changed issues before its time ran out; the rest wait for events or tomorrow's run`);
      const deltas = await deps.freshness.applyChanged(meta, estimate, issues, at, site);
      return { kind: 'catch-up', runId: run?.runId ?? '', issues: issues.length, deltas, complete };
    },
  };
}

export type CatchUpService = ReturnType<typeof catchUpService>;
