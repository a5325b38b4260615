/**
 * The emulator as strict as Jira about who sees what: issue security levels (users and the app), app access
 * rules, checking another account's permissions, the "No Category" status category and short search pages.
 */
import type { IssueEvent } from '../types';
import { loadSite, type SiteInput } from './site';
import { asApp, asUser, harness } from './testing/harness';
import { securedBase } from './testing/secured-site';

interface SearchPage {
  issues: Array<{ id: string; key: string; fields: Record<string, unknown> }>;
  nextPageToken?: string;
  isLast: boolean;
}

function securedSite(extra: Partial<SiteInput> = {}): SiteInput {
  const { pay, ...base } = securedBase();
  return {
    ...base,
    projects: [
      pay,
      { key: 'FIN', name: 'Finance' },
    ],
    issues: [
      { key: 'PAY-1', type: 'Epic', summary: 'Open epic', status: 'In Progress', created: '2026-09-01' },
      { key: 'PAY-2', type: 'Epic', summary: 'Board epic', status: 'In Progress', security: 'Board only', created: '2026-09-02' },
      { key: 'PAY-3', type: 'Story', summary: 'Hidden from the app', status: 'Parked', parent: 'PAY-1', security: 'Humans only', created: '2026-09-03' },
      { key: 'FIN-1', type: 'Epic', summary: 'Finance epic', status: 'To Do', created: '2026-09-04' },
    ],
    ...extra,
  };
}

describe('issue security levels', () => {
  const h = harness(securedSite());

  it('hide an issue from search, count and GET for users outside the level', async () => {
    expect(await h.keys('project = PAY ORDER BY key', asUser('u-dev'))).toEqual(['PAY-1', 'PAY-3']);
    expect(await h.keys('project = PAY ORDER BY key', asUser('u-board'))).toEqual(['PAY-1', 'PAY-2', 'PAY-3']);
    expect((await h.call('GET', '/rest/api/3/issue/PAY-2', undefined, asUser('u-dev'))).status).toBe(404);
    expect((await h.call('GET', '/rest/api/3/issue/PAY-2', undefined, asUser('u-board'))).status).toBe(200);
    const count = await h.call('POST', '/rest/api/3/search/approximate-count', { jql: 'project = PAY' }, asUser('u-dev'));
    expect(count.json).toEqual({ count: 2 });
    // Even a Jira administrator is no member of a level by being an admin.
    expect(await h.keys('project = PAY ORDER BY key', asUser('u-admin'))).toEqual(['PAY-1']);
  });

  it('hide an issue from the app unless the level grants the app', async () => {
    expect(await h.keys('project = PAY ORDER BY key', asApp)).toEqual(['PAY-1', 'PAY-2']);
    expect((await h.call('GET', '/rest/api/3/issue/PAY-3')).status).toBe(404);
    const err = await h.call('POST', '/rest/api/3/search/jql', { jql: 'parent = PAY-3' }, asUser('u-admin'));
    expect(err.status).toBe(400);
  });

  it('follow a level set or cleared later, with the change in the event', async () => {
    const h2 = harness(securedSite());
    const seen: IssueEvent[] = [];
    const stop = h2.emulator.onIssueEvent((e) => seen.push(e));
    h2.emulator.updateIssue('PAY-1', { security: 'board only' }, 'u-board');
    expect((await h2.call('GET', '/rest/api/3/issue/PAY-1', undefined, asUser('u-dev'))).status).toBe(404);
    h2.emulator.updateIssue('PAY-1', { security: null }, 'u-board');
    expect((await h2.call('GET', '/rest/api/3/issue/PAY-1', undefined, asUser('u-dev'))).status).toBe(200);
    stop();
    expect(seen.map((e) => e.changelog?.items.map((i) => [i.field, i.fromString, i.toString]))).toEqual([[['security', null, 'Board only']], [['security', 'Board only', null]]]);
    expect(() => h2.emulator.updateIssue('PAY-1', { security: 'Nobody' }, 'u-board')).toThrow(/Security level 'Nobody' is not valid for project PAY/);
  });

  it('grant nothing on a hidden issue in the bulk check', async () => {
    const res = await h.call('POST', '/rest/api/3/permissions/check', { projectPermissions: [{ permissions: ['BROWSE_PROJECTS', 'EDIT_ISSUES'], issues: [10001, 10002, 10003] }] }, asUser('u-dev'));
    expect(res.json).toEqual({
      globalPermissions: [],
      projectPermissions: [
        { permission: 'BROWSE_PROJECTS', projects: [], issues: [10001, 10003] },
        { permission: 'EDIT_ISSUES', projects: [], issues: [10001, 10003] },
      ],
    });
  });

  it('are refused in a site file when the project has no such level, naming the path', () => {
    const bad = securedSite();
    (bad.issues ?? [])[0]!.security = 'Nobody';
    expect(() => loadSite(bad)).toThrow('issues[0].security: unknown security level "Nobody" in project PAY (known: Board only, Humans only)');
    const noScheme = securedSite();
    (noScheme.issues ?? [])[3]!.security = 'Board only';
    expect(() => loadSite(noScheme)).toThrow('issues[3].security: project FIN has no security levels');
    const badMember = securedSite();
    badMember.projects[0]!.securityLevels![1]!.users = ['u-ghost'];
    expect(() => loadSite(badMember)).toThrow('projects[0].securityLevels[1].users[0]: unknown user "u-ghost"');
    const dup = securedSite();
    dup.projects[0]!.securityLevels![1]!.name = 'board ONLY';
    expect(() => loadSite(dup)).toThrow('projects[0].securityLevels[1].name: duplicate security level name "board only"');
  });
});

