/**
 * Issue security, a restricted app and Jira's "No Category" through the real handlers on the local platform
 * (docs/decisions/0012-issue-security.md). Figures worked out by hand from the site below.
 */
import type { SiteInput } from '../../local/jira/site';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { securedBase } from '../../local/jira/testing/secured-site';
import { fullPortfolio } from '../helpers/full-portfolio';

function site(extra: Partial<SiteInput> = {}): SiteInput {
  const { pay, ...base } = securedBase();
  return {
    ...base,
    projects: [
      pay,
      { key: 'OPS', name: 'Operations' },
      { key: 'FIN', name: 'Finance', browse: ['u-admin', 'u-board'] },
    ],
    destinations: [{ id: 'D-1', name: 'Instant payouts', targetDate: '2027-03-01', status: 'active', priority: 1, businessOwner: 'u-board' }],
    issues: [
      { key: 'PAY-1', type: 'Epic', summary: 'Open payouts', status: 'In Progress', destination: 'D-1', created: '2026-09-01' },
      { key: 'PAY-2', type: 'Story', summary: 'Ledger', status: 'Done', parent: 'PAY-1', points: 3, created: '2026-09-02', resolved: '2026-11-01' },
      { key: 'PAY-3', type: 'Epic', summary: 'Secret merger', status: 'In Progress', destination: 'D-1', security: 'Board only', created: '2026-09-03' },
      { key: 'PAY-4', type: 'Story', summary: 'Merger data room', status: 'In Progress', parent: 'PAY-3', points: 5, created: '2026-09-04' },
      { key: 'PAY-5', type: 'Story', summary: 'Parked idea', status: 'Parked', parent: 'PAY-1', points: 2, created: '2026-09-05' },
      { key: 'PAY-6', type: 'Story', summary: 'People-only review', status: 'In Progress', parent: 'PAY-1', points: 8, security: 'Humans only', created: '2026-09-06' },
      { key: 'OPS-1', type: 'Epic', summary: 'Runbooks', status: 'In Progress', destination: 'D-1', created: '2026-09-07' },
      { key: 'OPS-2', type: 'Story', summary: 'Pager rota', status: 'In Progress', parent: 'OPS-1', points: 1, created: '2026-09-08' },
      { key: 'FIN-1', type: 'Epic', summary: 'Budget tooling', status: 'In Progress', destination: 'D-1', created: '2026-09-09' },
      { key: 'FIN-2', type: 'Story', summary: 'Budget import', status: 'To Do', parent: 'FIN-1', points: 13, created: '2026-09-10' },
    ],
    ...extra,
  };
}

const SECRETS = ['PAY-3', 'Secret merger', 'Merger data room'];

function leaked(answer: unknown): string[] {
  const text = JSON.stringify(answer);
  return SECRETS.filter((s) => text.includes(s));
}

describe('issue security for viewers', () => {
  let app: TestApp;
  let warn: jest.SpyInstance;
  beforeAll(async () => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    app = await startTestApp(site());
  }, 60_000);
  afterAll(async () => {
    await app.close();
    warn.mockRestore();
  });

  it('never names a restricted epic, its summary or its figures to a viewer outside the level, in the portfolio', async () => {
    const portfolio = await fullPortfolio(app, 'u-dev', {});
    const [d1] = portfolio.destinations;
    expect(d1?.epicDetails.map((e) => e.key).sort()).toEqual(['OPS-1', 'PAY-1']);
    expect(d1?.hiddenEpics).toBe(2); // PAY-3 (security level) and FIN-1 (project)
    expect(leaked(portfolio)).toEqual([]);
  });

  it('names it to a member of the level', async () => {
    const portfolio = await fullPortfolio(app, 'u-board', {});
    expect(portfolio.destinations[0]?.epicDetails.map((e) => e.key).sort()).toEqual(['FIN-1', 'OPS-1', 'PAY-1', 'PAY-3']);
  });

  it('never names it in the panel of a sibling epic, and refuses its own panel as not found', async () => {
    const panel = await app.data('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev');
    expect(panel.siblings.map((e) => e.key)).toEqual(['OPS-1']);
    expect(panel.hiddenSiblings).toBe(2);
    expect(leaked(panel)).toEqual([]);
    const own = await app.call('panel', 'epic/alignment', { issueKey: 'PAY-3' }, 'u-dev');
    expect(own).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringContaining('PAY-3') } });
    expect(JSON.stringify(own)).not.toContain('Secret merger');
  });

  it('counts what the app may read: a story under a level that leaves the app out is not in any figure', async () => {
    const [d1] = (await fullPortfolio(app, 'u-board', {})).destinations;
    // PAY-2 done; PAY-4, OPS-2 in progress; PAY-5 (No Category) and FIN-2 not started; PAY-6 unseen by the app.
    expect(d1?.progress.count).toEqual({ new: 2, indeterminate: 2, done: 1, total: 5 });
  });

  it('reads a "No Category" status as not started, with a warning, rather than failing the search page', () => {
    expect(warn.mock.calls.map((c) => String(c[0])).some((m) => m.includes('"undefined"') && m.includes('PAY-5'))).toBe(true);
  });

  it('checks admin rights as the user, though the app holds no Administer Jira', async () => {
    expect((await app.data('admin', 'me/get', {}, 'u-admin')).isAdmin).toBe(true);
    expect((await app.data('admin', 'me/get', {}, 'u-dev')).isAdmin).toBe(false);
    const refused = await app.call('admin', 'settings/get', {}, 'u-dev');
    expect(refused.ok || refused.error.code).toBe('FORBIDDEN');
  });
});

describe('an app closed out of a project by an app access rule', () => {
  let app: TestApp;
  beforeAll(async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    app = await startTestApp(site({ appAccess: { blockedProjects: ['FIN'] } }));
  }, 60_000);
  afterAll(async () => {
    await app.close();
    jest.restoreAllMocks();
  });

  it('gives the figures of what it may read, and says that a project is left out', async () => {
    const portfolio = await fullPortfolio(app, 'u-board', {});
    const [d1] = portfolio.destinations;
    expect(d1?.epics).toBe(3);
    expect(d1?.progress.count).toEqual({ new: 1, indeterminate: 2, done: 1, total: 4 });
    const warning = portfolio.warnings.find((w) => w.code === 'APP_RESTRICTED');
    expect(warning).toEqual({
      code: 'APP_RESTRICTED',
      message: 'The app may not read 1 project in scope (FIN), so its work is left out of every figure; issues under a security level that leaves out the app are left out too.',
      refs: ['FIN'],
    });
  });

  it('does not name that project to a viewer who may not browse it', async () => {
    const portfolio = await fullPortfolio(app, 'u-dev', {});
    const warning = portfolio.warnings.find((w) => w.code === 'APP_RESTRICTED');
    expect(warning?.message).toBe('The app may not read 1 project in scope, so its work is left out of every figure; issues under a security level that leaves out the app are left out too.');
    expect(warning?.refs).toEqual([]);
    expect(JSON.stringify(portfolio)).not.toContain('FIN');
  });
});
