import type { IssueEvent } from '../types';
import { generateSite } from '../sites/generate-demo';
import { asApp, asUser, harness } from './testing/harness';
import { defaultFaults } from './faults';
import { SCAN_SLICE } from './emulator/state';

interface SearchPage {
  issues: Array<{ id: string; key: string; fields: Record<string, unknown> }>;
  nextPageToken?: string;
  isLast: boolean;
}
interface JiraErrors {
  errorMessages: string[];
  errors: Record<string, string>;
}

const bigSite = generateSite({ seed: 7, epics: 60, issuesPerEpic: 100, destinations: 3 });

describe('search paging', () => {
  const h = harness(bigSite);

  it('caps pages at 100 when fields are asked and at 5000 for ids only', async () => {
    const withFields = await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = P1', fields: ['summary'], maxResults: 1000 });
    expect((withFields.json as SearchPage).issues).toHaveLength(100);
    const idsOnly = await h.call('POST', '/rest/api/3/search/jql', { jql: 'project in (P1, P2, P3, P4)', fields: ['id'], maxResults: 10000 });
    const page = idsOnly.json as SearchPage;
    expect(page.issues).toHaveLength(5000);
    expect(page.isLast).toBe(false);
    expect(page.issues[0]?.fields).toEqual({});
  });

  it('walks every page once with nextPageToken, then says isLast without a token', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    for (;;) {
      const res = await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = P2 ORDER BY key', fields: ['summary'], maxResults: 100, nextPageToken: token });
      const page = res.json as SearchPage;
      seen.push(...page.issues.map((i) => i.key));
      pages++;
      if (page.isLast) {
        expect(page.nextPageToken).toBeUndefined();
        break;
      }
      token = page.nextPageToken;
    }
    const total = bigSite.issues.filter((i) => i.key.startsWith('P2-')).length;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 100));
  });

  it('lets the event loop run while it scans a big site, and answers as of the last write made meanwhile', async () => {
    // More issues than one slice of the scan, so the search yields at least once.
    expect(bigSite.issues.length).toBeGreaterThan(SCAN_SLICE);
    let turned = false;
    setImmediate(() => (turned = true));
    const searching = h.call('POST', '/rest/api/3/search/jql', { jql: 'project in (P1, P2, P3, P4) AND summary ~ "zebra" ORDER BY key', fields: ['summary'] });
    // While the scan waits for its next slice, an issue it has already passed starts to match.
    await new Promise((resolve) => setImmediate(resolve));
    const key = bigSite.issues[0]?.key ?? '';
    h.emulator.updateIssue(key, { summary: 'zebra crossing' }, 'app');
    const page = (await searching).json as SearchPage;
    expect(turned).toBe(true);
    expect(page.issues.map((i) => i.key)).toEqual([key]);
    expect(await h.keys('project in (P1, P2, P3, P4) AND summary ~ "zebra"')).toEqual([key]);
  });

  it('defaults to 50 issues with only the id when nothing is asked', async () => {
    const page = (await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = P1' })).json as SearchPage;
    expect(page.issues).toHaveLength(50);
    expect(page.issues[0]?.fields).toEqual({});
  });

  it('refuses a token that it did not issue, or one issued for another query', async () => {
    const first = (await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = P1', maxResults: 10 })).json as SearchPage;
    const other = await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = P2', nextPageToken: first.nextPageToken });
    expect(other.status).toBe(400);
    const garbage = await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = P1', nextPageToken: 'abc' });
    expect(garbage.status).toBe(400);
    expect((garbage.json as JiraErrors).errorMessages).toEqual(['Invalid nextPageToken.']);
  });

  it('answers the GET variant with the same results as POST', async () => {
    const get = await h.call('GET', `/rest/api/3/search/jql?jql=${encodeURIComponent('parent = P1-1 ORDER BY key')}&fields=summary,status&maxResults=5`);
    const post = await h.call('POST', '/rest/api/3/search/jql', { jql: 'parent = P1-1 ORDER BY key', fields: ['summary', 'status'], maxResults: 5 });
    expect(get.status).toBe(200);
    expect(get.json).toEqual(post.json);
  });

  it('counts with approximate-count what the search would return', async () => {
    const res = await h.call('POST', '/rest/api/3/search/approximate-count', { jql: 'project = P3 AND statusCategory = Done' });
    const expected = (await h.keys('project = P3 AND statusCategory = Done')).length;
    expect(res.json).toEqual({ count: expected });
    expect(expected).toBeGreaterThan(0);
  });

  it('answers 410 on the removed /rest/api/3/search, GET and POST', async () => {
    expect((await h.call('GET', '/rest/api/3/search?jql=project=P1')).status).toBe(410);
    expect((await h.call('POST', '/rest/api/3/search', { jql: 'project = P1' })).status).toBe(410);
  });

  it('refuses more than 50 reconcileIssues', async () => {
    const res = await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = P1', reconcileIssues: Array.from({ length: 51 }, (_, i) => 10001 + i) });
    expect(res.status).toBe(400);
  });
});

