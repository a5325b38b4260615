import type { Freshness } from '../../src/contract';
import { awaitsCalculation, formatProgress, freshnessBanner } from './first-build';

const placeholder: Freshness = {
  source: 'calculating',
  reconciledAt: null,
  updatedAt: '2026-11-25T00:00:00.000Z',
  ageSeconds: 0,
  stale: true,
  staleReason: 'The first full calculation is running in the background (5,200 issues read so far); figures appear when it finishes.',
  recalculating: true,
  calculation: { progress: 0.3, items: 5_200 },
};

describe('the first calculation as local commands show it', () => {
  it('draws issues read, of how many, and the time left from the share done so far', () => {
    expect(formatProgress({ phase: 'children', progress: 0.5, items: 11_000, epics: 450 }, 22_095, 4_000)).toBe(
      'First calculation [##########----------]  50%  11,000 of 22,095 issues read, about 4 s left',
    );
    expect(formatProgress({ phase: 'epics', progress: 0.05, items: 0, epics: 200 }, 22_095, 300)).toBe(
      'First calculation [#-------------------]   5%  0 of 22,095 issues read, listing epics (200 so far)',
    );
    expect(formatProgress({ phase: 'done', progress: 1, items: 22_064, epics: 450 }, 22_095, 2_600)).toBe(
      'First calculation [####################] 100%  22,064 of 22,095 issues read, done in 3 s',
    );
  });

  it('waits for a placeholder or stale figures being recalculated, not for current ones', () => {
    expect(awaitsCalculation(placeholder)).toBe(true);
    expect(awaitsCalculation({ ...placeholder, source: 'stored', stale: false })).toBe(false);
    expect(awaitsCalculation({ ...placeholder, recalculating: false })).toBe(false);
    expect(awaitsCalculation(undefined)).toBe(false);
  });

  it('labels a placeholder as calculating and stale figures as stale, and current ones not at all', () => {
    expect(freshnessBanner(placeholder)).toBe(`CALCULATING: not the site's figures yet. ${placeholder.staleReason}`);
    expect(freshnessBanner({ ...placeholder, source: 'stored', recalculating: false, staleReason: 'The daily one has not run.' })).toBe('STALE: The daily one has not run.');
    expect(freshnessBanner({ ...placeholder, stale: false })).toBeNull();
  });
});
