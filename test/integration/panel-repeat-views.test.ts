/**
 * A repeated panel view costs no Jira points, and never shows what the viewer may no longer see: the panel's
 * own answers (the issue read as the viewer, their edit right) are kept a minute per viewer and issue in the
 * viewer cache (docs/decisions/0012-issue-security.md). Driven through the real panel resolver on the local
 * platform; time moves on the site clock (the app's) and the platform's (storage TTLs) together.
 */
import type { SiteInput } from '../../local/jira/site';
import { advanceClock } from '../../local/platform';
import { securedBase } from '../../local/jira/testing/secured-site';
import { startTestApp, type TestApp } from '../helpers/local-app';

const ISSUE_READ = 'GET /rest/api/3/issue/{issueIdOrKey}';
/** The viewer cache's lifetime for browse answers (viewer-cache.ts), and a second more. */
const PAST_TTL_MS = 61_000;

function site(): SiteInput {
  const { pay, ...base } = securedBase();
  return {
    ...base,
    projects: [pay, { key: 'OPS', name: 'Operations' }],
    destinations: [
      { id: 'D-1', name: 'Instant payouts', targetDate: '2027-03-01', status: 'active', priority: 1, businessOwner: 'u-board' },
      { id: 'D-2', name: 'Cheaper cards', targetDate: '2027-06-01', status: 'active', priority: 2, businessOwner: 'u-board' },
    ],
    issues: [
      { key: 'PAY-1', type: 'Epic', summary: 'Open payouts', status: 'In Progress', destination: 'D-1', created: '2026-09-01' },
      { key: 'PAY-2', type: 'Story', summary: 'Ledger', status: 'Done', parent: 'PAY-1', points: 3, created: '2026-09-02', resolved: '2026-11-01' },
      { key: 'PAY-3', type: 'Epic', summary: 'Secret merger', status: 'In Progress', destination: 'D-1', security: 'Board only', created: '2026-09-03' },
      { key: 'OPS-1', type: 'Epic', summary: 'Runbooks', status: 'In Progress', destination: 'D-1', created: '2026-09-07' },
      { key: 'OPS-2', type: 'Story', summary: 'Pager rota', status: 'In Progress', parent: 'OPS-1', points: 1, created: '2026-09-08' },
    ],
  };
}

