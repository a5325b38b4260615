/**
 * The figures below are worked out by hand from `smallSite()` (local/jira/testing/small-site.ts), today
 * 2026-11-25, estimates in story points, a 12-week throughput window.
 */
import { smallSite } from '../../local/jira/testing/small-site';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { fullPortfolio } from '../helpers/full-portfolio';

describe('portfolio and epic alignment on a small site', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(smallSite());
  });
  afterEach(() => app.close());

  it('rolls up the destination from its epics\' direct children, sub-tasks not counted twice', async () => {
    const portfolio = await fullPortfolio(app, 'u-leader', {});
    expect(portfolio.computedAs).toBe('app');
    expect(portfolio.asOf).toBe('2026-11-25');
    expect(portfolio.destinations).toHaveLength(1);
    const d1 = portfolio.destinations[0];
    expect(d1).toMatchObject({ id: 'D-1', epics: 2, businessOwnerName: 'Bea Leader' });
    expect(d1?.progress).toEqual({
      count: { new: 1, indeterminate: 1, done: 2, total: 4 },
      estimate: { new: 0, indeterminate: 5, done: 11, total: 16, unestimated: 1 },
    });
  });

  it('forecasts arrival from recent throughput: 2 done in 12 weeks, 2 left, most likely in 10 weeks, so off track', async () => {
    const [d1] = (await fullPortfolio(app, 'u-leader', {})).destinations;
    expect(d1?.verdict).toBe('off track');
    expect(d1?.forecastDate).toBe('2027-02-03');
    expect(d1?.forecast).toMatchObject({ daysEarly: 0, daysLate: 64, range: { likelyFrom: '2026-12-30', likelyTo: '2027-04-14', probabilityByTarget: 0 } });
    expect(d1?.forecast.reason).toBe('At 0.2 items a week (last 12 weeks), the 2 remaining items most likely finish by 2027-02-03 (likely between 2026-12-30 and 2027-04-14), 64 days after the target 2026-12-01: almost no chance of arriving by the target (off track below 30%).');
  });

  it('reads the verdict from the chance thresholds an admin saves, and keeps them when a save leaves them out', async () => {
    const { version, ...current } = (await app.data('admin', 'settings/get', {}, 'u-admin')).settings;
    expect(current).toMatchObject({ onTrackChance: 70, atRiskChance: 30 });
    const saved = await app.data('admin', 'settings/save', { settings: { ...current, atRiskChance: 0 }, version }, 'u-admin');
    expect(saved.settings).toMatchObject({ onTrackChance: 70, atRiskChance: 0 });
    const [d1] = (await fullPortfolio(app, 'u-leader', {})).destinations;
    expect(d1?.forecast.range?.probabilityByTarget).toBe(0);
    expect(d1?.verdict).toBe('at risk');

    // A caller that predates the thresholds saves the other settings; the thresholds stay as they were.
    const { projectKeys, estimateField, throughputWeeks } = saved.settings;
    const again = await app.data('admin', 'settings/save', { settings: { projectKeys, estimateField, throughputWeeks }, version: saved.settings.version }, 'u-admin');
    expect(again.settings).toMatchObject({ onTrackChance: 70, atRiskChance: 0 });

    const refused = await app.call('admin', 'settings/save', { settings: { ...current, onTrackChance: 40, atRiskChance: 40 }, version: again.settings.version }, 'u-admin');
    expect(refused.ok || refused.error).toMatchObject({ code: 'INVALID_INPUT', field: 'atRiskChance' });
  });

  it('measures off-route work in flight: the orphan task is off-route, the aligned story is not', async () => {
    const { offRoute } = await fullPortfolio(app, 'u-leader', {});
    expect(offRoute.count).toEqual({ inFlight: 2, offRoute: 1, share: 0.5 });
    expect(offRoute.estimate).toEqual({ inFlight: 7, offRoute: 2, share: 2 / 7 });
    expect(offRoute.orphanCount).toBe(1);
  });

  it('reports the epic pointing at an unknown destination instead of dropping it', async () => {
    const { warnings } = await fullPortfolio(app, 'u-admin', {});
    const unknown = warnings.find((w) => w.code === 'UNKNOWN_DESTINATION');
    expect(unknown?.refs).toEqual(['D-404', 'PAY-8']);
  });

  it('never names an epic the viewer may not browse, but counts it in the aggregate', async () => {
    const asDev = (await fullPortfolio(app, 'u-dev', {})).destinations[0];
    expect(asDev?.epicDetails.map((e) => e.key)).toEqual(['PAY-1']);
    expect(asDev?.hiddenEpics).toBe(1);
    expect(asDev?.progress.count.total).toBe(4);
    const asLeader = (await fullPortfolio(app, 'u-leader', {})).destinations[0];
    expect(asLeader?.epicDetails.map((e) => e.key)).toEqual(['PAY-1', 'SEC-1']);
  });

  it('shows an epic its progress, its share of the destination and the forecast', async () => {
    const alignment = await app.data('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev');
    expect(alignment.epic).toEqual({ key: 'PAY-1', summary: 'Payout engine', projectKey: 'PAY', isEpic: true });
    expect(alignment.destination).toMatchObject({ id: 'D-1', name: 'Instant payouts', businessOwnerName: 'Bea Leader' });
    expect(alignment.progress.count).toEqual({ new: 1, indeterminate: 1, done: 1, total: 3 });
    expect(alignment.share).toEqual({ count: 0.75, estimate: 0.5 });
    expect(alignment.forecast).toMatchObject({ verdict: 'off track', forecastDate: '2027-02-03' });
    expect(alignment.siblings).toEqual([]);
    expect(alignment.hiddenSiblings).toBe(1);
    expect(alignment.canEdit).toBe(true);
  });

  it('answers NOT_FOUND for an epic the user may not browse', async () => {
    const answer = await app.call('panel', 'epic/alignment', { issueKey: 'SEC-1' }, 'u-dev');
    expect(answer).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('SEC-1') } });
  });

  it('explains a non-epic rather than failing', async () => {
    const alignment = await app.data('panel', 'epic/alignment', { issueKey: 'PAY-2' }, 'u-dev');
    expect(alignment.epic.isEpic).toBe(false);
    expect(alignment.destination).toBeNull();
  });

  it('aligns an epic from the panel, and the portfolio shows it at once', async () => {
    await fullPortfolio(app, 'u-leader', {}); // stores a snapshot
    const after = await app.data('panel', 'epic/set-destination', { issueKey: 'PAY-6', destinationId: 'D-1' }, 'u-dev');
    expect(after.destination?.id).toBe('D-1');
    expect(app.jira.issue('PAY-6')?.appValue).toEqual({ id: 'D-1', name: 'Instant payouts' });
    const [d1] = (await fullPortfolio(app, 'u-leader', {})).destinations;
    expect(d1?.epics).toBe(3);
  });

  it('clears an epic\'s destination', async () => {
    const after = await app.data('panel', 'epic/set-destination', { issueKey: 'PAY-1', destinationId: null }, 'u-dev');
    expect(after.destination).toBeNull();
    const [d1] = (await fullPortfolio(app, 'u-leader', {})).destinations;
    expect(d1?.epics).toBe(1);
  });

  it('refuses an archived destination, a non-epic and a user without edit permission', async () => {
    const archived = await app.call('panel', 'epic/set-destination', { issueKey: 'PAY-6', destinationId: 'D-2' }, 'u-dev');
    expect(archived.ok || archived.error.code).toBe('INVALID_INPUT');
    const story = await app.call('panel', 'epic/set-destination', { issueKey: 'PAY-2', destinationId: 'D-1' }, 'u-dev');
    expect(story.ok || story.error.code).toBe('INVALID_INPUT');
    const noEdit = await app.call('panel', 'epic/set-destination', { issueKey: 'SEC-1', destinationId: null }, 'u-leader');
    expect(noEdit.ok || noEdit.error.code).toBe('FORBIDDEN');
  });

  it('marks the stored portfolio stale when an issue changes in Jira, through the trigger', async () => {
    const before = (await fullPortfolio(app, 'u-leader', {})).destinations[0];
    expect(before?.progress.count.done).toBe(2);
    app.jira.updateIssue('PAY-3', { status: 'Done', resolved: '2026-11-25' }, 'u-dev');
    await app.platform.settle();
    const after = (await fullPortfolio(app, 'u-leader', {})).destinations[0];
    expect(after?.progress.count.done).toBe(3);
  });
});