describe('app access rules', () => {
  const h = harness(securedSite({ appAccess: { blockedProjects: ['FIN'] } }));

  it('hide a blocked project\'s issues from the app but not its key and name', async () => {
    expect(await h.keys('project in (PAY, FIN) ORDER BY key')).toEqual(['PAY-1', 'PAY-2']);
    expect((await h.call('GET', '/rest/api/3/issue/FIN-1')).status).toBe(404);
    const projects = (await h.call('GET', '/rest/api/3/project/search')).json as { values: Array<{ key: string }> };
    expect(projects.values.map((p) => p.key)).toEqual(['PAY', 'FIN']);
    // People still see it: the rule is about the app.
    expect(await h.keys('project = FIN', asUser('u-dev'))).toEqual(['FIN-1']);
  });

  it('send the app no events about a blocked project', () => {
    const seen: IssueEvent[] = [];
    const stop = h.emulator.onIssueEvent((e) => seen.push(e));
    h.emulator.updateIssue('FIN-1', { status: 'In Progress' }, 'u-dev');
    h.emulator.updateIssue('PAY-1', { status: 'Done' }, 'u-dev');
    stop();
    expect(seen.map((e) => e.issue.key)).toEqual(['PAY-1']);
  });

  it('are refused in a site file for an unknown project', () => {
    expect(() => loadSite(securedSite({ appAccess: { blockedProjects: ['NOPE'] } }))).toThrow('appAccess.blockedProjects[0]: unknown project "NOPE" (known: PAY, FIN)');
  });
});

describe('checking another account\'s permissions', () => {
  const body = { accountId: 'u-dev', globalPermissions: ['ADMINISTER'] };

  it('needs Administer Jira, for the app as for a person', async () => {
    const h = harness(securedSite());
    expect((await h.call('POST', '/rest/api/3/permissions/check', body)).status).toBe(403);
    expect((await h.call('POST', '/rest/api/3/permissions/check', body, asUser('u-board'))).status).toBe(403);
    expect((await h.call('POST', '/rest/api/3/permissions/check', body, asUser('u-admin'))).status).toBe(200);
    // One's own account id is no other account.
    expect((await h.call('POST', '/rest/api/3/permissions/check', body, asUser('u-dev'))).status).toBe(200);
  });

  it('is allowed to an app whose user holds Administer Jira', async () => {
    const h = harness(securedSite({ appAccess: { administer: true } }));
    const res = await h.call('POST', '/rest/api/3/permissions/check', body);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ globalPermissions: [], projectPermissions: [] });
  });
});

describe('the "No Category" status category', () => {
  const h = harness(securedSite());

  it('is Jira\'s fourth category: id 1, key "undefined"', async () => {
    const issue = (await h.call('GET', '/rest/api/3/issue/PAY-3?fields=status', undefined, asUser('u-dev'))).json as { fields: { status: { statusCategory: unknown } } };
    expect(issue.fields.status.statusCategory).toMatchObject({ id: 1, key: 'undefined', name: 'No Category', colorName: 'medium-gray' });
    expect(await h.keys('statusCategory = "No Category"', asUser('u-dev'))).toEqual(['PAY-3']);
  });
});

describe('short search pages', () => {
  const issues: NonNullable<SiteInput['issues']> = Array.from({ length: 230 }, (_, i) => ({ key: `PAY-${i + 1}`, type: 'Task', summary: `Task ${i + 1}`, status: 'To Do', created: '2026-09-01' }));
  const h = harness(securedSite({ issues }));

  it('hold fewer issues than asked when many fields are asked, and the token carries on', async () => {
    const fields = ['summary', 'status', 'project', 'parent', 'resolutiondate'];
    const first = (await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = PAY ORDER BY key', fields, maxResults: 100 })).json as SearchPage;
    expect(first.issues).toHaveLength(80);
    expect(first.isLast).toBe(false);
    const all = (await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = PAY ORDER BY key', fields: ['*all'], maxResults: 100 })).json as SearchPage;
    expect(all.issues).toHaveLength(33);
    const seen = [...first.issues.map((i) => i.key)];
    let token = first.nextPageToken;
    while (token) {
      const page = (await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = PAY ORDER BY key', fields, maxResults: 100, nextPageToken: token })).json as SearchPage;
      seen.push(...page.issues.map((i) => i.key));
      token = page.isLast ? undefined : page.nextPageToken;
    }
    expect(new Set(seen).size).toBe(230);
  });
});
