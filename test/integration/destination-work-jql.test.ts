/**
 * The `destinationWork` JQL function end to end: Jira (the emulator) finds the app function in a search,
 * calls the app's `jira:jqlFunction` through the local platform once, stores the precomputation, and uses it
 * for every later search; the app keeps it current through the precomputation API when an epic changes
 * destination, by the app's own write or by an event. And the emulator refuses what Jira refuses.
 */
import { smallSite } from '../../local/jira/testing/small-site';
import type { Principal } from '../../local/types';
import { startTestApp, type TestApp } from '../helpers/local-app';

const leader: Principal = { kind: 'user', accountId: 'u-leader' };
const asApp: Principal = { kind: 'app' };

async function request(app: TestApp, method: string, path: string, body: unknown, as: Principal) {
  const answer = await app.jira.handle({ method, path, headers: {}, body: body === undefined ? undefined : JSON.stringify(body), as });
  return { status: answer.status, json: answer.body === null ? null : (JSON.parse(answer.body) as Record<string, unknown>) };
}

async function search(app: TestApp, jql: string, as: Principal = leader) {
  const answer = await request(app, 'POST', '/rest/api/3/search/jql', { jql, fields: ['id'], maxResults: 5000 }, as);
  if (answer.status !== 200) throw new Error(`search ${jql} answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  return ((answer.json?.issues ?? []) as Array<{ key: string }>).map((i) => i.key).sort();
}

async function precomputations(app: TestApp) {
  const answer = await request(app, 'GET', '/rest/api/3/jql/function/computation?maxResults=100', undefined, asApp);
  expect(answer.status).toBe(200);
  return answer.json?.values as Array<{ id: string; functionName: string; arguments: string[]; operator: string; value?: string }>;
}

describe('issue in destinationWork(...)', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(smallSite());
  });
  afterEach(async () => {
    await app.close();
  });

  it("gives a destination's epics and their children, from one call of the app's function", async () => {
    expect(await search(app, 'issue in destinationWork("D-1")')).toEqual(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4', 'SEC-1', 'SEC-2']);
    // Jira's permissions still apply to what the fragment finds.
    expect(await search(app, 'issue in destinationWork("D-1")', { kind: 'user', accountId: 'u-dev' })).toEqual(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4']);
    expect(await search(app, 'project = PAY AND issue not in destinationWork("D-1")')).toEqual(['PAY-5', 'PAY-6', 'PAY-7', 'PAY-8']);
    const stored = await precomputations(app);
    expect(stored.map((p) => [p.functionName, p.arguments, p.operator])).toEqual(
      expect.arrayContaining([
        ['destinationWork', ['D-1'], 'in'],
        ['destinationWork', ['D-1'], 'not in'],
      ]),
    );
    // The fragment names issues by id, never a property of the app's field.
    expect(stored.find((p) => p.operator === 'in')?.value).toBe('(issue in ("10001", "10009") OR parent in ("10001", "10009"))');
  });

  it('gives off-route work with no argument: what the portfolio counts as off-route', async () => {
    const portfolio = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
    const offRoute = await search(app, 'issue in destinationWork()');
    // PAY-7 has no epic; PAY-8 points at a destination that does not exist, and has no child in flight.
    expect(offRoute).toEqual(['PAY-7']);
    expect(offRoute).toHaveLength(portfolio.offRoute.count.offRoute);
    expect(await search(app, 'issue in destinationWork("none")')).toEqual(offRoute);
  });

  it('follows an epic moved to the destination by the app, then by someone in Jira, without calling the function again', async () => {
    expect(await search(app, 'issue in destinationWork("D-1")')).not.toContain('PAY-8');
    const [before] = await precomputations(app);

    const set = await app.call('panel', 'epic/set-destination', { issueKey: 'PAY-8', destinationId: 'D-1' }, 'u-dev');
    expect(set.ok).toBe(true);
    await app.platform.settle();
    expect(await search(app, 'issue in destinationWork("D-1")')).toContain('PAY-8');

    app.jira.updateIssue('PAY-6', { destination: 'D-1' }, 'u-dev');
    await app.platform.settle();
    expect(await search(app, 'issue in destinationWork("D-1")')).toContain('PAY-6');

    const after = await precomputations(app);
    // Still one precomputation, updated in place: the search used it rather than asking the app again.
    expect(after.map((p) => p.id)).toEqual([before?.id]);
    expect(after[0]?.value).toContain('"10006"');
  });

  it("follows an admin's archive and restore of a destination, and a change of the projects in scope, without calling the function again", async () => {
    const before = await search(app, 'issue in destinationWork()');
    expect(before).toEqual(['PAY-7']);
    const ids = (await precomputations(app)).map((p) => p.id);

    // Archived: D-1's epics are no longer aligned, so their in-flight work is off-route.
    await app.data('admin', 'destinations/archive', { id: 'D-1', version: 1 }, 'u-admin');
    expect(await search(app, 'issue in destinationWork()')).toEqual(['PAY-3', 'PAY-7']);

    await app.data('admin', 'destinations/restore', { id: 'D-1', version: 2 }, 'u-admin');
    expect(await search(app, 'issue in destinationWork()')).toEqual(before);

    // Out of scope: PAY's off-route work is not the app's to count.
    const { version, ...current } = (await app.data('admin', 'settings/get', {}, 'u-admin')).settings;
    await app.data('admin', 'settings/save', { settings: { ...current, projectKeys: ['SEC'] }, version }, 'u-admin');
    expect(await search(app, 'issue in destinationWork()')).toEqual([]);

    // One precomputation throughout, updated in place by the app.
    expect((await precomputations(app)).map((p) => p.id)).toEqual(ids);
  });

  it('answers 400 with Jira\'s error shape for an unknown destination and an unknown function', async () => {
    const unknown = await request(app, 'POST', '/rest/api/3/search/jql', { jql: 'issue in destinationWork("D-99")' }, leader);
    expect(unknown).toEqual({ status: 400, json: { errorMessages: [expect.stringContaining('There is no business destination "D-99"')], errors: {} } });
    const missing = await request(app, 'POST', '/rest/api/3/search/jql', { jql: 'issue in destinationWorks("D-1")' }, leader);
    expect(missing.status).toBe(400);
    expect(missing.json?.errorMessages).toEqual([expect.stringContaining("Unable to find JQL function 'destinationWorks()'")]);
    const wrongField = await request(app, 'POST', '/rest/api/3/search/jql', { jql: 'project in destinationWork("D-1")' }, leader);
    expect(wrongField.status).toBe(400);
  });

  it('keeps the precomputation API to apps, and refuses an update that is not valid JQL or names no stored precomputation', async () => {
    await search(app, 'issue in destinationWork("D-1")');
    const [stored] = await precomputations(app);
    expect((await request(app, 'GET', '/rest/api/3/jql/function/computation', undefined, leader)).status).toBe(403);
    const bad = await request(app, 'POST', '/rest/api/3/jql/function/computation', { values: [{ id: stored?.id, value: '"Business destination".Id = "D-1"' }] }, asApp);
    expect(bad.status).toBe(400);
    const missing = await request(app, 'POST', '/rest/api/3/jql/function/computation', { values: [{ id: 'nope', value: 'project = PAY' }] }, asApp);
    expect(missing).toEqual({ status: 404, json: expect.objectContaining({ notFoundPrecomputationIDs: ['nope'] }) });
    const skipped = await request(app, 'POST', '/rest/api/3/jql/function/computation?skipNotFoundPrecomputations=true', { values: [{ id: 'nope', value: 'project = PAY' }] }, asApp);
    expect(skipped).toEqual({ status: 200, json: { notFoundPrecomputationIDs: ['nope'] } });
    expect((await precomputations(app))[0]?.value).toBe(stored?.value);
  });
});

describe('JQL the emulator refuses, as Jira does', () => {
  it.each([
    ['"Business destination".Id = "D-1"', "extraneous input '.Id'"],
    ['cf[10000].Id = "x"', "extraneous input '.Id'"],
    ['hierarchyLevel = 1', "Field 'hierarchyLevel' does not exist or you do not have permission to view it."],
  ])('%s answers 400 with errorMessages and empty errors', async (jql, message) => {
    const app = await startTestApp(smallSite(), { settle: false });
    try {
      const answer = await request(app, 'POST', '/rest/api/3/search/jql', { jql, fields: ['id'] }, asApp);
      expect(answer).toEqual({ status: 400, json: { errorMessages: [expect.stringContaining(message)], errors: {} } });
    } finally {
      await app.close();
    }
  });
});