describe('issue fields', () => {
  const h = harness();

  it('returns the documented shapes for status, type, parent, project, dates, estimates and the app field', async () => {
    const res = await h.call('GET', '/rest/api/3/issue/PAY-3');
    const f = (res.json as { fields: Record<string, unknown> }).fields;
    expect(f.summary).toBe('Payout API');
    expect(f.status).toMatchObject({ name: 'In Progress', statusCategory: { id: 4, key: 'indeterminate', name: 'In Progress' } });
    expect(f.issuetype).toMatchObject({ name: 'Story', hierarchyLevel: 0, subtask: false });
    expect(f.parent).toMatchObject({ id: '10001', key: 'PAY-1', fields: { summary: 'Payout engine' } });
    expect(f.project).toMatchObject({ id: '10000', key: 'PAY', name: 'Payments' });
    expect(f.created).toBe('2026-09-03T12:00:00.000+0000');
    expect(f.resolutiondate).toBeNull();
    expect(f.timeoriginalestimate).toBe(28800);
    expect(f.customfield_10016).toBe(5);
    expect(f.customfield_10100).toBeNull();
  });

  it('holds {id, name} for a known destination and {id} alone for an unknown one', async () => {
    const known = await h.call('GET', '/rest/api/3/issue/PAY-1?fields=customfield_10100');
    expect((known.json as { fields: unknown }).fields).toEqual({ customfield_10100: { id: 'D-1', name: 'Instant payouts' } });
    const unknown = await h.call('GET', '/rest/api/3/issue/PAY-8?fields=customfield_10100');
    expect((unknown.json as { fields: unknown }).fields).toEqual({ customfield_10100: { id: 'D-404' } });
  });

  it('ignores unknown fields and honours exclusions', async () => {
    const res = await h.call('GET', '/rest/api/3/issue/PAY-2?fields=summary,nonsense,customfield_99999');
    expect(Object.keys((res.json as { fields: object }).fields)).toEqual(['summary']);
    const all = await h.call('GET', '/rest/api/3/issue/PAY-2?fields=*all,-summary');
    expect((all.json as { fields: object }).fields).not.toHaveProperty('summary');
    expect((all.json as { fields: object }).fields).toHaveProperty('status');
  });

  it('leaves parent out for an issue that has none', async () => {
    const res = await h.call('GET', '/rest/api/3/issue/PAY-7?fields=parent,summary');
    expect((res.json as { fields: object }).fields).toEqual({ summary: 'Orphan task' });
  });

  it('lists the app field as Jira lists a Forge object field, and the story points field', async () => {
    const fields = (await h.call('GET', '/rest/api/3/field')).json as Array<Record<string, unknown>>;
    expect(fields.find((f) => f.id === 'customfield_10100')).toMatchObject({
      key: '00000000-0000-4000-8000-000000000000__DEVELOPMENT__business-destination-field',
      name: 'Business destination',
      custom: true,
      schema: { type: 'any', custom: 'ari:cloud:ecosystem::extension/00000000-0000-4000-8000-000000000000/env-1/static/business-destination-field', customId: 10100 },
    });
    expect(fields.find((f) => f.id === 'customfield_10016')).toMatchObject({ name: 'Story point estimate', schema: { custom: 'com.pyxis.greenhopper.jira:jsw-story-points' } });
  });

  it('lists issue types with their hierarchy level', async () => {
    const types = (await h.call('GET', '/rest/api/3/issuetype')).json as Array<{ name: string; hierarchyLevel: number; subtask: boolean }>;
    expect(types.map((t) => [t.name, t.hierarchyLevel, t.subtask])).toEqual([
      ['Epic', 1, false],
      ['Story', 0, false],
      ['Task', 0, false],
      ['Bug', 0, false],
      ['Sub-task', -1, true],
    ]);
  });
});

