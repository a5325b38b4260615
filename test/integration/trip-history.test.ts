/**
 * The trip over time through the local platform: the burn-up of a fresh install reconstructed from Jira's
 * created and resolution dates (checked against a hand count), the daily snapshots, the scope baseline and
 * its drift, and the scenery trend, as the resolvers answer them.
 */
import type { SiteInput } from '../../local/jira/site';
import { smallSite } from '../../local/jira/testing/small-site';
import { advanceClock } from '../../local/platform';
import { systemClock } from '../../src/infra/clock';
import type { TripHistory } from '../../src/contract';
import { createTripStore } from '../../src/infra/storage/trip-store';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { reconcileToEnd } from '../faults/rollup-harness';

/** A handful of issues created and resolved over twelve weeks; u-dev may not browse SEC. */
function historySite(): SiteInput {
  // The small site's people and projects (u-dev may not browse SEC); its own destinations and dated issues.
  const { today, users, projects } = smallSite();
  return {
    today,
    users,
    projects,
    destinations: [
      { id: 'D-1', name: 'Instant payouts', targetDate: '2026-12-20', status: 'active', priority: 1, businessOwner: 'u-leader' },
      { id: 'D-2', name: 'Later goal', targetDate: '2027-06-01', status: 'draft', priority: 2, businessOwner: 'u-leader' },
    ],
    issues: [
      { key: 'PAY-1', type: 'Epic', summary: 'Payout engine', status: 'In Progress', destination: 'D-1', created: '2026-08-01' },
      { key: 'PAY-2', type: 'Story', summary: 'Ledger entries', status: 'Done', parent: 'PAY-1', points: 3, created: '2026-09-01', resolved: '2026-09-20' },
      { key: 'PAY-3', type: 'Story', summary: 'Payout API', status: 'In Progress', parent: 'PAY-1', points: 5, created: '2026-09-01' },
      { key: 'PAY-4', type: 'Story', summary: 'Retry rules', status: 'Done', parent: 'PAY-1', points: 2, created: '2026-09-15', resolved: '2026-10-10' },
      { key: 'PAY-5', type: 'Story', summary: 'Unestimated cleanup', status: 'To Do', parent: 'PAY-1', created: '2026-10-05' },
      { key: 'PAY-6', type: 'Story', summary: 'Payout report', status: 'Done', parent: 'PAY-1', points: 1, created: '2026-11-02', resolved: '2026-11-20' },
      { key: 'SEC-1', type: 'Epic', summary: 'Secret hardening', status: 'In Progress', destination: 'D-1', created: '2026-08-01' },
      { key: 'SEC-2', type: 'Story', summary: 'Rotate keys', status: 'Done', parent: 'SEC-1', points: 8, created: '2026-10-01', resolved: '2026-11-24' },
      { key: 'PAY-7', type: 'Epic', summary: 'Later epic', status: 'To Do', destination: 'D-2', created: '2026-08-01' },
      { key: 'PAY-8', type: 'Story', summary: 'Later story', status: 'To Do', parent: 'PAY-7', points: 2, created: '2026-10-12' },
      { key: 'PAY-9', type: 'Epic', summary: 'Side quest', status: 'In Progress', created: '2026-08-01' },
      { key: 'PAY-10', type: 'Story', summary: 'Side story', status: 'In Progress', parent: 'PAY-9', created: '2026-10-20' },
      { key: 'PAY-11', type: 'Task', summary: 'Orphan task', status: 'In Progress', created: '2026-11-10' },
    ],
  };
}

