import type { EpicEntry } from '../domain/types';
import type { PrecomputationApi, PrecomputationUpdate, StoredPrecomputation } from '../infra/jira/precomputation-api';
import { destination, epicEntry, inMemoryDestinationStore, inMemoryRollupReader, inMemorySettingsStore } from '../../test/helpers/in-memory-ports';
import type { RollupHead, RollupStore } from '../services/rollup-ports';
import { DEFAULT_SETTINGS } from '../domain/types';
import { MATCHES_NOTHING, MAX_RIGHT_HAND_VALUES, destinationWorkJql } from './destination-work-jql';
import { alignmentChanged, destinationWorkService, withPrecomputationRefresh } from './destination-work-service';

const HEAD: RollupHead = {
  generation: 'g1', shards: 1, builtFrom: '2026-03-02T09:00:00.000Z', finishedAt: '2026-03-02T09:00:00.000Z', estimateKey: 'count',
  jql: { epicTypeIds: ['10000'], standardTypeIds: ['10001'], fieldName: 'Business destination' }, epics: 0, items: 0,
};

const epic = (key: string, id: string, destinationId: string | null, projectKey = 'PAY'): EpicEntry => ({ ...epicEntry(key, destinationId), id, projectKey });
const destinations = [destination('D-1', 1), destination('D-2', 2, { status: 'archived', archivedFrom: 'active' })];
const facts = (epics: EpicEntry[], projectKeys: string[] = []) => ({ epics, destinations, standardTypeIds: ['10001'], projectKeys });

describe('destinationWorkJql', () => {
  it("names a destination's epics and their children by id, deleted and out-of-scope epics left out", () => {
    const epics = [epic('PAY-1', '101', 'D-1'), { ...epic('PAY-2', '102', 'D-1'), deleted: true as const }, epic('OPS-1', '201', 'D-1', 'OPS'), epic('PAY-3', '103', 'D-2')];
    expect(destinationWorkJql('D-1', 'in', facts(epics, ['PAY']))).toEqual({ jql: '(issue in ("101") OR parent in ("101"))' });
    expect(destinationWorkJql('D-1', 'not in', facts(epics, ['PAY']))).toEqual({ jql: 'NOT (issue in ("101") OR parent in ("101"))' });
    // An archived destination still has its epics (the portfolio lists it with them).
    expect(destinationWorkJql('D-2', 'in', facts(epics))).toEqual({ jql: '(issue in ("103") OR parent in ("103"))' });
    expect(destinationWorkJql('D-1', 'in', facts([]))).toEqual({ jql: `(${MATCHES_NOTHING})` });
  });

  it('gives off-route work: orphans and the children of epics not aligned to a live destination', () => {
    const epics = [epic('PAY-1', '101', 'D-1'), epic('PAY-2', '102', 'D-2'), epic('PAY-3', '103', null), epic('PAY-4', '104', 'D-404')];
    const expected = '(issuetype in ("10001") AND statusCategory = 4 AND ((parent is EMPTY AND project in ("PAY")) OR parent in ("102", "103", "104")))';
    expect(destinationWorkJql(undefined, 'in', facts(epics, ['PAY']))).toEqual({ jql: expected });
    expect(destinationWorkJql('none', 'in', facts(epics, ['PAY']))).toEqual({ jql: expected });
    expect(destinationWorkJql(undefined, 'in', facts([epic('PAY-1', '101', 'D-1')]))).toEqual({ jql: '(issuetype in ("10001") AND statusCategory = 4 AND parent is EMPTY)' });
  });

  it('stays within 1,000 right-hand side values: the shorter list, or an error rather than a wrong answer', () => {
    const many = (n: number, destinationId: string | null, from: number) => Array.from({ length: n }, (_, i) => epic(`PAY-${from + i}`, String(from + i), destinationId));
    const mostlyOff = [...many(10, 'D-1', 1), ...many(1200, null, 100)];
    expect(destinationWorkJql(undefined, 'in', facts(mostlyOff))).toEqual({ jql: expect.stringContaining('parent is EMPTY OR parent not in ("1", ') });
    expect(destinationWorkJql(undefined, 'in', facts([...many(1000, 'D-1', 1), ...many(1000, null, 5000)]))).toEqual({ error: expect.stringContaining(`Jira allows ${MAX_RIGHT_HAND_VALUES}`) });
    expect(destinationWorkJql('D-1', 'in', facts(many(501, 'D-1', 1)))).toEqual({ error: expect.stringContaining('(501 epics)') });
    expect(destinationWorkJql('D-1', 'in', facts(many(500, 'D-1', 1)))).toHaveProperty('jql');
  });

  it('answers an error for a destination that does not exist', () => {
    expect(destinationWorkJql('D-9', 'in', facts([]))).toEqual({ error: expect.stringContaining('There is no business destination "D-9"') });
  });
});