describe('permissions', () => {
  const h = harness();

  it('answers 404 for an issue the user may not browse, exactly as for a missing one', async () => {
    const hidden = await h.call('GET', '/rest/api/3/issue/SEC-1', undefined, asUser('u-dev'));
    const missing = await h.call('GET', '/rest/api/3/issue/PAY-999', undefined, asUser('u-dev'));
    expect(hidden.status).toBe(404);
    expect(hidden.json).toEqual(missing.json);
    expect((await h.call('GET', '/rest/api/3/issue/SEC-1', undefined, asUser('u-leader'))).status).toBe(200);
  });

  it('answers 404 to an edit of a hidden issue and 403 to a user who may browse but not edit', async () => {
    const body = { fields: { summary: 'changed' } };
    expect((await h.call('PUT', '/rest/api/3/issue/SEC-1', body, asUser('u-dev'))).status).toBe(404);
    expect((await h.call('PUT', '/rest/api/3/issue/SEC-1', body, asUser('u-leader'))).status).toBe(403);
    expect((await h.call('PUT', '/rest/api/3/issue/SEC-1', body, asUser('u-admin'))).status).toBe(204);
    expect(h.emulator.issue('SEC-1')?.summary).toBe('changed');
  });

  it('answers 401 for an account the site does not know', async () => {
    const res = await h.call('GET', '/rest/api/3/myself', undefined, asUser('u-ghost'));
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ errorMessages: ['Client must be authenticated to access this resource.'], errors: {} });
  });

  it('lists only browsable projects, paged', async () => {
    const dev = (await h.call('GET', '/rest/api/3/project/search', undefined, asUser('u-dev'))).json as { values: Array<{ key: string }>; total: number };
    expect(dev.values.map((p) => p.key)).toEqual(['PAY']);
    const page = (await h.call('GET', '/rest/api/3/project/search?maxResults=1&startAt=1')).json as { values: Array<{ key: string }>; isLast: boolean; total: number };
    expect(page).toMatchObject({ values: [{ key: 'SEC' }], isLast: true, total: 2 });
  });

  it('checks bulk permissions for another user when a Jira administrator asks', async () => {
    const res = await h.call('POST', '/rest/api/3/permissions/check', {
      accountId: 'u-dev',
      globalPermissions: ['ADMINISTER'],
      projectPermissions: [{ permissions: ['BROWSE_PROJECTS', 'EDIT_ISSUES'], projects: [10000, 10001], issues: [10001, 10009] }],
    }, asUser('u-admin'));
    expect(res.json).toEqual({
      globalPermissions: [],
      projectPermissions: [
        { permission: 'BROWSE_PROJECTS', projects: [10000], issues: [10001] },
        { permission: 'EDIT_ISSUES', projects: [10000], issues: [10001] },
      ],
    });
    const admin = await h.call('POST', '/rest/api/3/permissions/check', { globalPermissions: ['ADMINISTER'] }, asUser('u-admin'));
    expect(admin.json).toEqual({ globalPermissions: ['ADMINISTER'], projectPermissions: [] });
  });

  it('does not let a non-admin user check someone else', async () => {
    const res = await h.call('POST', '/rest/api/3/permissions/check', { accountId: 'u-admin', globalPermissions: ['ADMINISTER'] }, asUser('u-dev'));
    expect(res.status).toBe(403);
  });

  it('answers mypermissions per user and per project', async () => {
    const path = '/rest/api/3/mypermissions?permissions=ADMINISTER,BROWSE_PROJECTS';
    const perms = async (p: string, who: string): Promise<Record<string, { havePermission: boolean }>> =>
      ((await h.call('GET', p, undefined, asUser(who))).json as { permissions: Record<string, { havePermission: boolean }> }).permissions;
    expect((await perms(path, 'u-admin')).ADMINISTER?.havePermission).toBe(true);
    expect((await perms(path, 'u-leader')).ADMINISTER?.havePermission).toBe(false);
    expect((await perms(`${path}&projectKey=PAY`, 'u-dev')).BROWSE_PROJECTS?.havePermission).toBe(true);
    expect((await h.call('GET', `${path}&projectKey=SEC`, undefined, asUser('u-dev'))).status).toBe(404);
    expect((await h.call('GET', '/rest/api/3/mypermissions', undefined, asUser('u-dev'))).status).toBe(400);
  });
});

