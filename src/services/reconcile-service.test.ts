import { STALLED_RUN_MS } from '../domain/reconcile-run';
import { DEFAULT_SETTINGS, type ChildFacts } from '../domain/types';
import { reconcileService, type ReconcileOptions } from './reconcile-service';
import type { ReconcileRun } from './rollup-ports';
import { epicEntry, fixedClock, inMemoryAppJira, inMemoryGenerations, inMemoryQueue, inMemoryRunStore, inMemorySettingsStore } from '../../test/helpers/in-memory-ports';

const NOW = '2026-03-02T09:00:00.000Z';
const minutesAgo = (minutes: number) => new Date(Date.parse(NOW) - minutes * 60_000).toISOString();

function run(extra: Partial<ReconcileRun>): ReconcileRun {
  return {
    runId: 'r1',
    generation: 'r1-g',
    startedAt: minutesAgo(30),
    updatedAt: minutesAgo(1),
    startedBy: 'admin-1',
    phase: 'children',
    step: 0,
    epicChunks: 1,
    epics: 3,
    partitions: 2,
    partitionsDone: [],
    items: 0,
    requests: 0,
    ...extra,
  };
}

const child = (key: string, parentKey: string, statusCategory: ChildFacts['statusCategory'] = 'done'): ChildFacts => ({
  id: key.replace(/\D/g, ''),
  key,
  projectKey: 'ALPHA',
  statusCategory,
  estimate: 3,
  resolved: statusCategory === 'done' ? '2026-02-20' : null,
  parentKey,
});

function setup(existing?: ReconcileRun, options: ReconcileOptions = { partitionSize: 2, concurrency: 1 }) {
  const jira = inMemoryAppJira({
    epics: [epicEntry('ALPHA-1', 'D-1'), epicEntry('ALPHA-2', null), epicEntry('ALPHA-3', 'D-2')],
    children: [child('ALPHA-11', 'ALPHA-1'), child('ALPHA-12', 'ALPHA-1', 'indeterminate'), child('ALPHA-31', 'ALPHA-3')],
    orphans: [{ id: '99', key: 'ALPHA-99', projectKey: 'ALPHA', statusCategory: 'indeterminate', estimate: null, resolved: null, epicKey: null }],
  });
  const generations = inMemoryGenerations();
  const runs = inMemoryRunStore(existing);
  const queue = inMemoryQueue();
  const clock = fixedClock(NOW);
  const service = reconcileService({ jira, store: generations.store, runs, queue, settings: inMemorySettingsStore(DEFAULT_SETTINGS), clock, options });
  return { jira, generations, runs, queue, clock, service };
}

describe('reconcileService.start', () => {
  it('joins the run that is going instead of starting another', async () => {
    const going = run({ updatedAt: minutesAgo(5) });
    const { service, runs, queue } = setup(going);
    expect(await service.start('admin-2')).toEqual(going);
    expect(runs.claims).toEqual([]);
    expect(queue.pushed).toEqual([]);
  });

  it('replaces a run not heard from for longer than the stall limit', async () => {
    const { service, runs, queue } = setup(run({ updatedAt: new Date(Date.parse(NOW) - STALLED_RUN_MS).toISOString() }));
    const started = await service.start('admin-2');
    expect(started).toMatchObject({ runId: 'r2', phase: 'epics', step: 0, startedBy: 'admin-2', startedAt: NOW });
    expect(await runs.get()).toEqual(started);
    expect(queue.pushed).toEqual([{ runId: 'r2', step: 0 }]);
  });

  it('starts a new run after a finished one', async () => {
    const { service, queue } = setup(run({ phase: 'done', finishedAt: minutesAgo(1) }));
    expect((await service.start('admin-1')).runId).toBe('r2');
    expect(queue.pushed).toEqual([{ runId: 'r2', step: 0 }]);
  });

  it('queues one run however many starts arrive together', async () => {
    const { service, runs, queue } = setup();
    const [a, b, c] = await Promise.all([service.start('admin-1'), service.start('admin-2'), service.start('admin-3')]);
    expect([a.runId, b.runId, c.runId]).toEqual(['r1', 'r1', 'r1']);
    expect(runs.claims).toEqual(['r1']);
    expect(queue.pushed).toEqual([{ runId: 'r1', step: 0 }]);
  });
});

describe('reconcileService.step', () => {
  it('builds a generation over several steps and switches the head only when it is complete', async () => {
    const { service, generations, queue, runs } = setup(undefined, { partitionSize: 2, concurrency: 1, maxPartitionsPerStep: 1 });
    await service.start('admin-1');
    expect(await service.step({ runId: 'r1', step: 0 })).toBe('continued');
    expect(generations.state.head).toBeUndefined();
    expect(queue.pushed.at(-1)).toEqual({ runId: 'r1', step: 1 });
    expect((await service.status()).run?.progress).toBeCloseTo(0.5);

    expect(await service.step({ runId: 'r1', step: 1 })).toBe('done');
    expect(generations.state.head).toMatchObject({ builtFrom: NOW, epics: 3, items: 4 });
    const published = new Map((generations.state.published ?? []).map((e) => [e.key, e.progress.count]));
    expect(published.get('ALPHA-1')).toMatchObject({ done: 1, indeterminate: 1, total: 2 });
    expect(published.get('ALPHA-2')).toMatchObject({ total: 0 });
    expect(published.get('ALPHA-3')).toMatchObject({ done: 1, total: 1 });
    expect(generations.state.pendingClearedBefore).toBe(NOW);
    expect(await runs.get()).toMatchObject({ phase: 'done', finishedAt: NOW, items: 4 });
  });

  it('drops a message for an old step or another run', async () => {
    const { service, jira } = setup(run({ step: 2 }));
    expect(await service.step({ runId: 'r1', step: 1 })).toBe('dropped');
    expect(await service.step({ runId: 'r0', step: 2 })).toBe('dropped');
    expect(jira.calls).toEqual([]);
  });

  it('resumes a redelivered step after the last batch it saved', async () => {
    const { service, jira, generations, runs } = setup();
    await service.start('admin-1');
    const asked: string[][] = [];
    const childrenOf = jira.childrenOf;
    let jiraDown = true;
    jira.childrenOf = async (meta, keys, estimate) => {
      asked.push(keys);
      if (jiraDown && keys.includes('ALPHA-3')) {
        jiraDown = false;
        throw new Error('Jira is unavailable');
      }
      return childrenOf(meta, keys, estimate);
    };
    await expect(service.step({ runId: 'r1', step: 0 })).rejects.toThrow('Jira is unavailable');
    expect(await runs.get()).toMatchObject({ phase: 'children', partitions: 2, partitionsDone: [0], step: 0 });

    expect(await service.step({ runId: 'r1', step: 0 })).toBe('done');
    expect(asked).toEqual([['ALPHA-1', 'ALPHA-2'], ['ALPHA-3'], ['ALPHA-3']]);
    expect(generations.state.head?.epics).toBe(3);
  });

  it('stops a run the consumer gave up on and drops its generation, keeping the rollup in use', async () => {
    const { service, generations } = setup(run({}));
    await service.fail({ runId: 'r1' }, 'Jira kept failing.');
    const status = await service.status();
    expect(status.run).toMatchObject({ phase: 'failed', error: 'Jira kept failing.', progress: 0 });
    expect(status.current).toBeNull();
    expect(generations.state.dropped).toEqual(['r1-g']);
  });
});