describe('links in the portfolio', () => {
  it('name no epic at all (a key in a JQL link is a leak too): a destination goes through destinationWork', async () => {
    const app = await startTestApp(smallSite());
    try {
      const asDev = await fullPortfolio(app, 'u-dev', {});
      const links = [...Object.values(asDev.jql.byDestination), asDev.jql.offRoute, asDev.jql.inFlight].join('\n');
      expect(links).not.toMatch(/(PAY|SEC)-\d/);
      expect(links).not.toMatch(/"SEC"/);
      expect(asDev.jql.byDestination['D-1']).toBe('issue in destinationWork("D-1") AND issuetype in ("10002", "10003", "10004") ORDER BY status ASC');
      const asLeader = await fullPortfolio(app, 'u-leader', {});
      expect(asLeader.jql.byDestination['D-1']).toBe(asDev.jql.byDestination['D-1']);
      // Jira applies each viewer's permissions to what the link finds.
      const follow = async (accountId: string) => {
        const answer = await app.jira.handle({ method: 'POST', path: '/rest/api/3/search/jql', headers: {}, body: JSON.stringify({ jql: asDev.jql.byDestination['D-1']?.replace(/ ORDER BY .*$/, ''), fields: ['id'] }), as: { kind: 'user', accountId } });
        return (JSON.parse(answer.body ?? '{}') as { issues: Array<{ key: string }> }).issues.map((i) => i.key).sort();
      };
      expect(await follow('u-dev')).toEqual(['PAY-2', 'PAY-3', 'PAY-4']);
      expect(await follow('u-leader')).toEqual(['PAY-2', 'PAY-3', 'PAY-4', 'SEC-2']);
    } finally {
      await app.close();
    }
  });
});
