import { effectiveEstimate, estimateKeyOf } from '../domain/estimate';
import { DEFAULT_SETTINGS, type Destination, type EpicEntry } from '../domain/types';
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

function setup({ stored, estimateKey = CURRENT_ESTIMATE, destinations = [destination('D-1', 1)] }: { stored?: EpicEntry[]; estimateKey?: string; destinations?: Destination[] } = {}) {
  const jira = inMemoryAppJira({ epics: stored ?? [] });
  let starts = 0;
  const service = portfolioService({
    jira,
    userJira: inMemoryUserJira({ visible: { 'viewer-1': ['ALPHA'] } }),
    destinations: inMemoryDestinationStore(destinations),
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

/** An epic with no destination and one child in progress: off-route work. */
function inFlight(key: string): EpicEntry {
  const entry = epicEntry(key, null);
  entry.progress.count.indeterminate = 1;
  entry.progress.count.total = 1;
  return entry;
}

describe('the portfolio, a slice at a time', () => {
  // 30 destinations by priority; D-1 has 60 epics the viewer may browse (ALPHA) and 3 they may not (BETA).
  const destinations = Array.from({ length: 30 }, (_, i) => destination(`D-${i + 1}`, i + 1));
  const stored = [
    ...Array.from({ length: 60 }, (_, i) => epicEntry(`ALPHA-${i + 1}`, 'D-1')),
    ...[1, 2, 3].map((i) => epicEntry(`BETA-${i}`, 'D-1')),
    ...['ALPHA-100', 'BETA-100'].map(inFlight),
  ];

  it('answers one page of rows by priority, with the counts of every row and no epic named', async () => {
    const { service } = setup({ stored, destinations });
    const first = await service.get('viewer-1', {});
    expect(first.destinations.map((d) => d.id)).toEqual(destinations.slice(0, 25).map((d) => d.id));
    expect([first.page, first.pageSize, first.totalDestinations]).toEqual([1, 25, 30]);
    expect(Object.values(first.summary.byVerdict).reduce((a, b) => a + b, 0)).toBe(30);
    expect(first.destinations[0]).toMatchObject({ epics: 63, visibleEpics: 60, hiddenEpics: 3 });
    expect(first.offRoute).toMatchObject({ visibleEpics: 1, hiddenEpics: 1 });
    expect(first.projects).toEqual(['ALPHA']);
    expect(Object.keys(first.jql.byDestination)).toHaveLength(25);
    expect(JSON.stringify(first)).not.toMatch(/ALPHA-|BETA-/);

    const second = await service.get('viewer-1', { page: 2 });
    expect(second.destinations.map((d) => d.id)).toEqual(destinations.slice(25).map((d) => d.id));
    expect(Object.keys(second.jql.byDestination)).toEqual(second.destinations.map((d) => d.id));
    // Past the end (rows went away since the page was shown): the last page.
    expect((await service.get('viewer-1', { page: 9 })).page).toBe(2);
  });

  it('pages through a destination\'s epics, only those the viewer may browse, and refuses one not in the portfolio', async () => {
    const { service } = setup({ stored, destinations });
    const first = await service.epics('viewer-1', { destinationId: 'D-1' });
    expect([first.epics.length, first.total, first.hiddenEpics, first.nextOffset]).toEqual([50, 60, 3, 50]);
    const rest = await service.epics('viewer-1', { destinationId: 'D-1', offset: 50 });
    expect([rest.epics.length, rest.nextOffset]).toEqual([10, null]);
    expect([...first.epics, ...rest.epics].every((e) => e.projectKey === 'ALPHA')).toBe(true);
    expect((await service.epics('viewer-1', { destinationId: 'D-2', limit: 5 })).epics).toEqual([]);
    await expect(service.epics('viewer-1', { destinationId: 'D-99' })).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'destinationId' });
    const offRoute = await service.offRoute('viewer-1', {});
    expect(offRoute).toMatchObject({ epics: [{ key: 'ALPHA-100' }], total: 1, hiddenEpics: 1, nextOffset: null });
  });

  it('links a verdict\'s destinations as one query, and exports every row', async () => {
    const { service } = setup({ stored, destinations });
    const { byVerdict } = (await service.get('viewer-1', {})).summary;
    const verdict = (Object.keys(byVerdict) as Array<keyof typeof byVerdict>).find((v) => byVerdict[v] > 1);
    expect(verdict).toBeDefined();
    const { jql } = await service.jql('viewer-1', { verdict: verdict! });
    expect(jql?.match(/destinationWork\("D-\d+"\)/g)).toHaveLength(byVerdict[verdict!]);
    expect(jql).not.toMatch(/ORDER BY/);
    expect((await service.jql('viewer-1', { verdict: verdict!, owner: 'someone-else' })).jql).toBeNull();
    const all = await service.export('viewer-1', {});
    expect(all.destinations.map((d) => d.priority)).toEqual(destinations.map((d) => d.priority));
    expect(JSON.stringify(all)).not.toMatch(/ALPHA-|BETA-/);
  });
});
