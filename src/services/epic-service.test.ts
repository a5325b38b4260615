import { DEFAULT_SETTINGS, type Destination, type EpicEntry } from '../domain/types';
import { epicService } from './epic-service';
import type { IssueSummary } from './ports';
import { destination, epicEntry, fixedClock, inMemoryAppJira, inMemoryDestinationStore, inMemoryRollupReader, inMemorySettingsStore, inMemoryUserJira, inMemoryViewerCache } from '../../test/helpers/in-memory-ports';
import type { RollupHead } from './rollup-ports';

const NOW = '2026-03-02T09:00:00.000Z';

const issue = (key: string, hierarchyLevel: number, destinationValue: unknown = null): IssueSummary => ({
  id: `1${key.replace(/\D/g, '')}`,
  key,
  summary: `Issue ${key}`,
  projectId: '100',
  projectKey: key.split('-')[0] as string,
  hierarchyLevel,
  statusCategory: 'indeterminate',
  destinationValue,
});

/** The stored rollups the panel reads (views read stored figures only). */
const STORED_HEAD: RollupHead = {
  generation: 'g1', shards: 1, builtFrom: NOW, finishedAt: NOW, estimateKey: 'points:customfield_10016',
  jql: { epicTypeIds: ['10000'], standardTypeIds: ['10001'], fieldName: 'Business destination' }, epics: 2, items: 0,
};

function setup({ destinations = [destination('D-1', 1), destination('D-2', 2), destination('D-3', 3, { status: 'draft' })] as Destination[], projectKeys = [] as string[] } = {}) {
  const jira = inMemoryAppJira({ epics: [epicEntry('ALPHA-1', 'D-1'), epicEntry('ALPHA-2', 'D-2')] });
  const userJira = inMemoryUserJira({
    editors: ['editor-1'],
    visible: { 'editor-1': ['ALPHA'] },
    issues: [issue('ALPHA-1', 1, { id: 'D-1', name: 'Destination D-1' }), issue('ALPHA-5', 0), issue('BETA-1', 1)],
  });
  const store = inMemoryDestinationStore(destinations);
  const changed: string[] = [];
  const service = epicService({
    jira,
    userJira,
    destinations: store,
    rollups: inMemoryRollupReader([epicEntry('ALPHA-1', 'D-1'), epicEntry('ALPHA-2', 'D-2')], STORED_HEAD),
    settings: inMemorySettingsStore({ ...DEFAULT_SETTINGS, projectKeys }),
    clock: fixedClock(NOW),
    onEpicChanged: async (id) => void changed.push(id),
  });
  return { jira, store, service, changed };
}

const errorOf = (result: { ok: boolean; error?: unknown }) => (result.ok ? null : result.error);

