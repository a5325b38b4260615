import type { Destination, EpicEntry } from '../domain/types';
import { destinationsService } from './destinations-service';
import type { RollupHead } from './rollup-ports';
import { destination, epicEntry, fixedClock, inMemoryAppJira, inMemoryDestinationStore, inMemoryRollupReader } from '../../test/helpers/in-memory-ports';

const NOW = '2026-03-02T09:00:00.000Z';
const HEAD: RollupHead = {
  generation: 'g1',
  shards: 1,
  builtFrom: NOW,
  finishedAt: NOW,
  estimateKey: 'count',
  jql: { epicTypeIds: ['10000'], standardTypeIds: ['10001'], fieldName: 'Business destination' },
  epics: 0,
  items: 0,
};

function setup(stored: Destination[], { jiraEpics = [] as EpicEntry[], storedEpics = undefined as EpicEntry[] | undefined } = {}) {
  const store = inMemoryDestinationStore(stored);
  const jira = inMemoryAppJira({ epics: jiraEpics, names: { 'owner-1': 'Olga Owner' } });
  const service = destinationsService({ store, jira, clock: fixedClock(NOW), rollups: inMemoryRollupReader(storedEpics, HEAD) });
  return { store, jira, service };
}

const ranks = async (store: ReturnType<typeof inMemoryDestinationStore>) => (await store.list()).map((d) => [d.id, d.priority, d.status, d.version]);