describe('writes and events', () => {
  it('fires an updated event with a changelog when a user edits the app field', async () => {
    const h = harness();
    const events: IssueEvent[] = [];
    h.emulator.onIssueEvent((e) => events.push(e));
    const res = await h.call('PUT', '/rest/api/3/issue/PAY-6', { fields: { customfield_10100: { id: 'D-1', name: 'Instant payouts' } } }, asUser('u-dev'));
    expect(res.status).toBe(204);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventType: 'avi:jira:updated:issue',
      issue: { id: '10006', key: 'PAY-6' },
      atlassianId: 'u-dev',
      selfGenerated: false,
      changelog: { items: [{ field: 'Business destination', fieldtype: 'custom', fieldId: 'customfield_10100', from: null, fromString: null, to: JSON.stringify({ id: 'D-1', name: 'Instant payouts' }), toString: 'Instant payouts' }] },
    });
    // Only the fields Forge's type reference documents: the value itself is in the changelog, not in `fields`.
    expect(Object.keys(events[0]?.issue.fields ?? {}).sort()).toEqual(['created', 'issuetype', 'project', 'status', 'summary', 'updated']);
    expect(events[0]?.issue.fields.issuetype).not.toHaveProperty('hierarchyLevel');
  });

  it('stamps an event\'s fields.updated on the site clock, and lists every status with its category', async () => {
    const h = harness();
    const events: IssueEvent[] = [];
    h.emulator.onIssueEvent((e) => events.push(e));
    const before = Date.now();
    await h.call('PUT', '/rest/api/3/issue/PAY-6', { fields: { summary: 'Renamed' } }, asUser('u-dev'));
    const updated = Date.parse(String(events[0]?.issue.fields.updated).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    expect(updated).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    const statuses = await h.call('GET', '/rest/api/3/status', undefined);
    expect(statuses.status).toBe(200);
    expect(statuses.json).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Done', statusCategory: expect.objectContaining({ key: 'done' }) })]));
  });

  it('marks app field API writes as self-generated by the app user, and validates before writing', async () => {
    const h = harness();
    const events: IssueEvent[] = [];
    h.emulator.onIssueEvent((e) => events.push(e));
    const bad = await h.call('PUT', '/rest/api/3/app/field/customfield_10100/value', { updates: [{ issueIds: [10006], value: { id: 'D-1' } }, { issueIds: [99999], value: null }] });
    expect(bad.status).toBe(404);
    expect(h.emulator.issue('PAY-6')?.appValue).toBeNull();
    expect(events).toEqual([]);
    const ok = await h.call('PUT', '/rest/api/3/app/field/customfield_10100/value', { updates: [{ issueIds: [10006, 10008], value: { id: 'D-1', name: 'Instant payouts' } }] });
    expect(ok.status).toBe(204);
    expect(events.map((e) => [e.issue.key, e.selfGenerated, e.atlassianId])).toEqual([
      ['PAY-6', true, h.emulator.appAccountId],
      ['PAY-8', true, h.emulator.appAccountId],
    ]);
  });

  it('refuses the app field API to users and a value that breaks the field schema', async () => {
    const h = harness();
    const body = { updates: [{ issueIds: [10006], value: { id: 'D-1' } }] };
    expect((await h.call('PUT', '/rest/api/3/app/field/customfield_10100/value', body, asUser('u-admin'))).status).toBe(403);
    expect((await h.call('PUT', '/rest/api/3/app/field/customfield_10100/value', { updates: [{ issueIds: [10006], value: 'D-1' }] })).status).toBe(400);
    expect((await h.call('PUT', '/rest/api/3/app/field/customfield_10016/value', body)).status).toBe(404);
  });

  it('sets and clears the resolution date with transitions', async () => {
    const h = harness();
    const events: IssueEvent[] = [];
    h.emulator.onIssueEvent((e) => events.push(e));
    const transitions = (await h.call('GET', '/rest/api/3/issue/PAY-4/transitions')).json as { transitions: Array<{ id: string; to: { name: string } }> };
    const done = transitions.transitions.find((t) => t.to.name === 'Done');
    expect(done).toBeDefined();
    expect((await h.call('POST', '/rest/api/3/issue/PAY-4/transitions', { transition: { id: done?.id } })).status).toBe(204);
    expect(await h.keys('key = PAY-4 AND statusCategory = Done AND resolved >= startOfDay()')).toEqual(['PAY-4']);
    expect(events[0]?.changelog?.items.map((i) => i.field)).toEqual(['status', 'resolution']);
    h.emulator.updateIssue('PAY-4', { status: 'In Progress' }, 'u-dev');
    expect(h.emulator.issue('PAY-4')?.resolved).toBeNull();
    expect((await h.call('POST', '/rest/api/3/issue/PAY-4/transitions', { transition: { id: '999' } })).status).toBe(400);
  });

  it('creates an issue with the next key in its project and fires a created event', async () => {
    const h = harness();
    const events: IssueEvent[] = [];
    h.emulator.onIssueEvent((e) => events.push(e));
    const res = await h.call('POST', '/rest/api/3/issue', { fields: { project: { key: 'PAY' }, issuetype: { name: 'Story' }, summary: 'New', parent: { key: 'PAY-1' }, customfield_10016: 3 } }, asUser('u-dev'));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: '10011', key: 'PAY-9' });
    expect(events[0]).toMatchObject({ eventType: 'avi:jira:created:issue', issue: { key: 'PAY-9' }, atlassianId: 'u-dev' });
    expect(await h.keys('parent = PAY-1 AND cf[10016] = 3')).toEqual(['PAY-9', 'PAY-2']);
  });

  it('refuses to set a field Jira would not let the user set', async () => {
    const h = harness();
    const res = await h.call('PUT', '/rest/api/3/issue/PAY-2', { fields: { status: { name: 'Done' } } });
    expect(res.status).toBe(400);
    expect((res.json as JiraErrors).errors.status).toMatch(/cannot be set/);
    const wrongParent = await h.call('PUT', '/rest/api/3/issue/PAY-2', { fields: { parent: { key: 'PAY-3' } } });
    expect(wrongParent.status).toBe(400);
  });

  it('deletes an issue with its sub-tasks only when asked, and fires one deleted event (no cascade)', async () => {
    const h = harness();
    const events: IssueEvent[] = [];
    h.emulator.onIssueEvent((e) => events.push(e));
    expect((await h.call('DELETE', '/rest/api/3/issue/PAY-3')).status).toBe(400);
    expect((await h.call('DELETE', '/rest/api/3/issue/PAY-3?deleteSubtasks=true')).status).toBe(204);
    expect(events.map((e) => [e.eventType, e.issue.key])).toEqual([['avi:jira:deleted:issue', 'PAY-3']]);
    expect((await h.call('GET', '/rest/api/3/issue/PAY-5')).status).toBe(404);
  });

  it('leaves a deleted epic\'s children without a parent and sends them no event', () => {
    const h = harness();
    const events: IssueEvent[] = [];
    h.emulator.onIssueEvent((e) => events.push(e));
    const updatedBefore = h.emulator.issue('PAY-2')?.updated;
    h.emulator.deleteIssue('PAY-1', 'u-admin');
    expect(events.map((e) => [e.eventType, e.issue.key])).toEqual([['avi:jira:deleted:issue', 'PAY-1']]);
    expect(h.emulator.issue('PAY-2')).toMatchObject({ parentKey: null, updated: updatedBefore });
    expect(h.emulator.issue('PAY-4')?.parentKey).toBeNull();
  });

  it('moves an issue to another project: new key, same id, one event naming the old key', async () => {
    const h = harness();
    const events: IssueEvent[] = [];
    h.emulator.onIssueEvent((e) => events.push(e));
    const id = h.emulator.issue('PAY-1')?.id;
    const { key } = h.emulator.moveIssue('PAY-1', 'SEC', 'u-admin');
    expect(key).toBe('SEC-3');
    expect(h.emulator.issue(key)?.id).toBe(id);
    expect(h.emulator.issue('PAY-2')?.parentKey).toBe('SEC-3');
    expect(events).toHaveLength(1);
    expect(events[0]?.changelog?.items).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'Key', fromString: 'PAY-1', toString: 'SEC-3' }), expect.objectContaining({ field: 'project', fromString: 'Payments' })]));
    expect(await h.keys('parent = SEC-3')).toEqual(['PAY-4', 'PAY-3', 'PAY-2']);
  });

  it('fires events for the direct methods, as made by the actor', () => {
    const h = harness();
    const events: IssueEvent[] = [];
    const off = h.emulator.onIssueEvent((e) => events.push(e));
    const { key } = h.emulator.createIssue({ project: 'PAY', type: 'Task', summary: 'direct', status: 'To Do' }, 'u-leader');
    h.emulator.updateIssue(key, { destination: 'D-1', points: 2 }, 'app');
    h.emulator.deleteIssue(key, 'u-admin');
    off();
    h.emulator.createIssue({ project: 'PAY', type: 'Task', summary: 'unheard', status: 'To Do' }, 'u-leader');
    expect(events.map((e) => [e.eventType, e.atlassianId, e.selfGenerated])).toEqual([
      ['avi:jira:created:issue', 'u-leader', false],
      ['avi:jira:updated:issue', h.emulator.appAccountId, true],
      ['avi:jira:deleted:issue', 'u-admin', false],
    ]);
    expect(events[1]?.changelog?.items.map((i) => i.field)).toEqual(['Story point estimate', 'Business destination']);
  });

  it('does not fire an event for an edit that changes nothing', async () => {
    const h = harness();
    const events: IssueEvent[] = [];
    h.emulator.onIssueEvent((e) => events.push(e));
    await h.call('PUT', '/rest/api/3/issue/PAY-2', { fields: { summary: 'Ledger entries' } });
    expect(events).toEqual([]);
  });

  it('throws from a direct method given an unknown status, and changes nothing', () => {
    const h = harness();
    expect(() => h.emulator.updateIssue('PAY-2', { status: 'Doing' }, 'u-admin')).toThrow(/unknown status "Doing"/);
    expect(h.emulator.issue('PAY-2')?.status).toBe('Done');
  });
});

