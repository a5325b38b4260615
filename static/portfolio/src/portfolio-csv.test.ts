import { describe, expect, it } from '@jest/globals';
import type { DestinationRollup, PortfolioExport } from '../../../src/contract';
import { portfolioCsvRows } from './portfolio-csv';

const progress = {
  count: { new: 2, indeterminate: 1, done: 3, total: 6 },
  estimate: { new: 5, indeterminate: 3, done: 8, total: 16, unestimated: 1 },
};

function rollup(id: string, priority: number, forecast: Partial<DestinationRollup['forecast']> = {}): DestinationRollup {
  return {
    id, name: `Destination ${id}`, status: 'active', priority, targetDate: '2027-03-31', businessOwner: 'u-1', businessOwnerName: 'Ann',
    epics: 2, progress, verdict: 'on track', forecastDate: '2027-02-01',
    forecast: { verdict: 'on track', forecastDate: '2027-02-01', daysEarly: 58, daysLate: 0, throughputPerWeek: 1, remaining: 3, windowWeeks: 12, reason: '', ...forecast },
    visibleEpics: 2, hiddenEpics: 0,
  };
}

const portfolio = (destinations: DestinationRollup[]): PortfolioExport => ({ asOf: '2026-11-25', destinations });

describe('portfolioCsvRows', () => {
  it('lists the destinations by priority, under a header, with every figure', () => {
    const range = { likelyFrom: '2027-01-20', likelyTo: '2027-02-10', probabilityByTarget: 0.724, method: 'monte carlo' as const };
    const [header, first, second] = portfolioCsvRows(portfolio([rollup('D-2', 2), rollup('D-1', 1, { range })]));
    expect(header?.slice(0, 4)).toEqual(['Priority', 'Destination', 'Owner', 'Status']);
    expect(first?.slice(0, 20)).toEqual([1, 'Destination D-1', 'Ann', 'active', 3, 1, 2, 6, 8, 16, 1, 'on track', '2027-02-01', '2027-03-31', 58, 0, 2, '2027-01-20', '2027-02-10', '72%']);
    expect(second?.[0]).toBe(2);
    expect(second?.slice(17, 20)).toEqual(['', '', '']);
    // A backend without check-ins leaves their cells empty rather than saying one is due.
    expect(first?.slice(20)).toEqual(['', '', '', '', '']);
  });

  it('shows both views side by side: the check-ins, whether one is due, the disagreement with its reason, open concerns', () => {
    const row: DestinationRollup = {
      ...rollup('D-1', 1),
      checkIns: { owner: { status: 'on track', at: '2026-11-24T09:00:00.000Z', byName: 'Olive Owner' }, lead: null, due: false },
      disagreement: { says: 'on track', by: 'u-owner', role: 'owner', chance: 4, reason: 'The business owner says on track, but the data gives a 4% chance by the target date.' },
      openConcerns: 2,
    };
    const [header, first] = portfolioCsvRows(portfolio([row]));
    expect(header?.slice(20)).toEqual(['Owner check-in', 'Lead check-in', 'Check-in due', 'Disagreement', 'Open concerns']);
    expect(first?.slice(20)).toEqual(['on track (Olive Owner, 2026-11-24)', '', 'no', 'The business owner says on track, but the data gives a 4% chance by the target date.', 2]);
  });
});