describe('destinationsService', () => {
  it('ranks a new destination right after the live ones, ahead of the archived', async () => {
    const { service, store } = setup([destination('D-1', 1), destination('D-2', 2, { status: 'archived', archivedFrom: 'active' })]);
    const created = await service.create('admin-2', { name: 'Open a Lisbon office', businessOwner: 'owner-1', targetDate: '2026-09-30' });
    expect(created.ok && created.value.destination).toMatchObject({ id: 'D-3', priority: 2, status: 'active', version: 1, createdBy: 'admin-2', businessOwnerName: 'Olga Owner' });
    expect(await ranks(store)).toEqual([['D-1', 1, 'active', 1], ['D-3', 2, 'active', 1], ['D-2', 3, 'archived', 2]]);
  });

  it('warns, but saves, a target date already past', async () => {
    const { service } = setup([]);
    const created = await service.create('admin-1', { name: 'Late entry', businessOwner: 'owner-1', targetDate: '2026-01-15' });
    expect(created.ok && created.value.warnings.map((w) => w.code)).toEqual(['PAST_TARGET_DATE']);
  });

  it('refuses a name a live destination already has and stores nothing', async () => {
    const { service, store } = setup([destination('D-1', 1)]);
    const created = await service.create('admin-1', { name: '  destination d-1 ', businessOwner: 'owner-1', targetDate: '2026-09-30' });
    expect(created.ok ? null : created.error).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
    expect(await store.list()).toHaveLength(1);
  });

  it('refuses to delete a destination while a stored epic points at it, asking Jira nothing, and lifts its deletion mark', async () => {
    const deleted = { ...epicEntry('ALPHA-9', 'D-1'), deleted: true as const };
    const { service, store, jira } = setup([destination('D-1', 1), destination('D-2', 2)], { storedEpics: [epicEntry('ALPHA-1', 'D-1'), deleted, epicEntry('BETA-1', 'D-2')] });
    const removed = await service.remove('admin-1', 'D-1', 1);
    expect(removed).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'Destination "Destination D-1" cannot be deleted: 1 epic points to it. Move that epic to another destination, or archive it instead.' },
    });
    expect(await store.get('D-1')).toBeDefined();
    expect(store.marks.size).toBe(0);
    // No search by the app field: Atlassian's parser refuses `"Field".Id`, so a real site would answer 400.
    expect(jira.calls.filter((c) => c !== 'siteMeta')).toEqual([]);
  });

  it('refuses to delete before the first calculation, when no stored rollup can say which epics point at it', async () => {
    const { service, store } = setup([destination('D-1', 1)]);
    const removed = await service.remove('admin-1', 'D-1', 1);
    expect(removed.ok ? null : removed.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('first calculation') });
    expect(await store.get('D-1')).toBeDefined();
    expect(store.marks.size).toBe(0);
  });

  it('deletes a destination no epic points at and closes the gap in the ranks', async () => {
    const { service, store } = setup([destination('D-1', 1), destination('D-2', 2), destination('D-3', 3)], { storedEpics: [epicEntry('ALPHA-1', 'D-3')] });
    expect(await service.remove('admin-1', 'D-2', 1)).toEqual({ ok: true, value: { id: 'D-2' } });
    expect(await ranks(store)).toEqual([['D-1', 1, 'active', 1], ['D-3', 2, 'active', 2]]);
  });

  it('refuses a delete based on a stale version without marking the destination', async () => {
    const { service, store } = setup([destination('D-1', 1, { version: 4 })]);
    const removed = await service.remove('admin-1', 'D-1', 3);
    expect(removed.ok ? null : removed.error.code).toBe('CONFLICT');
    expect(store.marks.size).toBe(0);
  });

  it('archives a destination behind the live ones and restores it after them, with the status it had', async () => {
    const { service, store } = setup([destination('D-1', 1, { status: 'draft' }), destination('D-2', 2), destination('D-3', 3)]);
    const archived = await service.archive('admin-1', 'D-1', 1);
    // Archived and moved down: one version for each change (the ranking bumps it again).
    expect(archived.ok && archived.value).toMatchObject({ id: 'D-1', status: 'archived', archivedFrom: 'draft', priority: 3, version: 3 });
    expect(await ranks(store)).toEqual([['D-2', 1, 'active', 2], ['D-3', 2, 'active', 2], ['D-1', 3, 'archived', 3]]);
    expect((await service.list(false)).map((d) => d.id)).toEqual(['D-2', 'D-3']);

    const restored = await service.restore('admin-1', 'D-1', 3);
    expect(restored.ok && restored.value.destination).toMatchObject({ id: 'D-1', status: 'draft', priority: 3, version: 4 });
    expect(restored.ok && 'archivedFrom' in restored.value.destination).toBe(false);
    expect((await service.list(false)).map((d) => d.id)).toEqual(['D-2', 'D-3', 'D-1']);
  });

  it('refuses to archive from a stale version', async () => {
    const { service, store } = setup([destination('D-1', 1, { version: 2 })]);
    const archived = await service.archive('admin-1', 'D-1', 1);
    expect(archived.ok ? null : archived.error.code).toBe('CONFLICT');
    expect((await store.get('D-1'))?.status).toBe('active');
  });

  it('answers NOT_FOUND for a destination that does not exist', async () => {
    const { service } = setup([]);
    const found = await service.get('D-9');
    expect(found.ok ? null : found.error).toEqual({ code: 'NOT_FOUND', message: 'Destination D-9 does not exist (it may have been deleted). Reload the list.' });
  });

  it('counts the live stored epics of each destination, leaving out deleted ones', async () => {
    const deleted: EpicEntry = { ...epicEntry('ALPHA-3', 'D-1'), deleted: true };
    const { service, jira } = setup([destination('D-1', 1), destination('D-2', 2)], {
      storedEpics: [epicEntry('ALPHA-1', 'D-1'), epicEntry('ALPHA-2', 'D-1'), deleted, epicEntry('BETA-1', null)],
    });
    expect((await service.list(false, true)).map((d) => [d.id, d.epicCount])).toEqual([['D-1', 2], ['D-2', 0]]);
    expect(jira.calls).toEqual(['userNames']);
  });

  it('leaves the epic counts out before the first calculation', async () => {
    const { service } = setup([destination('D-1', 1)]);
    expect((await service.list(false, true))[0]).not.toHaveProperty('epicCount');
  });

  it('refuses an edit from a stale version and keeps the stored one', async () => {
    const { service, store } = setup([destination('D-1', 1, { version: 3 })]);
    const updated = await service.update('admin-1', 'D-1', 2, { name: 'Renamed', businessOwner: 'owner-1', targetDate: '2026-12-31' });
    expect(updated.ok ? null : updated.error.code).toBe('CONFLICT');
    expect((await store.get('D-1'))?.name).toBe('Destination D-1');
  });

  it('hands a rename to the field rewrite, and only a rename (not a stale one, not another edit)', async () => {
    const renamed: string[] = [];
    const store = inMemoryDestinationStore([destination('D-1', 1, { version: 1 })]);
    const service = destinationsService({ store, jira: inMemoryAppJira({ names: {} }), clock: fixedClock(NOW), rollups: inMemoryRollupReader(undefined, HEAD), onRenamed: async (id) => void renamed.push(id) });
    const draft = { name: 'Destination D-1', businessOwner: 'owner-1', targetDate: '2027-01-31' };
    expect((await service.update('admin-1', 'D-1', 1, draft)).ok).toBe(true);
    expect(renamed).toEqual([]);
    expect((await service.update('admin-1', 'D-1', 1, { ...draft, name: 'Stale rename' })).ok).toBe(false);
    expect(renamed).toEqual([]);
    expect((await service.update('admin-1', 'D-1', 2, { ...draft, name: 'Renamed' })).ok).toBe(true);
    expect(renamed).toEqual(['D-1']);
  });
});
