import { effectiveEstimate, estimateKeyOf } from '../domain/estimate';
import { DEFAULT_SETTINGS, type EpicEntry } from '../domain/types';
import { portfolioService } from './portfolio-service';
import type { RollupHead } from './rollup-ports';
import {
  SITE_META, destination, epicEntry, fixedClock, inMemoryAppJira, inMemoryDestinationStore, inMemoryRollupReader, inMemorySettingsStore, inMemoryUserJira,
} from '../../test/helpers/in-memory-ports';

const NOW = '2026-03-02T09:00:00.000Z';
const CURRENT_ESTIMATE = estimateKeyOf(effectiveEstimate(DEFAULT_SETTINGS.estimateField, SITE_META));

const head = (estimateKey: string): RollupHead => ({
  generation: 'g1', shards: 1, builtFrom: NOW, finishedAt: NOW, estimateKey,
  jql: { epicTypeIds: ['10000'], standardTypeIds: ['10001'], fieldName: 'Business destination' }, epics: 3, items: 0,
});

function setup({ stored, estimateKey = CURRENT_ESTIMATE }: { stored?: EpicEntry[]; estimateKey?: string } = {}) {
  const jira = inMemoryAppJira({ epics: stored ?? [] });
  let starts = 0;
  const service = portfolioService({
    jira,
    userJira: inMemoryUserJira({ visible: { 'viewer-1': ['ALPHA'] } }),
    destinations: inMemoryDestinationStore([destination('D-1', 1)]),
    settings: inMemorySettingsStore(),
    rollups: inMemoryRollupReader(stored, head(estimateKey)),
    clock: fixedClock(NOW),
    startReconcile: async () => void (starts += 1),
    memo: {},
  });
  return { jira, service, starts: () => starts };
}

const STORED = [epicEntry('ALPHA-1', 'D-1'), epicEntry('BETA-1', 'D-1'), epicEntry('BETA-2', null)];

describe('portfolioService.get', () => {
  it('refuses a project the viewer may not browse exactly like one that does not exist', async () => {
    const { service } = setup({ stored: STORED });
    await expect(service.get('viewer-1', { projectKey: 'BETA' })).rejects.toMatchObject({
      code: 'NOT_FOUND', message: 'Project BETA does not exist or you do not have permission to see it.', field: 'projectKey',
    });
  });

  it('counts the epics of projects the viewer may not browse without naming them', async () => {
    const { service } = setup({ stored: STORED });
    const portfolio = await service.get('viewer-1', {});
    expect(portfolio.destinations.map((d) => [d.id, d.epics, d.visibleEpics, d.hiddenEpics])).toEqual([['D-1', 2, 1, 1]]);
    expect(await service.epics('viewer-1', { destinationId: 'D-1' })).toEqual({
      epics: [expect.objectContaining({ key: 'ALPHA-1', projectKey: 'ALPHA' })], total: 1, hiddenEpics: 1, nextOffset: null,
    });
    // The answer itself names no epic: the lists are their own calls.
    expect(JSON.stringify(portfolio)).not.toMatch(/ALPHA-1|BETA-/);
  });

  it('answers "calculating" before the first rollup, reads no issues from Jira, and starts the build', async () => {
    const { service, jira, starts } = setup();
    const portfolio = await service.get('viewer-1', {});
    expect(portfolio.freshness).toMatchObject({ source: 'calculating', recalculating: true, stale: true });
    expect(portfolio.destinations.map((d) => [d.id, d.epics])).toEqual([['D-1', 0]]);
    expect(jira.calls).not.toContain('epics');
    expect(starts()).toBe(1);
  });

  it('starts a recalculation when the stored figures are in another estimate measure', async () => {
    const { service, starts } = setup({ stored: STORED, estimateKey: 'originalEstimate' });
    expect((await service.get('viewer-1', {})).freshness?.recalculating).toBe(true);
    expect(starts()).toBe(1);
  });

  it('reads nothing from Jira but the site facts when the stored figures are current', async () => {
    const { service, jira, starts } = setup({ stored: STORED });
    const portfolio = await service.get('viewer-1', {});
    expect(portfolio.freshness?.recalculating).toBe(false);
    expect(starts()).toBe(0);
    expect(jira.calls).toEqual(['userNames']);
  });
});
