import { BACKGROUND_QUOTA_RESERVE, batchRange, estimateFinish, runIsActive, splitPendingBatches, STALLED_RUN_MS, type RunPace } from './reconcile-run';

const NOW = Date.UTC(2026, 10, 25, 10, 30);
const HOUR = 3_600_000;

describe('runIsActive', () => {
  const quiet = new Date(NOW - STALLED_RUN_MS - 1).toISOString();

  it('counts a run not heard from for the stall time as dead', () => {
    expect(runIsActive({ phase: 'children', updatedAt: quiet }, NOW)).toBe(false);
  });

  it('keeps a run waiting for the quota going until well past the time it waits for', () => {
    const waitingUntil = new Date(NOW + 40 * 60_000).toISOString();
    expect(runIsActive({ phase: 'children', updatedAt: quiet, waitingUntil }, NOW)).toBe(true);
    expect(runIsActive({ phase: 'children', updatedAt: quiet, waitingUntil }, Date.parse(waitingUntil) + STALLED_RUN_MS + 1)).toBe(false);
  });
});

describe('estimateFinish', () => {
  // 10 batches of 1,000 points each; 4 done in 40 s of work: 100 points a second.
  const pace: RunPace = { phase: 'children', partitions: 10, partitionsDone: [0, 1, 2, 3], childPoints: 4000, points: 4000, workMs: 40_000 };

  it('says nothing before a batch of children is read', () => {
    expect(estimateFinish({ ...pace, partitionsDone: [], childPoints: 0 }, NOW)).toBeUndefined();
  });

  it('goes at the pace seen when the quota has room for the rest', () => {
    const quota = { limit: 100_000, windowSeconds: 3600, remaining: 50_000, resetAt: NOW + 30 * 60_000 };
    expect(estimateFinish({ ...pace, quota }, NOW)).toBe(NOW + 60_000);
  });

  it('adds the wait for the next hours when the points needed are more than the quota gives', () => {
    // 6,000 points needed; 1,000 left above the reserve this hour, 1,900 usable an hour after that.
    const limit = 2000;
    const reserve = limit * BACKGROUND_QUOTA_RESERVE;
    const resetAt = NOW + 30 * 60_000;
    const quota = { limit, windowSeconds: 3600, remaining: 1000 + reserve, resetAt };
    const usable = limit - reserve;
    const fullHours = Math.floor((6000 - 1000) / usable);
    const rest = 6000 - 1000 - fullHours * usable;
    expect(estimateFinish({ ...pace, quota }, NOW)).toBe(resetAt + fullHours * HOUR + (rest / 100) * 1000);
  });

  it('starts counting from the time a waiting run resumes, with a fresh hour', () => {
    const waitingUntil = NOW + 30 * 60_000;
    const quota = { limit: 100_000, windowSeconds: 3600, remaining: 0, resetAt: waitingUntil };
    expect(estimateFinish({ ...pace, waitingUntil, quota }, NOW)).toBe(waitingUntil + 60_000);
  });
});

describe('children batches split after an hour that finished none', () => {
  it('reads fixed slices of the partition size until split', () => {
    expect(batchRange({ epics: 450 }, 2, 200)).toEqual([400, 450]);
  });

  it('halves every batch not done, keeps done ones where they are, and gives the halves new indices', () => {
    const run = { epics: 450, partitions: 3, partitionsDone: [0] };
    const ranges = splitPendingBatches(run, 200);
    expect(ranges).toEqual([[0, 200], [200, 300], [400, 425], [300, 400], [425, 450]]);
  });

  it('splits again from the split ranges, down to one epic a batch and no further', () => {
    let run = { epics: 3, partitions: 1, partitionsDone: [] as number[], ranges: undefined as Array<[number, number]> | undefined };
    for (let i = 0; i < 4; i++) {
      const ranges = splitPendingBatches(run, 200);
      run = { ...run, ranges, partitions: ranges.length };
    }
    expect(run.ranges).toEqual([[0, 1], [2, 3], [1, 2]]);
  });
});
