import { PENDING_REBUILD_MS, rebuildReason } from './rollup-compat';
import type { EpicEntry } from './types';
import { emptyProgress } from './progress';

const epic = (members: EpicEntry['members']): EpicEntry => ({ id: '1', key: 'PAY-1', summary: 'E', projectKey: 'PAY', statusCategory: 'new', destinationId: null, fAt: 1, pAt: 1, progress: emptyProgress(), doneWeeks: {}, unestimatedKeys: [], ...(members ? { members } : {}) });
const NOW = Date.parse('2026-11-25T12:00:00Z');

describe('rebuildReason', () => {
  it('catches up when the stored rollup is complete and in the current measure', () => {
    expect(rebuildReason({ estimateKey: 'points:f', epics: [epic({})] }, 'points:f', NOW)).toBeNull();
  });

  it('rebuilds when nothing is stored, the measure changed, or entries carry no per-child marks', () => {
    expect(rebuildReason(undefined, 'points:f', NOW)).toBe('missing');
    expect(rebuildReason({ estimateKey: 'originalEstimate', epics: [epic({})] }, 'points:f', NOW)).toBe('estimate');
    expect(rebuildReason({ estimateKey: 'points:f', epics: [epic(undefined)] }, 'points:f', NOW)).toBe('incompatible');
  });

  it('rebuilds for a change left pending for an hour, not for one just marked', () => {
    const stored = (ms: number) => ({ estimateKey: 'points:f', epics: [epic({})], pendingSince: new Date(NOW - ms).toISOString() });
    expect(rebuildReason(stored(60_000), 'points:f', NOW)).toBeNull();
    expect(rebuildReason(stored(PENDING_REBUILD_MS), 'points:f', NOW)).toBe('pending');
  });
});
