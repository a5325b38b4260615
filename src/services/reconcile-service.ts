/**
 * Background reconcile: rebuild every stored rollup from Jira into a new generation, in resumable steps run
 * by a queue consumer, and switch the head only when the generation is complete. A run that fails half way
 * leaves the previous rollup served. Requests are kept near the lower bound Jira allows: epics and children
 * are read in pages of 100 with only the fields a rollup uses, children in `parent in (...)` batches large
 * enough that only each batch's last page is partial.
 */
import type { AppJira, Clock, EffectiveEstimate, SettingsStore, SiteMeta } from './ports';
import type { ReconcileStatus } from '../contract';
import type { EpicEntry, GenerationBuilder, ReconcileRun, RollupDeltaLog, RollupHead, RollupReader, RunStore, StepQueue } from './rollup-ports';
import { figuresOf, type EpicFigures } from '../domain/epic-figures';
import { effectiveEstimate, estimateKeyOf } from '../domain/estimate';
import { batchRange, estimateFinish, runIsActive, runPoints, runProgress, splitPendingBatches } from '../domain/reconcile-run';
import { RateLimitedError } from '../domain/errors';

export interface ReconcileOptions {
  /** Epics per `parent in (...)` batch. */
  partitionSize?: number;
  /** Batches read at the same time. */
  concurrency?: number;
  /** Work one step does before handing over to the next message (consumers get 900 s; keep a margin). */
  stepBudgetMs?: number;
  /** Cap on batches per step (tests use it to force many steps). */
  maxPartitionsPerStep?: number;
  /** Epic search pages per stored chunk (100 epics a page). */
  pagesPerChunk?: number;
}

export interface ReconcileDeps {
  jira: AppJira;
  /** Builds generations; reads the head in use; clears pending marks a finished run read past. */
  store: GenerationBuilder & Pick<RollupReader, 'head'> & Pick<RollupDeltaLog, 'clearPendingBefore'>;
  runs: RunStore;
  queue: StepQueue;
  settings: SettingsStore;
  clock: Clock;
  options?: ReconcileOptions;
}