describe('stale index', () => {
  it('is stale by default and catches up a documented lag later on the write clock', async () => {
    const h = harness();
    h.emulator.faults.staleIndex = true;
    h.emulator.faults.indexLagMs = 3000;
    h.emulator.updateIssue('PAY-7', { parent: 'PAY-6' }, 'u-dev');
    expect(await h.keys('parent = PAY-6')).toEqual([]);
    h.emulator.updateIssue('PAY-2', { summary: 'one' }, 'u-dev');
    h.emulator.updateIssue('PAY-2', { summary: 'two' }, 'u-dev');
    expect(await h.keys('parent = PAY-6')).toEqual([]);
    h.emulator.updateIssue('PAY-2', { summary: 'three' }, 'u-dev');
    expect(await h.keys('parent = PAY-6')).toEqual(['PAY-7']);
  });

  it('starts stale in a fresh emulator', () => {
    expect(defaultFaults().staleIndex).toBe(true);
  });

  it('serves searches from the index before the last writes unless the ids are reconciled', async () => {
    const h = harness();
    h.emulator.faults.staleIndex = true;
    await h.call('PUT', '/rest/api/3/app/field/customfield_10100/value', { updates: [{ issueIds: [10006], value: { id: 'D-1', name: 'Instant payouts' } }] });
    const jql = 'cf[10100] ~ "D-1"';
    expect((await h.keys(jql)).sort()).toEqual(['PAY-1', 'SEC-1']);
    const reconciled = await h.call('POST', '/rest/api/3/search/jql', { jql, reconcileIssues: [10006] });
    expect((reconciled.json as SearchPage).issues.map((i) => i.key).sort()).toEqual(['PAY-1', 'PAY-6', 'SEC-1']);
    // Reading the issue itself is always fresh, as in Jira.
    expect(((await h.call('GET', '/rest/api/3/issue/PAY-6?fields=customfield_10100')).json as { fields: unknown }).fields).toEqual({ customfield_10100: { id: 'D-1', name: 'Instant payouts' } });
    h.emulator.syncIndex();
    expect((await h.keys(jql)).sort()).toEqual(['PAY-1', 'PAY-6', 'SEC-1']);
  });

  it('still finds a deleted issue in a stale index, and a created one only when reconciled', async () => {
    const h = harness();
    h.emulator.faults.staleIndex = true;
    h.emulator.deleteIssue('PAY-7', 'u-admin');
    const { id } = h.emulator.createIssue({ project: 'PAY', type: 'Task', summary: 'fresh', status: 'To Do' }, 'u-admin');
    expect(await h.keys('project = PAY AND issuetype = Task')).toEqual(['PAY-7']);
    const res = await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = PAY AND issuetype = Task', fields: ['key'], reconcileIssues: [Number(id)] });
    expect((res.json as SearchPage).issues.map((i) => i.key)).toEqual(['PAY-9', 'PAY-7']);
    h.emulator.faults.staleIndex = false;
    expect(await h.keys('project = PAY AND issuetype = Task')).toEqual(['PAY-9']);
  });
});

