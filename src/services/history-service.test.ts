import { figuresOfMembers, type Members } from '../domain/epic-members';
import { dayNumber } from '../domain/epic-figures';
import type { EpicEntry } from '../domain/types';
import {
  destination, epicEntry, fixedClock, inMemoryAppJira, inMemoryDestinationStore, inMemoryRollupReader, inMemorySettingsStore, inMemoryUserJira,
} from '../../test/helpers/in-memory-ports';
import { historyService } from './history-service';
import type { RollupHead } from './rollup-ports';
import type { StoredBaseline, TripStore } from './trip-ports';

const HEAD = { generation: 'g1', shards: 1, builtFrom: '2026-11-25T00:00:00Z', finishedAt: '2026-11-25T00:00:00Z', estimateKey: 'points:customfield_10016', jql: { epicTypeIds: [], standardTypeIds: [], fieldName: 'Business destination' }, epics: 1, items: 3 } as unknown as RollupHead;

function memoryTrips(): TripStore & { baselines: Map<string, StoredBaseline> } {
  const baselines = new Map<string, StoredBaseline>();
  return {
    baselines,
    snapshots: async () => [],
    writeSnapshots: async () => undefined,
    baseline: async (id) => baselines.get(id),
    saveBaseline: async (id, b) => void baselines.set(id, b),
    scenery: async () => [],
    saveScenery: async () => undefined,
    forget: async (id) => void baselines.delete(id),
  };
}

function epicWith(members: Members): EpicEntry {
  const base = epicEntry('PAY-1', 'D-1');
  return { ...base, ...figuresOfMembers(base.key, members), members };
}

function service(epic: EpicEntry, trips = memoryTrips()) {
  const reader = inMemoryRollupReader([epic], HEAD);
  return historyService({
    rollups: { ...reader, loadWithMarks: reader.load },
    destinations: inMemoryDestinationStore([destination('D-1', 1, { targetDate: '2026-12-31', businessOwner: 'u-owner', startDate: '2026-10-01' })]),
    settings: inMemorySettingsStore(),
    trips,
    clock: fixedClock('2026-11-25T12:00:00Z'),
    jira: inMemoryAppJira(),
    userJira: inMemoryUserJira({ admins: ['u-admin'] }),
  });
}

describe('history service', () => {
  it('counts marks stored before creation days were kept from the chart\'s first day, and says how many', async () => {
    const epic = epicWith({
      '101': ['PAY-2', 2, 3, dayNumber('2026-10-20'), 1, dayNumber('2026-10-05')],
      // Stored before the created day was read: five elements.
      '102': ['PAY-3', 1, 5, null, 1],
      '103': ['PAY-4', 2, 1, dayNumber('2026-11-01'), 1],
    });
    const trip = await service(epic).history('u-owner', 'D-1');
    expect(trip.burnUp.points[0]).toEqual({ date: '2026-10-01', scope: 2, done: 0, scopeEstimate: 6, doneEstimate: 0 });
    expect(trip.burnUp.points.find((p) => p.date === '2026-10-05')).toMatchObject({ scope: 3, done: 0 });
    expect(trip.burnUp.points.find((p) => p.date === '2026-11-01')).toMatchObject({ scope: 3, done: 2 });
    expect(trip.limits).toContain('2 issues were recorded before creation dates were kept and count from 2026-10-01, the chart\'s first day, until the next full recalculation.');
    expect(trip.canBaseline).toBe(true);
  });

  it('says why there is no drift when the route was too big to baseline', async () => {
    const trips = memoryTrips();
    trips.baselines.set('D-1', { kind: 'too big', takenAt: '2026-11-01T10:00:00.000Z', issues: 25_000 });
    const trip = await service(epicWith({}), trips).history('u-someone', 'D-1');
    expect(trip.drift).toBeNull();
    expect(trip.baselineNote).toMatch(/25000 issues .*2026-11-01.*too many/);
    expect(trip.canBaseline).toBe(false);
  });

  it('refuses a baseline to someone who is neither the owner, the lead nor an admin, and stores none', async () => {
    const trips = memoryTrips();
    await expect(service(epicWith({}), trips).baseline('u-someone', 'D-1')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(trips.baselines.size).toBe(0);
    await service(epicWith({ '101': ['PAY-2', 0, 3, null, 1, dayNumber('2026-10-05')] }), trips).baseline('u-admin', 'D-1');
    expect(trips.baselines.get('D-1')).toMatchObject({ kind: 'kept', baseline: { issues: ['101'], epics: { '11': 'PAY-1' } } });
  });
});