export function reconcileService(deps: ReconcileDeps) {
  const { jira, store, runs, clock } = deps;
  const partitionSize = deps.options?.partitionSize ?? 200;
  const concurrency = deps.options?.concurrency ?? 6;
  const stepBudgetMs = deps.options?.stepBudgetMs ?? 600_000;
  const maxPartitionsPerStep = deps.options?.maxPartitionsPerStep ?? Number.POSITIVE_INFINITY;
  // Two pages of 100 epics with long summaries stay well under the 240 KiB value limit.
  const pagesPerChunk = deps.options?.pagesPerChunk ?? 2;

  async function save(run: ReconcileRun): Promise<void> {
    run.updatedAt = clock.now().toISOString();
    await runs.save(run);
  }

  /** Come back at `until` (a step delivered before it waits again); saves the run first. */
  async function waitUntil(run: ReconcileRun, until: number): Promise<'waiting'> {
    run.waitingUntil = new Date(until).toISOString();
    run.step += 1;
    await save(run);
    await deps.queue.push({ runId: run.runId, step: run.step }, Math.max(1, (until - clock.now().getTime()) / 1000));
    return 'waiting';
  }

  // One step's work, until its budget is spent or the run is done (kept apart from `step`, which handles waits).
  const steps = {
    async work(run: ReconcileRun, settled: () => void): Promise<'continued' | 'done'> {
      const deadline = clock.now().getTime() + stepBudgetMs;
      const [settings, meta] = await Promise.all([deps.settings.get(), jira.siteMeta()]);
      const estimate = effectiveEstimate(settings.estimateField, meta);
      const today = run.startedAt.slice(0, 10);
      const startedMs = Date.parse(run.startedAt);
      let partitionsThisStep = 0;

      while (clock.now().getTime() < deadline) {
        if (run.phase === 'epics') {
          const buffer: EpicEntry[] = [];
          let token = run.epicToken;
          for (let page = 0; page < pagesPerChunk; page++) {
            const result = await jira.epicPage(meta, token);
            buffer.push(...result.epics);
            token = result.next;
            if (token === undefined) break;
          }
          await store.writeEpicChunk(run.generation, run.epicChunks, buffer);
          run.epicChunks += 1;
          run.epics += buffer.length;
          if (token === undefined) {
            delete run.epicToken;
            run.phase = 'children';
            run.partitions = Math.ceil(run.epics / partitionSize);
          } else {
            run.epicToken = token;
          }
          settled();
          await save(run);
          continue;
        }
        if (run.phase === 'children') {
          const keys = (await store.readEpicChunks(run.generation, run.epicChunks)).map((e) => e.key);
          const done = new Set(run.partitionsDone);
          const todo = Array.from({ length: run.partitions }, (_, i) => i).filter((i) => !done.has(i));
          let next = 0;
          let finished = 0;
          // The first failure stops every worker before the step reports it, so no worker of a failed
          // delivery is still writing when Forge delivers the step again.
          let failure: unknown;
          const worker = async () => {
            while (failure === undefined && next < todo.length && clock.now().getTime() < deadline && partitionsThisStep < maxPartitionsPerStep) {
              const index = todo[next++] as number;
              partitionsThisStep += 1;
              try {
                const batch = keys.slice(...batchRange(run, index, partitionSize));
                const figures = await figuresOfBatch(batch, today, meta, estimate);
                await store.writePartition(run.generation, index, [...figures.values()]);
                run.partitionsDone.push(index);
                finished += 1;
                const items = [...figures.values()].reduce((n, f) => n + f.progress.count.total, 0);
                run.items += items;
                const requestsBefore = run.requests;
                // Saved per batch: a step cut short (timeout, crash) resumes after the last batch written.
                settled();
                // Points of this batch: its requests (counted by the adapter, shared by the workers) and issues.
                run.childPoints = (run.childPoints ?? 0) + (run.requests - requestsBefore) + items;
                await save(run);
              } catch (error) {
                failure ??= error;
              }
            }
          };
          await Promise.all(Array.from({ length: Math.min(run.serial ? 1 : concurrency, todo.length) }, worker));
          settled();
          if (failure instanceof RateLimitedError && finished === 0) {
            // An hour's quota finished no batch: smaller batches, one at a time, so the next hour keeps some.
            run.ranges = splitPendingBatches(run, partitionSize);
            run.partitions = run.ranges.length;
            run.serial = true;
          }
          if (failure !== undefined) throw failure;
          await save(run);
          if (run.partitionsDone.length < run.partitions) break;
          run.phase = 'orphans';
          continue;
        }
        if (run.phase === 'orphans') {
          const orphans = await jira.inFlightOrphans(meta, [], estimate);
          await store.writeOrphans(run.generation, orphans.map((o) => ({ id: o.id, key: o.key, projectKey: o.projectKey, estimate: o.estimate, at: startedMs })));
          run.items += orphans.length;
          run.phase = 'finalize';
          settled();
          await save(run);
          continue;
        }
        if (run.phase === 'finalize') {
          const [epics, figures] = await Promise.all([store.readEpicChunks(run.generation, run.epicChunks), store.readPartitions(run.generation, run.partitions)]);
          const byKey = new Map(figures.map((f) => [f.key, f]));
          const entries: EpicEntry[] = epics.map((e) => {
            const f = byKey.get(e.key);
            // Every entry is as fresh as the run's start: an event newer than that still wins over it.
            return { ...e, fAt: startedMs, pAt: startedMs, ...(f ? { progress: f.progress, doneWeeks: f.doneWeeks, unestimatedKeys: f.unestimatedKeys } : {}) };
          });
          const fieldName = await jira.fieldName();
          await store.publish({
            generation: run.generation,
            shards: 1,
            builtFrom: run.startedAt,
            finishedAt: clock.now().toISOString(),
            estimateKey: estimateKeyOf(estimate),
            jql: { epicTypeIds: meta.epicTypeIds, standardTypeIds: meta.standardTypeIds, fieldName },
            epics: entries.length,
            items: run.items,
          }, entries);
          await store.clearPendingBefore(run.startedAt).catch(() => undefined);
          run.phase = 'done';
          run.finishedAt = clock.now().toISOString();
          settled();
          await save(run);
          return 'done';
        }
        break;
      }
      run.step += 1;
      settled();
      await save(run);
      await deps.queue.push({ runId: run.runId, step: run.step });
      return 'continued';
    },
  };

  return {
    /** Start a run unless one is going; at most one start wins however many arrive together. */
    async start(by: string): Promise<ReconcileRun> {
      const current = await runs.get();
      if (current && runIsActive(current, clock.now().getTime())) return current;
      const runNumber = Number((current?.runId ?? 'r0').replace(/^r/, '')) + 1;
      const runId = `r${runNumber}`;
      const now = clock.now().toISOString();
      const run: ReconcileRun = {
        runId,
        generation: `${runId}-${clock.now().getTime().toString(36)}`,
        startedAt: now,
        updatedAt: now,
        startedBy: by,
        phase: 'epics',
        step: 0,
        epicChunks: 0,
        epics: 0,
        partitions: 0,
        partitionsDone: [],
        items: 0,
        requests: 0,
      };
      if (!(await runs.claimStart(current?.runId ?? null, runId))) {
        // Another start won the same run number a moment ago: that run is this one, perhaps not saved yet.
        const winner = await runs.get();
        return winner && winner.runId === runId ? winner : run;
      }
      await runs.save(run);
      await deps.queue.push({ runId, step: 0 });
      return run;
    },

    /** The run and the rollup in use, as the admin page shows them. */
    async status(): Promise<ReconcileStatus> {
      const [run, head] = await Promise.all([runs.get(), store.head()]);
      return statusOf(run, head, clock.now().getTime());
    },

    /**
     * One step of a run. A message for another run or an old step is a duplicate delivery: it is dropped.
     * Progress is saved as it goes, so a redelivered step resumes where the failed one stopped.
     */
    async step(message: { runId: string; step: number }): Promise<'dropped' | 'continued' | 'done' | 'waiting'> {
      const run = await runs.get();
      if (!run || run.runId !== message.runId || run.step !== message.step || run.phase === 'done' || run.phase === 'failed') return 'dropped';
      // Waiting for Jira's quota: the queue cannot hold a message as long as an hour, so it comes back early.
      const waitingUntil = run.waitingUntil === undefined ? undefined : Date.parse(run.waitingUntil);
      if (waitingUntil !== undefined && clock.now().getTime() < waitingUntil) return waitUntil(run, waitingUntil);
      delete run.waitingUntil;
      let counted = jira.requests();
      let workedUntil = clock.now().getTime();
      const settled = () => {
        const now = jira.requests();
        run.requests += now - counted;
        counted = now;
        const at = clock.now().getTime();
        run.workMs = (run.workMs ?? 0) + (at - workedUntil);
        workedUntil = at;
        const quota = jira.quota?.();
        if (quota) run.quota = quota;
      };
      try {
        return await steps.work(run, settled);
      } catch (error) {
        if (!(error instanceof RateLimitedError)) throw error;
        // Jira's quota is spent for now: everything read so far is saved; the run comes back when Jira says.
        settled();
        return waitUntil(run, error.retryAt);
      }
    },

    /** The consumer gave up on a step: the run stops and the previous rollup stays in use. */
    async fail(message: { runId: string }, reason: string): Promise<void> {
      const run = await runs.get();
      if (!run || run.runId !== message.runId || run.phase === 'done') return;
      run.phase = 'failed';
      run.error = reason;
      await save(run);
      await store.dropGeneration(run.generation).catch(() => undefined);
    },
  };

  async function figuresOfBatch(keys: string[], today: string, meta: SiteMeta, estimate: EffectiveEstimate): Promise<Map<string, EpicFigures>> {
    const children = await jira.childrenOf(meta, keys, estimate);
    if (children !== null) return figuresOf(keys, children, today);
    // An epic of the batch was deleted since it was listed: read the others one by one (rare).
    const out = new Map<string, EpicFigures>();
    for (const key of keys) {
      const one = await jira.childrenOf(meta, [key], estimate);
      for (const [k, f] of figuresOf([key], one ?? [], today)) out.set(k, f);
    }
    return out;
  }
}