describe('faults and the request log', () => {
  it('answers 429 with Retry-After when asked to', async () => {
    const h = harness();
    Object.assign(h.emulator.faults, { rate429: 1, retryAfterSeconds: 7 });
    const res = await h.call('GET', '/rest/api/3/myself');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
  });

  it('answers 5xx and garbage bodies when asked to', async () => {
    const h = harness();
    h.emulator.faults.rate5xx = 1;
    expect([500, 502, 503]).toContain((await h.call('GET', '/rest/api/3/myself')).status);
    Object.assign(h.emulator.faults, { rate5xx: 0, rateGarbage: 1 });
    const garbage = await h.call('GET', '/rest/api/3/myself');
    expect(garbage.status).toBe(200);
    expect(() => JSON.parse(garbage.raw.body ?? '')).toThrow();
  });

  it('draws the same faults for the same seed', async () => {
    const statuses = async (): Promise<number[]> => {
      const h = harness();
      Object.assign(h.emulator.faults, { rate429: 0.3, rate5xx: 0.3, seed: 42 });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await h.call('GET', '/rest/api/3/myself')).status);
      return out;
    };
    const first = await statuses();
    expect(await statuses()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(2);
  });

  it('adds the configured latency', async () => {
    const h = harness();
    h.emulator.faults.latencyMs = 40;
    const start = Date.now();
    await h.call('GET', '/rest/api/3/myself');
    expect(Date.now() - start).toBeGreaterThanOrEqual(35);
  });

  it('counts requests per templated endpoint, and resets', async () => {
    const h = harness();
    await h.call('GET', '/rest/api/3/issue/PAY-1');
    await h.call('GET', '/rest/api/3/issue/10002?fields=summary');
    await h.call('POST', '/rest/api/3/search/jql', { jql: 'project = PAY' });
    expect(h.emulator.requestLog()).toEqual({ 'GET /rest/api/3/issue/{issueIdOrKey}': 2, 'POST /rest/api/3/search/jql': 1 });
    h.emulator.resetRequestLog();
    expect(h.emulator.requestLog()).toEqual({});
  });
});

