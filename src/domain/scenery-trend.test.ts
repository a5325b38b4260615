import { sceneryTrend, type SceneryIssue } from './scenery-trend';

describe('scenery trend', () => {
  const issue = (created: string, resolved: string | null, offRoute: boolean, projectKey = 'PAY'): SceneryIssue => ({ created, resolved, offRoute, projectKey });
  const issues = [issue('2026-11-02', null, true), issue('2026-11-02', '2026-11-20', false), issue('2026-11-17', null, false, 'SEC'), issue('2026-11-25', null, true, 'SEC')];

  it('reconstructs the off-route share of open work for each week, ending today', () => {
    const trend = sceneryTrend(issues, '2026-12-01', { weeks: 4 });
    expect(trend.map((p) => [p.weekEnd, p.inFlight, p.offRoute, p.share, p.reconstructed])).toEqual([
      ['2026-11-15', 2, 1, 50, true],
      ['2026-11-22', 2, 1, 50, true],
      ['2026-11-29', 3, 2, 67, true],
      ['2026-12-01', 3, 2, 67, true],
    ]);
  });

  it('uses stored snapshots where it has them, and only the projects a viewer may browse', () => {
    const trend = sceneryTrend(issues, '2026-11-29', { weeks: 2, snapshots: [{ weekEnd: '2026-11-29', inFlight: 10, offRoute: 1 }] });
    expect(trend.at(-1)).toEqual({ weekEnd: '2026-11-29', inFlight: 10, offRoute: 1, share: 10, reconstructed: false });
    const mine = sceneryTrend(issues, '2026-11-29', { weeks: 1, projects: new Set(['PAY']), snapshots: [{ weekEnd: '2026-11-29', inFlight: 10, offRoute: 1 }] });
    expect(mine).toEqual([{ weekEnd: '2026-11-29', inFlight: 1, offRoute: 1, share: 100, reconstructed: true }]);
    expect(sceneryTrend([], '2026-11-29', { weeks: 1 })[0]?.share).toBeNull();
  });
});