export type ReconcileService = ReturnType<typeof reconcileService>;

/** A run and the rollup in use, as the admin page shows them. */
export function statusOf(run: ReconcileRun | undefined, head: RollupHead | undefined, nowMs: number): ReconcileStatus {
  const progress = runProgress(run);
  return {
    run: run
      ? {
          runId: run.runId,
          phase: run.phase,
          startedAt: run.startedAt,
          updatedAt: run.updatedAt,
          startedBy: run.startedBy,
          epics: run.epics,
          items: run.items,
          progress,
          active: runIsActive(run, nowMs),
          ...(run.waitingUntil && Date.parse(run.waitingUntil) > nowMs ? { waitingUntil: run.waitingUntil } : {}),
          ...finishEstimate(run, nowMs),
          ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
          ...(run.error ? { error: run.error } : {}),
        }
      : null,
    current: head ? { reconciledAt: head.builtFrom, finishedAt: head.finishedAt, epics: head.epics, items: head.items } : null,
  };
}

/** The estimate of a going run's end, from its pace and Jira's quota (none before the first batch). */
function finishEstimate(run: ReconcileRun, nowMs: number): { estimatedFinishAt?: string } {
  if (!runIsActive(run, nowMs)) return {};
  const at = estimateFinish(
    {
      phase: run.phase,
      partitions: run.partitions,
      partitionsDone: run.partitionsDone,
      childPoints: run.childPoints ?? 0,
      points: runPoints(run),
      workMs: run.workMs ?? 0,
      ...(run.waitingUntil ? { waitingUntil: Date.parse(run.waitingUntil) } : {}),
      ...(run.quota ? { quota: run.quota } : {}),
    },
    nowMs,
  );
  return at === undefined ? {} : { estimatedFinishAt: new Date(at).toISOString() };
}
