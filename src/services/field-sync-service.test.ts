import { FIELD_WRITE_BATCH, FIELD_WRITE_BATCHES_PER_STEP } from '../domain/field-sync';
import type { EpicEntry } from '../domain/types';
import { fieldSyncService, type FieldSyncMessage } from './field-sync-service';
import type { RollupHead } from './rollup-ports';
import { destination, epicEntry, inMemoryAppJira, inMemoryDestinationStore, inMemoryRollupReader } from '../../test/helpers/in-memory-ports';

const NOW = '2026-03-02T09:00:00.000Z';
const HEAD: RollupHead = {
  generation: 'g1', shards: 1, builtFrom: NOW, finishedAt: NOW, estimateKey: 'count',
  jql: { epicTypeIds: ['10000'], standardTypeIds: ['10001'], fieldName: 'Business destination' }, epics: 0, items: 0,
};
const PER_STEP = FIELD_WRITE_BATCH * FIELD_WRITE_BATCHES_PER_STEP;

function setup(epics: EpicEntry[]) {
  const jira = inMemoryAppJira();
  const requests: string[][] = [];
  const writeFields = jira.writeDestinationFields;
  jira.writeDestinationFields = async (meta, ids, value) => {
    requests.push(ids);
    await writeFields(meta, ids, value);
  };
  const pushed: FieldSyncMessage[] = [];
  const service = fieldSyncService({
    jira,
    destinations: inMemoryDestinationStore([destination('D-1', 1, { name: 'New name' }), destination('D-2', 2)]),
    rollups: inMemoryRollupReader(epics, HEAD),
    queue: { push: async (m) => void pushed.push(m) },
  });
  return { jira, requests, pushed, service };
}

/** `n` epics aligned to D-1 (ids 11..1n), a few on D-2, one unaligned and one deleted on D-1. */
function site(n: number): EpicEntry[] {
  const aligned = Array.from({ length: n }, (_, i) => epicEntry(`A-${i + 1}`, 'D-1'));
  return [...aligned, epicEntry('B-1', 'D-2'), epicEntry('B-2', null), { ...epicEntry('B-3', 'D-1'), deleted: true }];
}

describe('fieldSyncService', () => {
  it('queues the rewrite on a rename and writes nothing in the caller', async () => {
    const { service, pushed, jira } = setup(site(3));
    await service.renamed('D-1');
    expect(pushed).toEqual([{ destinationId: 'D-1' }]);
    expect(jira.writes).toEqual([]);
  });

  it('writes the current name to every live aligned epic from the stored rollups, in bulk, and nothing else', async () => {
    const { service, jira, requests } = setup(site(3));
    expect(await service.step({ destinationId: 'D-1' })).toBe('done');
    expect(requests).toEqual([['11', '12', '13']]);
    expect(jira.writes.every(([, v]) => v?.id === 'D-1' && v.name === 'New name')).toBe(true);
  });

  it('stays within a batch a request and a bounded number a message, resuming after the last id done', async () => {
    const total = PER_STEP + FIELD_WRITE_BATCH + 7;
    const { service, requests, pushed, jira } = setup(site(total));
    expect(await service.step({ destinationId: 'D-1' })).toBe('continued');
    expect(requests).toHaveLength(FIELD_WRITE_BATCHES_PER_STEP);
    expect(Math.max(...requests.map((r) => r.length))).toBe(FIELD_WRITE_BATCH);
    const next = pushed.at(-1) as FieldSyncMessage;
    expect(next.after).toBe(requests.at(-1)?.at(-1));
    expect(await service.step(next)).toBe('done');
    const written = jira.writes.map(([id]) => id);
    expect(written).toHaveLength(total);
    expect(new Set(written).size).toBe(total);
  });

  it('gives the same writes when a message is delivered twice (idempotent)', async () => {
    const { service, jira } = setup(site(5));
    await service.step({ destinationId: 'D-1' });
    const first = [...jira.writes];
    await service.step({ destinationId: 'D-1' });
    expect(jira.writes).toEqual([...first, ...first]);
  });

  it('throws on a failed request without handing anything on, so the redelivered message redoes the step', async () => {
    const { service, pushed, jira, requests } = setup(site(PER_STEP));
    const write = jira.writeDestinationFields;
    let fail = true;
    jira.writeDestinationFields = async (meta, ids, value) => {
      if (fail && requests.length === 3) throw new Error('Jira said 503');
      await write(meta, ids, value);
    };
    await expect(service.step({ destinationId: 'D-1' })).rejects.toThrow('503');
    expect(pushed).toEqual([]);
    fail = false;
    expect(await service.step({ destinationId: 'D-1' })).toBe('done');
  });

  it('does nothing for a destination deleted meanwhile, or before the first calculation', async () => {
    expect(await setup(site(2)).service.step({ destinationId: 'D-9' })).toBe('gone');
    const none = fieldSyncService({ jira: inMemoryAppJira(), destinations: inMemoryDestinationStore([destination('D-1', 1)]), rollups: inMemoryRollupReader(undefined), queue: { push: async () => undefined } });
    expect(await none.step({ destinationId: 'D-1' })).toBe('no-rollups');
  });
});