describe('users and the shell helpers', () => {
  const h = harness();

  it('answers user, bulk and search lookups', async () => {
    expect((await h.call('GET', '/rest/api/3/user?accountId=u-leader')).json).toMatchObject({ accountId: 'u-leader', displayName: 'Bea Leader', accountType: 'atlassian' });
    expect((await h.call('GET', '/rest/api/3/user?accountId=u-ghost')).status).toBe(404);
    const bulk = (await h.call('GET', '/rest/api/3/user/bulk?accountId=u-admin&accountId=u-ghost&accountId=u-dev')).json as { values: Array<{ accountId: string }> };
    expect(bulk.values.map((u) => u.accountId)).toEqual(['u-admin', 'u-dev']);
    const found = (await h.call('GET', '/rest/api/3/user/search?query=patel')).json as Array<{ accountId: string }>;
    expect(found.map((u) => u.accountId)).toEqual(['u-dev']);
  });

  it('lists users and epics for the shell', () => {
    expect(h.emulator.users().find((u) => u.admin)?.accountId).toBe('u-admin');
    expect(h.emulator.epics().map((e) => e.key)).toEqual(['PAY-1', 'PAY-6', 'PAY-8', 'SEC-1']);
    expect(h.emulator.today).toBe('2026-11-25');
    expect(h.emulator.appFieldId).toBe('customfield_10100');
  });

  it('answers myself as the app user for the app', async () => {
    expect((await h.call('GET', '/rest/api/3/myself', undefined, asApp)).json).toMatchObject({ accountType: 'app', accountId: h.emulator.appAccountId });
  });

  it('answers 404 for an endpoint it does not emulate and 405 for a wrong method', async () => {
    expect((await h.call('GET', '/rest/api/3/dashboard')).status).toBe(404);
    expect((await h.call('PATCH', '/rest/api/3/field')).status).toBe(405);
  });
});
