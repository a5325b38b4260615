/**
 * The field and the panel as Jira shows them (issue 9, point 7), through the real app on the local platform:
 * display conditions by hierarchy level (a localised epic type keeps them, a story does not get them), the
 * field's edit.validation on user edits (not on the app field API), and a rename rewriting every aligned epic's
 * stored field value in the background.
 */
import path from 'node:path';
import { MODULE_KEYS } from '../../src/contract';
import { smallSite } from '../../local/jira/testing/small-site';
import { startServer, type RunningServer } from '../../local/server/server';
import { startTestApp, type TestApp } from '../helpers/local-app';

const ROOT = path.join(__dirname, '../..');
const EPIC = 'Épopée';

/** The small site with the epic type localised: the name is no longer "Epic", the level is still 1. */
function localisedSite() {
  const site = smallSite();
  return {
    ...site,
    issueTypes: [
      { name: EPIC, hierarchyLevel: 1 },
      { name: 'Story', hierarchyLevel: 0 },
      { name: 'Task', hierarchyLevel: 0 },
      { name: 'Sub-task', hierarchyLevel: -1 },
    ],
    issues: (site.issues ?? []).map((i) => (i.type === 'Epic' ? { ...i, type: EPIC } : i)),
  };
}

const asUser = (accountId: string) => ({ kind: 'user' as const, accountId });

async function putIssue(app: TestApp, key: string, value: unknown, accountId = 'u-admin') {
  return app.jira.handle({
    method: 'PUT',
    path: `/rest/api/3/issue/${key}`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ fields: { [app.jira.appFieldId]: value } }),
    as: asUser(accountId),
  });
}

describe('the field and the panel on the issue view', () => {
  let app: TestApp;
  let server: RunningServer;
  beforeAll(async () => {
    app = await startTestApp(localisedSite());
    server = await startServer({ platform: app.platform, jira: app.jira, root: ROOT, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await server.close();
    await app.close();
  });

  const issueView = async (key: string) => {
    const res = await fetch(`${server.url}/api/site/issue?key=${key}&user=u-admin`);
    expect(res.status).toBe(200);
    return (await res.json()) as { type: string; shownModules: string[]; fieldText: string };
  };

  it('shows the panel and the field on an epic whose type is not called "Epic"', async () => {
    const epic = await issueView('PAY-1');
    expect(epic.type).toBe(EPIC);
    expect(epic.shownModules).toEqual(expect.arrayContaining([MODULE_KEYS.panel, MODULE_KEYS.field]));
    expect(epic.fieldText).toBe('Instant payouts');
  });

  it('shows neither on a story', async () => {
    expect((await issueView('PAY-2')).shownModules).toEqual([]);
  });

  it('refuses the field on a story through the field edit, with the manifest message, and keeps the story unchanged', async () => {
    const res = await fetch(`${server.url}/__forge/bridge/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        frame: { frameId: 'f1', moduleKey: MODULE_KEYS.field, accountId: 'u-admin', issueKey: 'PAY-3', projectKey: null, experience: 'issue-view', colorMode: 'light' },
        value: { id: 'D-1', name: 'Instant payouts' },
      }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/Only epics serve a business destination/);
    expect(app.jira.issue('PAY-3')?.appValue ?? null).toBeNull();
  });

  it('refuses it on a user edit and a create of a non-epic, and accepts it on an epic', async () => {
    const onStory = await putIssue(app, 'PAY-4', { id: 'D-1', name: 'Instant payouts' });
    expect(onStory.status).toBe(400);
    expect(JSON.parse(onStory.body ?? '{}')).toEqual({ errorMessages: [], errors: { [app.jira.appFieldId]: expect.stringMatching(/Only epics/) } });
    const created = await app.jira.handle({
      method: 'POST',
      path: '/rest/api/3/issue',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ fields: { project: { key: 'PAY' }, issuetype: { name: 'Task' }, summary: 'x', [app.jira.appFieldId]: { id: 'D-1' } } }),
      as: asUser('u-admin'),
    });
    expect(created.status).toBe(400);
    // Clearing is always allowed; an epic takes a value.
    expect((await putIssue(app, 'PAY-4', null)).status).toBe(204);
    expect((await putIssue(app, 'PAY-6', { id: 'D-1', name: 'Instant payouts' })).status).toBe(204);
    await putIssue(app, 'PAY-6', null);
    await app.platform.settle();
  });

  it('does not validate the app field value API, as Jira does not', async () => {
    const story = app.jira.issue('PAY-7');
    const res = await app.jira.handle({
      method: 'PUT',
      path: `/rest/api/3/app/field/${app.jira.appFieldId}/value`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ updates: [{ issueIds: [Number(story?.id)], value: { id: 'D-1', name: 'x' } }] }),
      as: { kind: 'app' },
    });
    expect(res.status).toBe(204);
  });
});

describe('renaming a destination', () => {
  let app: TestApp;
  afterEach(() => app.close());

  it('rewrites the stored name in every aligned epic after the queue runs, and changes nothing else', async () => {
    app = await startTestApp(localisedSite());
    // One more epic aligned to D-1 by the app (through the panel), so the rewrite covers one the site did not seed.
    await app.data('panel', 'epic/set-destination', { issueKey: 'PAY-6', destinationId: 'D-1' }, 'u-admin');
    await app.platform.settle();
    const before = new Map(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4', 'PAY-5', 'PAY-6', 'PAY-7', 'PAY-8', 'SEC-1', 'SEC-2'].map((k) => [k, app.jira.issue(k)]));
    const current = await app.data('admin', 'destinations/get', { id: 'D-1' }, 'u-admin');

    await app.data('admin', 'destinations/update', { id: 'D-1', version: current.version, draft: { name: 'Payouts in seconds', businessOwner: current.businessOwner, targetDate: current.targetDate } }, 'u-admin');
    await app.platform.settle();

    for (const key of ['PAY-1', 'PAY-6', 'SEC-1']) {
      expect(app.jira.issue(key)?.appValue).toEqual({ id: 'D-1', name: 'Payouts in seconds' });
    }
    // Everything else as it was: other epics' values, the children, summaries and statuses.
    for (const [key, was] of before) {
      const now = app.jira.issue(key);
      if (['PAY-1', 'PAY-6', 'SEC-1'].includes(key)) expect({ ...now, appValue: null, fields: null, updated: null }).toEqual({ ...was, appValue: null, fields: null, updated: null });
      else expect(now).toEqual(was);
    }
    // In one bulk request, through the app field API (never JQL on the field's property).
    expect(app.jira.requestLog()['PUT /rest/api/3/app/field/{fieldIdOrKey}/value']).toBeGreaterThanOrEqual(1);
  });
});
