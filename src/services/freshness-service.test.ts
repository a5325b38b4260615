import { DEFAULT_SETTINGS, type ChildFacts, type RollupDelta } from '../domain/types';
import { freshnessService } from './freshness-service';
import type { ReconcileRun } from './rollup-ports';
import { epicEntry, fixedClock, inMemoryAppJira, inMemoryDeltaLog, inMemoryRunStore, inMemorySettingsStore } from '../../test/helpers/in-memory-ports';

const NOW = '2026-03-02T09:00:00.000Z';

const child = (id: string, key: string, parentKey: string | null, statusCategory: ChildFacts['statusCategory'] = 'indeterminate'): ChildFacts => ({
  id,
  key,
  projectKey: 'ALPHA',
  statusCategory,
  estimate: 5,
  resolved: null,
  parentKey,
});

function setup(children: ChildFacts[], run?: ReconcileRun) {
  const jira = inMemoryAppJira({ epics: [epicEntry('ALPHA-1', 'D-1'), epicEntry('ALPHA-3', null)], children });
  const store = inMemoryDeltaLog();
  const service = freshnessService({ jira, store, reader: { loadWithMarks: async () => undefined, placesOf: async () => undefined }, runs: inMemoryRunStore(run), settings: inMemorySettingsStore(DEFAULT_SETTINGS), clock: fixedClock(NOW) });
  return { jira, store, service };
}

/** What each delta is about, without its figures. */
const summary = (deltas: RollupDelta[]) => deltas.map((d) => `${d.t}:${d.key}${d.t === 'orphan' ? `:${d.projectKey}` : ''}`);

describe('freshnessService.handle', () => {
  it('recomputes the epic a child left and the one it joined, and undoes any orphan entry', async () => {
    const { service, store } = setup([child('501', 'ALPHA-51', 'ALPHA-3'), child('502', 'ALPHA-52', 'ALPHA-3')]);
    const handled = await service.handle({ issue: { id: '501', key: 'ALPHA-51' }, changelog: { items: [{ field: 'IssueParentAssociation', fromString: 'ALPHA-1' }] } });
    expect(handled).toEqual({ deltas: 3 });
    expect(summary(store.deltas)).toEqual(['orphan:ALPHA-51:null', 'progress:ALPHA-1', 'progress:ALPHA-3']);
    const progress = store.deltas.flatMap((d) => (d.t === 'progress' ? [[d.key, d.progress.count.total]] : []));
    expect(progress).toEqual([['ALPHA-1', 0], ['ALPHA-3', 2]]);
  });

  it('records an in-flight issue with no epic as off-route', async () => {
    const { service, store } = setup([child('600', 'ALPHA-60', null)]);
    await service.handle({ issue: { id: '600', key: 'ALPHA-60' } });
    expect(store.deltas).toEqual([{ t: 'orphan', at: 1001, id: '600', key: 'ALPHA-60', projectKey: 'ALPHA', estimate: 5 }]);
  });

  it('writes only the epic\'s progress for a child that stayed under its epic', async () => {
    const { service, store } = setup([child('501', 'ALPHA-51', 'ALPHA-1', 'done')]);
    await service.handle({ issue: { id: '501', key: 'ALPHA-51' } });
    expect(summary(store.deltas)).toEqual(['progress:ALPHA-1']);
  });

  it('turns an issue gone from Jira into tombstones and recomputes the epic it was under', async () => {
    const { service, store } = setup([]);
    await service.handle({ issue: { id: '777', key: 'ALPHA-77', fields: { parent: { key: 'ALPHA-1' } } } });
    expect(summary(store.deltas)).toEqual(['deleted:ALPHA-77', 'orphan:ALPHA-77:null', 'progress:ALPHA-1']);
  });

  it('recomputes only the epics that still exist when one of them was deleted', async () => {
    const { service, store } = setup([child('501', 'ALPHA-51', 'ALPHA-1')]);
    await service.handle({ issue: { id: '501', key: 'ALPHA-51' }, changelog: { items: [{ fieldId: 'parent', fromString: 'ALPHA-9' }] } });
    expect(summary(store.deltas)).toEqual(['orphan:ALPHA-51:null', 'progress:ALPHA-1']);
  });

  it('ignores an event without a numeric issue id, asking Jira nothing', async () => {
    const { service, store, jira } = setup([]);
    expect(await service.handle({ issue: { id: 'ALPHA-1' } })).toEqual({ deltas: 0 });
    expect(jira.calls).toEqual([]);
    expect(store.deltas).toEqual([]);
  });

  it('clears the issue\'s pending mark once its facts are written', async () => {
    const { service, store } = setup([child('600', 'ALPHA-60', null)]);
    await service.markPending('600');
    expect(store.pending.get('600')).toBe(NOW);
    await service.handle({ issue: { id: '600' } });
    expect(store.pending.size).toBe(0);
  });

  it('keeps the deltas a running reconcile still needs when it folds them', async () => {
    const startedAt = '2026-03-02T08:55:00.000Z';
    const going: ReconcileRun = {
      runId: 'r1', generation: 'g', startedAt, updatedAt: startedAt, startedBy: 'admin-1', phase: 'children', step: 0,
      epicChunks: 1, epics: 2, partitions: 1, partitionsDone: [], items: 0, requests: 0,
    };
    const running = setup([], going);
    await running.service.handle({ issue: { id: '1' } });
    expect(running.store.compactions).toEqual([Date.parse(startedAt)]);

    const idle = setup([]);
    await idle.service.handle({ issue: { id: '1' } });
    expect(idle.store.compactions).toEqual([undefined]);
  });
});

describe('freshnessService.epicChanged', () => {
  it('stores the epic\'s fields as Jira reads them back', async () => {
    const { service, store } = setup([]);
    await service.epicChanged('11');
    expect(store.deltas).toEqual([{ t: 'fields', at: 1001, id: '11', key: 'ALPHA-1', summary: 'Epic ALPHA-1', projectKey: 'ALPHA', statusCategory: 'indeterminate', destinationId: 'D-1' }]);
  });

  it('marks the epic pending when Jira cannot be read', async () => {
    const { service, store, jira } = setup([]);
    jira.issue = async () => {
      throw new Error('Jira is unavailable');
    };
    await service.epicChanged('11');
    expect(store.deltas).toEqual([]);
    expect([...store.pending]).toEqual([['11', NOW]]);
  });
});