describe('epicService.setDestination', () => {
  it('moves an epic to an active destination, writes the field once and reads it back', async () => {
    const { service, jira, changed } = setup();
    const moved = await service.setDestination('editor-1', 'ALPHA-1', 'D-2');
    expect(moved.ok && moved.value.destination?.id).toBe('D-2');
    expect(moved.ok && moved.value.siblings.map((s) => s.key)).toEqual(['ALPHA-2']);
    expect(jira.writes).toEqual([['11', { id: 'D-2', name: 'Destination D-2' }]]);
    expect(changed).toEqual(['11']);
  });

  it('refuses an issue that is not an epic', async () => {
    const { service, jira } = setup();
    expect(errorOf(await service.setDestination('editor-1', 'ALPHA-5', 'D-2'))).toEqual({
      code: 'INVALID_INPUT', message: 'ALPHA-5 is not an epic: only epics serve a destination.', field: 'issueKey',
    });
    expect(jira.writes).toEqual([]);
  });

  it('refuses a person who may not edit the epic', async () => {
    const { service, jira } = setup();
    expect(errorOf(await service.setDestination('viewer-2', 'ALPHA-1', 'D-2'))).toEqual({ code: 'FORBIDDEN', message: 'You do not have permission to edit ALPHA-1.' });
    expect(jira.writes).toEqual([]);
  });

  it('refuses an epic of a project outside the app\'s scope', async () => {
    const { service } = setup({ projectKeys: ['ALPHA'] });
    expect(errorOf(await service.setDestination('editor-1', 'BETA-1', 'D-2'))).toMatchObject({ code: 'INVALID_INPUT', field: 'issueKey' });
  });

  it('refuses a destination that is not active', async () => {
    const { service, jira } = setup();
    expect(errorOf(await service.setDestination('editor-1', 'ALPHA-1', 'D-3'))).toEqual({
      code: 'INVALID_INPUT', message: '"Destination D-3" is draft: only active destinations can be chosen.', field: 'destinationId',
    });
    expect(jira.writes).toEqual([]);
  });

  it('refuses a destination being deleted', async () => {
    const { service, store, jira } = setup();
    await store.markDeletion(destination('D-2', 2), Date.parse(NOW) - 1000);
    expect(errorOf(await service.setDestination('editor-1', 'ALPHA-1', 'D-2'))).toEqual({
      code: 'CONFLICT', message: 'Destination "Destination D-2" is being deleted. Choose another destination.', field: 'destinationId',
    });
    expect(jira.writes).toEqual([]);
  });

  it('puts the previous destination back when a delete starts while the epic moves', async () => {
    const { store, jira, changed } = setup();
    const moved = epicService({
      jira,
      userJira: inMemoryUserJira({ editors: ['editor-1'], issues: [issue('ALPHA-1', 1, { id: 'D-1', name: 'Destination D-1' })] }),
      destinations: store,
      rollups: inMemoryRollupReader(undefined),
      settings: inMemorySettingsStore(),
      clock: fixedClock(NOW),
      onEpicChanged: async (id) => {
        changed.push(id);
        if (changed.length === 1) await store.markDeletion(destination('D-2', 2), Date.parse(NOW));
      },
    });
    expect(errorOf(await moved.setDestination('editor-1', 'ALPHA-1', 'D-2'))).toEqual({
      code: 'CONFLICT',
      message: 'Destination "Destination D-2" was deleted while ALPHA-1 was being moved to it, so ALPHA-1 keeps its previous destination. Choose another.',
      field: 'destinationId',
    });
    expect(jira.writes).toEqual([['11', { id: 'D-2', name: 'Destination D-2' }], ['11', { id: 'D-1', name: 'Destination D-1' }]]);
    expect(changed).toEqual(['11', '11']);
  });

  it('answers NOT_FOUND for an issue the person cannot see', async () => {
    const { service } = setup();
    await expect(service.setDestination('editor-1', 'ALPHA-404', null)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('epicService.alignment', () => {
  it('describes an issue below epic level as serving no destination', async () => {
    const { service } = setup();
    const seen = await service.alignment('editor-1', 'ALPHA-5');
    expect(seen).toMatchObject({ epic: { key: 'ALPHA-5', isEpic: false }, destination: null, share: null, siblings: [], canEdit: false });
  });
});

describe('epicService.alignment from what the viewer was told a minute ago', () => {
  const kept = issue('ALPHA-1', 1, { id: 'D-1', name: 'Destination D-1' });

  /** The viewer read ALPHA-1 at time 1; the store read it at time 5 as `stored` says; Jira now says `now`. */
  async function viewAfter(stored: EpicEntry, now: IssueSummary[]) {
    const viewers = inMemoryViewerCache();
    await viewers.rememberIssueAccess('editor-1', 'ALPHA-1', { issue: kept, canEdit: true, readAt: 1 });
    const reads: string[] = [];
    const base = inMemoryUserJira({ editors: ['editor-1'], visible: { 'editor-1': ['ALPHA'] }, issues: now });
    const service = epicService({
      jira: inMemoryAppJira({ epics: [stored] }),
      userJira: { ...base, issueAsUser: async (meta, key) => (reads.push(key), base.issueAsUser(meta, key)) },
      destinations: inMemoryDestinationStore([destination('D-1', 1)]),
      rollups: inMemoryRollupReader([stored], STORED_HEAD),
      settings: inMemorySettingsStore(),
      clock: fixedClock(NOW),
      viewers,
    });
    return { answer: service.alignment('editor-1', 'ALPHA-1'), reads };
  }

  it('shows the stored fields the app read after the viewer, without asking Jira', async () => {
    const { answer, reads } = await viewAfter({ ...epicEntry('ALPHA-1', 'D-1', 5), summary: 'Renamed since' }, []);
    expect((await answer).epic.summary).toBe('Renamed since');
    expect(reads).toEqual([]);
  });

  it('asks Jira again, as the viewer, when the store read the epic after them in another project', async () => {
    const { answer, reads } = await viewAfter({ ...epicEntry('ALPHA-1', 'D-1', 5), projectKey: 'SEC' }, []);
    await expect(answer).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(reads).toEqual(['ALPHA-1']);
  });

  it('keeps the viewer\'s own read when the store read the epic before them', async () => {
    const { answer, reads } = await viewAfter({ ...epicEntry('ALPHA-1', 'D-1', 0.5), summary: 'Older name' }, []);
    expect((await answer).epic.summary).toBe('Issue ALPHA-1');
    expect(reads).toEqual([]);
  });
});