function fakeApi(stored: StoredPrecomputation[], missing: string[] = []): PrecomputationApi & { sent: PrecomputationUpdate[][] } {
  const sent: PrecomputationUpdate[][] = [];
  return { sent, list: async () => stored, update: async (updates) => (sent.push(updates), missing) };
}

describe('destinationWorkService', () => {
  const deps = (epics: EpicEntry[] | undefined, api: PrecomputationApi) => ({
    rollups: inMemoryRollupReader(epics, HEAD),
    destinations: inMemoryDestinationStore(destinations),
    settings: inMemorySettingsStore(DEFAULT_SETTINGS),
    api,
  });

  it('answers the clause Jira sends, and says so before the first calculation', async () => {
    const service = destinationWorkService(deps([epic('PAY-1', '101', 'D-1')], fakeApi([])));
    expect(await service.evaluate({ precomputationId: 'p', clause: { field: 'issue', operator: 'in', functionName: 'destinationWork', arguments: ['D-1'] } })).toEqual({ jql: '(issue in ("101") OR parent in ("101"))' });
    const before = destinationWorkService(deps(undefined, fakeApi([])));
    expect(await before.evaluate({ clause: { operator: 'in', arguments: [] } })).toEqual({ error: expect.stringContaining('first time') });
  });

  it('posts only the precomputations whose value changed, and only its own function', async () => {
    const current = '(issue in ("101") OR parent in ("101"))';
    const api = fakeApi([
      { id: 'a', functionName: 'destinationWork', operator: 'in', arguments: ['D-1'], value: current },
      { id: 'b', functionName: 'destinationWork', operator: 'not in', arguments: ['D-1'], value: 'NOT (project is EMPTY)' },
      { id: 'c', functionName: 'otherFunction', operator: 'in', arguments: [], value: 'project = X' },
      { id: 'd', functionName: 'destinationWork', operator: 'in', arguments: ['D-7'], value: 'project = X' },
    ]);
    const service = destinationWorkService(deps([epic('PAY-1', '101', 'D-1')], api));
    expect(await service.refresh()).toEqual({ updated: 2 });
    expect(api.sent).toEqual([[
      { id: 'b', value: `NOT ${current}` },
      { id: 'd', error: expect.stringContaining('There is no business destination "D-7"') },
    ]]);
    expect(await destinationWorkService(deps([epic('PAY-1', '101', 'D-1')], fakeApi([{ id: 'a', functionName: 'destinationWork', operator: 'in', arguments: ['D-1'], value: current }]))).refresh()).toEqual({ updated: 0 });
  });

  it('refreshes after a publish and after a compaction that changes an alignment, never failing the write itself', async () => {
    const calls: string[] = [];
    const logs: string[] = [];
    let fold: [Map<string, EpicEntry>, Map<string, EpicEntry>] = [new Map(), new Map()];
    const store: Pick<RollupStore, 'publish' | 'compact'> = {
      publish: async () => void calls.push('publish'),
      compact: async (_keep, onFolded) => {
        calls.push('compact');
        onFolded?.(...fold);
        return 1;
      },
    };
    const wrapped = withPrecomputationRefresh(store, async () => {
      calls.push('refresh');
      throw new Error('Jira is limiting requests right now.');
    }, (m) => logs.push(m));
    await wrapped.publish(HEAD, []);
    const before = epic('PAY-1', '101', 'D-1');
    // Progress only: the function means the same.
    fold = [new Map([['PAY-1', before]]), new Map([['PAY-1', { ...before, progress: { ...before.progress }, pAt: 9 }]])];
    await wrapped.compact();
    // A new destination: refreshed.
    fold = [new Map([['PAY-1', before]]), new Map([['PAY-1', { ...before, destinationId: 'D-2' }]])];
    await wrapped.compact();
    // Deleted: refreshed.
    fold = [new Map([['PAY-1', before]]), new Map([['PAY-1', { ...before, deleted: true }]])];
    await wrapped.compact();
    expect(calls).toEqual(['publish', 'refresh', 'compact', 'compact', 'refresh', 'compact', 'refresh']);
    expect(logs).toHaveLength(3);
  });

  it('alignmentChanged: a move to another project or a new epic changes it; a summary does not', () => {
    const e = epic('PAY-1', '101', 'D-1');
    expect(alignmentChanged(new Map([['PAY-1', e]]), new Map([['PAY-1', { ...e, summary: 'Renamed' }]]))).toBe(false);
    expect(alignmentChanged(new Map([['PAY-1', e]]), new Map([['PAY-1', { ...e, projectKey: 'SEC' }]]))).toBe(true);
    expect(alignmentChanged(new Map(), new Map([['PAY-1', e]]))).toBe(true);
  });
});
