import { baselineOf, driftSince, MAX_BASELINE_ISSUES, type ScopeNow } from './scope-drift';

const now = (epics: Array<[string, string]>, issues: string[], remaining: number, forecastDate: string | null = '2027-02-01'): ScopeNow => ({
  epics: new Map(epics),
  issues,
  remaining,
  remainingEstimate: remaining * 2,
  forecastDate,
});

describe('scope drift', () => {
  it('lists epics and issues added and removed since the baseline, and how remaining work and the forecast moved', () => {
    const baseline = baselineOf(now([['10001', 'PAY-1'], ['10002', 'PAY-2']], ['11', '12', '13'], 3), '2026-11-01T09:00:00.000Z');
    expect(baseline).not.toBeNull();
    const drift = driftSince(baseline!, now([['10001', 'PAY-1'], ['10009', 'OPS-4']], ['11', '13', '21', '22'], 5, '2027-02-15'));
    expect(drift).toEqual({
      since: '2026-11-01T09:00:00.000Z',
      epicsAdded: [{ id: '10009', key: 'OPS-4' }],
      epicsRemoved: [{ id: '10002', key: 'PAY-2' }],
      issuesAdded: 2,
      issuesRemoved: 1,
      remainingChange: 2,
      remainingEstimateChange: 4,
      forecastShiftDays: 14,
    });
  });

  it('says no shift when either forecast is missing, and keeps no baseline for a route too big to store', () => {
    const baseline = baselineOf(now([], [], 0, null), '2026-11-01T09:00:00.000Z');
    expect(driftSince(baseline!, now([], [], 0)).forecastShiftDays).toBeNull();
    const huge = Array.from({ length: MAX_BASELINE_ISSUES + 1 }, (_, i) => String(i));
    expect(baselineOf(now([], huge, 0), '2026-11-01T09:00:00.000Z')).toBeNull();
  });
});