describe('repeated panel views', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(site());
  }, 60_000);
  afterEach(async () => {
    await app.close();
  });

  /** A minute and a second pass for the app (its clock) and for storage (value TTLs). */
  function ttlPasses(): void {
    advanceClock(PAST_TTL_MS);
    app.platform.clock.advance(PAST_TTL_MS);
  }

  /** One panel view and the Jira points it cost, by endpoint. */
  async function view(issueKey: string, accountId: string) {
    app.jira.resetRequestLog();
    const answer = await app.call('panel', 'epic/alignment', { issueKey }, accountId);
    return { answer, points: app.jira.pointsSpent().total, byEndpoint: app.jira.pointsSpent().byEndpoint };
  }

  it('costs 0 Jira points the second time the same viewer opens the same epic, with the same answer', async () => {
    const first = await view('PAY-1', 'u-dev');
    expect(first.byEndpoint[ISSUE_READ]).toBeGreaterThan(0);
    const second = await view('PAY-1', 'u-dev');
    expect(second.points).toBe(0);
    // The same answer, but for how old the figures are (time runs on between the two views).
    const timeless = (a: typeof first.answer) => (a.ok ? { ...a.data, freshness: { ...a.data.freshness, ageSeconds: 0 } } : a);
    expect(timeless(second.answer)).toEqual(timeless(first.answer));
    // The entry expires in storage too, so a viewer seen once leaves no key behind.
    const entry = app.platform.kvs.snapshot().plain['viewer-panel:u-dev:PAY-1'];
    expect((entry?.expiresAt ?? 0) - (entry?.updatedAt ?? 0)).toBe(60_000);
  });

  it('answers the panel\'s voices from the viewer\'s read the panel just made, without reading the epic again', async () => {
    await view('PAY-1', 'u-dev');
    app.jira.resetRequestLog();
    const voices = await app.data('panel', 'epic/voices', { issueKey: 'PAY-1' }, 'u-dev');
    expect(voices.destinationId).toBe('D-1');
    expect(app.jira.pointsSpent().byEndpoint[ISSUE_READ] ?? 0).toBe(0);
    // Raising a concern is a write: the epic is read afresh as the viewer.
    await app.data('panel', 'concern/raise', { issueKey: 'PAY-1', text: 'Is the payout date safe?' }, 'u-dev');
    expect(app.jira.pointsSpent().byEndpoint[ISSUE_READ]).toBeGreaterThan(0);
  });

  it('reads the issue as the viewer again once the minute has passed', async () => {
    await view('PAY-1', 'u-dev');
    ttlPasses();
    const later = await view('PAY-1', 'u-dev');
    expect(later.answer.ok).toBe(true);
    expect(later.byEndpoint[ISSUE_READ]).toBe(2); // one request and the one issue it returned
    expect(later.byEndpoint['POST /rest/api/3/permissions/check']).toBeGreaterThan(0);
  });

  it('shows nothing to a viewer who lost access, once the minute has passed', async () => {
    expect((await view('PAY-1', 'u-dev')).answer.ok).toBe(true);
    app.jira.updateIssue('PAY-1', { security: 'Board only' }, 'u-admin');
    await app.platform.settle();
    // Jira tells an app of no permission change: the minute the cache keeps an answer is the window.
    ttlPasses();
    const after = await view('PAY-1', 'u-dev');
    expect(after.answer).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('PAY-1') } });
    expect(JSON.stringify(after.answer)).not.toContain('Open payouts');
    // A member of the level still sees it.
    expect((await view('PAY-1', 'u-board')).answer.ok).toBe(true);
  });

  it('never answers one viewer from another viewer\'s cache', async () => {
    const board = await view('PAY-3', 'u-board');
    expect(board.answer.ok && board.answer.data.epic.summary).toBe('Secret merger');
    const dev = await view('PAY-3', 'u-dev');
    expect(dev.answer).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('PAY-3') } });
    expect(JSON.stringify(dev.answer)).not.toContain('Secret merger');
    expect(dev.byEndpoint[ISSUE_READ]).toBe(1); // asked Jira as u-dev: a 404 returns no issue
    // And an epic both may see: the second viewer pays for their own read.
    await view('PAY-1', 'u-board');
    expect((await view('PAY-1', 'u-dev')).byEndpoint[ISSUE_READ]).toBe(2);
  });

  it('shows what the stored rollups learnt after the viewer\'s read, still for 0 points', async () => {
    await view('PAY-1', 'u-dev');
    app.jira.updateIssue('PAY-1', { summary: 'Open payouts everywhere', status: 'Done' }, 'u-admin');
    await app.platform.settle();
    const again = await view('PAY-1', 'u-dev');
    expect(again.points).toBe(0);
    expect(again.answer.ok && again.answer.data.epic.summary).toBe('Open payouts everywhere');
  });

  it('asks Jira again when the stored rollups learnt after the viewer\'s read that the epic was deleted', async () => {
    await view('PAY-1', 'u-dev');
    app.jira.deleteIssue('PAY-1', 'u-admin');
    await app.platform.settle();
    const again = await view('PAY-1', 'u-dev');
    expect(again.answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(again.byEndpoint[ISSUE_READ]).toBe(1);
  });

  it('shows the destination the viewer has just set, for 0 points', async () => {
    await view('PAY-1', 'u-dev');
    const moved = await app.call('panel', 'epic/set-destination', { issueKey: 'PAY-1', destinationId: 'D-2' }, 'u-dev');
    expect(moved.ok && moved.data.destination?.id).toBe('D-2');
    const again = await view('PAY-1', 'u-dev');
    expect(again.points).toBe(0);
    expect(again.answer.ok && again.answer.data.destination?.id).toBe('D-2');
  });
});