describe('trip history', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(historySite());
  });
  afterEach(() => app.close());

  const history = (destinationId: string, as = 'u-leader') => app.data('portfolio', 'trip/history', { destinationId }, as);
  const pointOn = (trip: TripHistory, date: string) => trip.burnUp.points.find((p) => p.date === date);

  it('reconstructs the burn-up of a fresh install from created and resolution dates, as counted by hand', async () => {
    const spent = app.jira.pointsSpent().total;
    const trip = await history('D-1');
    // A view asks Jira for no issue: the marks hold each child's created and done day.
    expect(app.jira.pointsSpent().total).toBe(spent);
    expect(trip.burnUp.step).toBe('day');
    // From the first child's creation (1 Sep) to today (25 Nov), both included: 30 + 31 + 25 days.
    expect(trip.burnUp.points).toHaveLength(86);
    expect(trip.burnUp.points[0]?.date).toBe('2026-09-01');
    // Hand count: scope by creation day, done by resolution day (epics are not counted, only their children).
    expect(pointOn(trip, '2026-09-01')).toEqual({ date: '2026-09-01', scope: 2, done: 0, scopeEstimate: 8, doneEstimate: 0 });
    expect(pointOn(trip, '2026-09-19')).toEqual({ date: '2026-09-19', scope: 3, done: 0, scopeEstimate: 10, doneEstimate: 0 });
    expect(pointOn(trip, '2026-09-20')).toEqual({ date: '2026-09-20', scope: 3, done: 1, scopeEstimate: 10, doneEstimate: 3 });
    expect(pointOn(trip, '2026-10-01')).toEqual({ date: '2026-10-01', scope: 4, done: 1, scopeEstimate: 18, doneEstimate: 3 });
    expect(pointOn(trip, '2026-10-10')).toEqual({ date: '2026-10-10', scope: 5, done: 2, scopeEstimate: 18, doneEstimate: 5 });
    expect(pointOn(trip, '2026-11-20')).toEqual({ date: '2026-11-20', scope: 6, done: 3, scopeEstimate: 19, doneEstimate: 6 });
    expect(pointOn(trip, '2026-11-24')).toEqual({ date: '2026-11-24', scope: 6, done: 4, scopeEstimate: 19, doneEstimate: 14 });
    expect(trip.burnUp.points.at(-1)).toEqual({ date: '2026-11-25', scope: 6, done: 4, scopeEstimate: 19, doneEstimate: 14 });
    // Today's point is the portfolio's own progress, and the forecast is the portfolio's.
    const row = (await app.data('portfolio', 'portfolio/get', {}, 'u-leader')).destinations.find((d) => d.id === 'D-1');
    expect(trip.progress).toEqual(row?.progress);
    expect(trip.forecast).toEqual(row?.forecast);
    expect(trip.snapshots).toEqual([expect.objectContaining({ date: '2026-11-25', done: 4, scope: 6, doneEstimate: 14, scopeEstimate: 19 })]);
    expect(trip.limits.length).toBeGreaterThanOrEqual(3);
    expect(trip.limits.join(' ')).not.toMatch(/recorded before creation dates/);
  });

  it('keeps a snapshot a day from the daily run, lets events move today\'s point, and cuts snapshots older than two years', async () => {
    await app.platform.runScheduledTrigger('daily-reconcile');
    await app.platform.settle();
    advanceClock(86_400_000);
    app.jira.updateIssue('PAY-3', { status: 'Done' }, 'u-dev');
    await app.platform.settle();
    const trip = await history('D-1');
    expect(trip.asOf).toBe('2026-11-26');
    expect(trip.snapshots.map((s) => [s.date, s.done, s.scope])).toEqual([['2026-11-25', 4, 6], ['2026-11-26', 5, 6]]);

    // Two years and more back: seeded straight into the store, then cut by the next daily run.
    const store = createTripStore(systemClock);
    const old = { done: 0, scope: 1, doneEstimate: 0, scopeEstimate: 0, forecastDate: null, likelyFrom: null, likelyTo: null, chance: null };
    await store.writeSnapshots([{ destinationId: 'D-1', snapshot: { ...old, date: '2024-11-01' } }, { destinationId: 'D-1', snapshot: { ...old, date: '2025-02-01' } }], '2024-01-01');
    expect((await history('D-1')).snapshots.map((s) => s.date)).toEqual(['2025-02-01', '2026-11-25', '2026-11-26']);
    await app.platform.runScheduledTrigger('daily-reconcile');
    await app.platform.settle();
    expect(await app.platform.kvs.peek('trip-snap:D-1:2024')).toBeUndefined();
    expect((await history('D-1')).snapshots.map((s) => s.date)).toEqual(['2025-02-01', '2026-11-25', '2026-11-26']);
  });

  it('keeps a full year of snapshots of one destination well under the 240 KiB value limit', async () => {
    const store = createTripStore(systemClock);
    const big = { done: 123_456, scope: 234_567, doneEstimate: 1_234_567.25, scopeEstimate: 2_345_678.75, forecastDate: '2031-12-31', likelyFrom: '2030-01-01', likelyTo: '2035-12-31', chance: 100 };
    const days = Array.from({ length: 365 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    await store.writeSnapshots(days.map((date) => ({ destinationId: 'D-99999', snapshot: { ...big, date } })), '2025-01-01');
    const bytes = Buffer.byteLength(JSON.stringify(await app.platform.kvs.peek('trip-snap:D-99999:2026')));
    expect(bytes).toBeLessThan(40 * 1024);
    expect(await store.snapshots('D-99999', '2026-01-01')).toHaveLength(365);
  });

  it('baselines a destination when it becomes active and shows the drift after issues come and go', async () => {
    const before = await history('D-2');
    expect(before.drift).toBeNull();
    expect(before.baselineNote).toMatch(/becomes active/);
    const d2 = await app.data('admin', 'destinations/get', { id: 'D-2' }, 'u-admin');
    await app.data('admin', 'destinations/update', { id: 'D-2', version: d2.version, draft: { name: d2.name, businessOwner: d2.businessOwner, targetDate: d2.targetDate, status: 'active' } }, 'u-admin');
    const committed = await history('D-2');
    expect(committed.drift).toMatchObject({ issuesAdded: 0, issuesRemoved: 0, epicsAdded: [], epicsRemoved: [], remainingChange: 0 });

    app.jira.createIssue({ key: 'PAY-20', type: 'Story', summary: 'Scope creep', status: 'To Do', parent: 'PAY-7', points: 3 }, 'u-dev');
    app.jira.updateIssue('PAY-8', { parent: null }, 'u-dev');
    await app.platform.settle();
    const drifted = await history('D-2');
    expect(drifted.drift).toMatchObject({ issuesAdded: 1, issuesRemoved: 1, remainingChange: 0 });
  });

  it('takes a baseline for the owner, the lead or an admin only, and hides epics the caller may not browse', async () => {
    const refused = await app.call('portfolio', 'trip/baseline', { destinationId: 'D-1' }, 'u-dev');
    expect(refused).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('business owner') } });
    expect((await history('D-1', 'u-dev')).canBaseline).toBe(false);
    expect((await history('D-1', 'u-leader')).canBaseline).toBe(true);

    const taken = await app.data('portfolio', 'trip/baseline', { destinationId: 'D-1' }, 'u-admin');
    expect(taken.drift).toMatchObject({ issuesAdded: 0, epicsRemoved: [] });
    // SEC-1 leaves the destination: the leader sees which epic, the developer (no SEC access) only the counts.
    app.jira.updateIssue('SEC-1', { destination: null } as never, 'u-admin');
    await app.platform.settle();
    const leader = await history('D-1', 'u-leader');
    const dev = await history('D-1', 'u-dev');
    expect(leader.drift?.epicsRemoved.map((e) => e.key)).toEqual(['SEC-1']);
    expect(leader.drift?.issuesRemoved).toBe(1);
    expect(dev.drift?.epicsRemoved).toEqual([]);
    expect(dev.drift?.issuesRemoved).toBe(1);
    expect(JSON.stringify(dev)).not.toMatch(/SEC/);
  });

  it('answers the epic panel\'s trip for an epic the caller may browse, and NOT_FOUND alike for a hidden or absent one', async () => {
    const trip = await app.data('panel', 'epic/trip-history', { issueKey: 'PAY-1' }, 'u-dev');
    expect(trip.destinationId).toBe('D-1');
    expect(trip.burnUp.points.at(-1)).toMatchObject({ scope: 6, done: 4 });
    expect(trip.canBaseline).toBe(false);
    const hidden = await app.call('panel', 'epic/trip-history', { issueKey: 'SEC-1' }, 'u-dev');
    const absent = await app.call('panel', 'epic/trip-history', { issueKey: 'NOPE-1' }, 'u-dev');
    expect(hidden).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
    expect(JSON.stringify(hidden).replace(/SEC-1/g, 'NOPE-1')).toBe(JSON.stringify(absent));
    const unaligned = await app.call('panel', 'epic/trip-history', { issueKey: 'PAY-9' }, 'u-dev');
    expect(unaligned.ok).toBe(false);
  });

  it('asks Jira nothing for the panel\'s trip right after the panel\'s own view of the epic', async () => {
    await app.data('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev');
    app.jira.resetRequestLog();
    await app.data('panel', 'epic/trip-history', { issueKey: 'PAY-1' }, 'u-dev');
    expect(app.jira.requestLog()).toEqual({});
  });

  it('draws the scenery trend week by week, per browsable project, with JQL the emulator accepts', async () => {
    const trend = await app.data('portfolio', 'portfolio/scenery', {}, 'u-leader');
    expect(trend.points).toHaveLength(12);
    expect(trend.projects).toEqual(['PAY', 'SEC']);
    const last = trend.points.at(-1);
    // In flight on 25 Nov (created, not resolved): PAY-3, PAY-5 (D-1), PAY-8 (D-2, live), PAY-10 (unaligned epic),
    // and the orphan PAY-11: 2 of 5 off route.
    expect(last).toMatchObject({ weekEnd: '2026-11-25', inFlight: 5, offRoute: 2, share: 40, reconstructed: true });
    // The week ending 25 Oct: PAY-3, PAY-5, SEC-2, PAY-8 on route, PAY-10 off route (the orphan is not known then).
    expect(trend.points.find((p) => p.weekEnd === '2026-10-25')).toMatchObject({ inFlight: 5, offRoute: 1, share: 20 });
    for (const p of trend.points) {
      const res = await app.jira.handle({ method: 'POST', path: '/rest/api/3/search/jql', headers: {}, body: JSON.stringify({ jql: p.jql, fields: ['key'] }), as: { kind: 'user', accountId: 'u-leader' } });
      expect([p.jql, res.status]).toEqual([p.jql, 200]);
    }
    const dev = await app.data('portfolio', 'portfolio/scenery', {}, 'u-dev');
    expect(dev.projects).toEqual(['PAY']);
    expect(JSON.stringify(dev)).not.toMatch(/SEC/);
    // Without SEC: the week ending 25 Oct has PAY-3, PAY-5, PAY-8 and PAY-10 in flight.
    expect(dev.points.find((p) => p.weekEnd === '2026-10-25')).toMatchObject({ inFlight: 4, offRoute: 1, share: 25 });
    const pay = await app.data('portfolio', 'portfolio/scenery', { projectKey: 'PAY' }, 'u-leader');
    expect(pay.projectKey).toBe('PAY');
    expect(pay.points.every((p) => p.jql.includes('project in ("PAY")'))).toBe(true);
    const refused = await app.call('portfolio', 'portfolio/scenery', { projectKey: 'SEC' }, 'u-dev');
    expect(refused.ok).toBe(false);
  });

  it('uses the kept weekly snapshot for the current week once the daily run has written one', async () => {
    await reconcileToEnd(app);
    await app.platform.runScheduledTrigger('daily-reconcile');
    await app.platform.settle();
    const trend = await app.data('portfolio', 'portfolio/scenery', {}, 'u-leader');
    // In progress by status today: PAY-3, PAY-10, and the orphan PAY-11.
    const week = trend.points.at(-1);
    expect(week).toMatchObject({ reconstructed: false, inFlight: 3, offRoute: 2, share: 67 });
  });
});
