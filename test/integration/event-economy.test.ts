/**
 * Jira charges points for every issue a request returns; events are free. After the first build, the stored
 * rollups follow from events: one read of the changed issue at most, never its siblings, nothing at all for a
 * change the figures do not use. The search index is stale here, as Jira's is (the emulator's default), so
 * a handler that leaned on a fresh search would count the wrong children.
 */
import { smallSite } from '../../local/jira/testing/small-site';
import { generateSite } from '../../local/sites/generate-demo';
import { createContainer } from '../../src/app/container';
import { liveFigures, reconcileToEnd, storedFigures } from '../faults/rollup-harness';
import { startTestApp, type TestApp } from '../helpers/local-app';

describe('rollups that follow events', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(smallSite());
    await reconcileToEnd(app);
    app.jira.resetRequestLog();
  });
  afterEach(() => app.close());

  /** The destinationWork function's precomputations, refreshed when an epic's alignment changes (not an issue read). */
  const precomputations = () => Object.entries(app.jira.requestLog()).filter(([route]) => route.includes('/jql/function/computation')).reduce((a, [, n]) => a + n, 0);
  const requests = () => Object.values(app.jira.requestLog()).reduce((a, b) => a + b, 0) - precomputations();
  const searches = () => app.jira.requestLog()['POST /rest/api/3/search/jql'] ?? 0;
  const d1 = async () => (await app.data('portfolio', 'portfolio/get', {}, 'u-leader')).destinations[0];

  it('runs against a stale search index, as Jira serves one', () => {
    expect(app.jira.faults.staleIndex).toBe(true);
  });

  it('updates an epic from its changed child with one Jira read and no sibling read', async () => {
    app.jira.updateIssue('PAY-3', { status: 'Done' }, 'u-dev');
    await app.platform.settle();
    expect(requests()).toBeLessThanOrEqual(1);
    expect(searches()).toBe(0);
    // Progress alone changes no epic's alignment: the function's precomputations are left alone.
    expect(precomputations()).toBe(0);
    expect((await d1())?.progress.count).toEqual({ new: 1, indeterminate: 0, done: 3, total: 4 });
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });

  it('asks Jira nothing for a change the figures do not use', async () => {
    // The site measures story points: an original estimate change touches no figure.
    app.jira.updateIssue('PAY-3', { originalEstimate: 3600 }, 'u-dev');
    await app.platform.settle();
    expect(app.platform.errors).toEqual([]);
    expect(requests()).toBe(0);
  });

  it('follows a child moved to another epic without reading either epic\'s children', async () => {
    app.jira.updateIssue('PAY-4', { parent: 'PAY-6' }, 'u-dev');
    await app.platform.settle();
    expect(requests()).toBeLessThanOrEqual(1);
    expect(searches()).toBe(0);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });

  it('follows type changes: an orphan made an epic, and a childless epic made a story', async () => {
    app.jira.updateIssue('PAY-7', { type: 'Epic' }, 'u-dev');
    app.jira.updateIssue('PAY-6', { type: 'Story' }, 'u-dev');
    await app.platform.settle();
    expect(searches()).toBe(0);
    expect(requests()).toBeLessThanOrEqual(2);
    // Two epics changed alignment in one burst: one refresh (list, update) of the function's precomputations.
    expect(precomputations()).toBeLessThanOrEqual(2);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });

  it('counts an epic moved to another project once, under its new key, with its children', async () => {
    const { key } = app.jira.moveIssue('PAY-1', 'SEC', 'u-admin');
    await app.platform.settle();
    expect(requests()).toBeLessThanOrEqual(1);
    expect(precomputations()).toBeLessThanOrEqual(2);
    expect(searches()).toBe(0);
    const stored = await storedFigures(app);
    expect(stored.destinations.find((d) => d.id === 'D-1')?.epics).toEqual(['SEC-1', key]);
    expect(stored).toEqual(await liveFigures(app));
  });

  it('follows a child moved to another project (a new key, the same epic)', async () => {
    app.jira.moveIssue('PAY-3', 'SEC', 'u-admin');
    await app.platform.settle();
    expect(searches()).toBe(0);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });

  it('turns a deleted epic\'s in-flight children into off-route work, though Jira sends no event for them', async () => {
    const before = (await app.data('portfolio', 'portfolio/get', {}, 'u-leader')).offRoute;
    app.jira.resetRequestLog();
    app.jira.deleteIssue('PAY-1', 'u-admin');
    await app.platform.settle();
    expect(requests()).toBeLessThanOrEqual(1);
    expect(precomputations()).toBeLessThanOrEqual(2);
    expect(searches()).toBe(0);
    const after = (await app.data('portfolio', 'portfolio/get', {}, 'u-leader')).offRoute;
    expect(after.count.offRoute).toBe(before.count.offRoute + 1);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });
});

describe('the daily run', () => {
  let app: TestApp;
  afterEach(() => app.close());

  const requests = () => Object.values(app.jira.requestLog()).reduce((a, b) => a + b, 0);

  /** Standard issues under the first epic of a generated site (keys are `P<n>-<m>`). */
  function childrenOfFirstEpic(): string[] {
    const epic = app.jira.epics()[0];
    if (!epic) throw new Error('no epic');
    const keys: string[] = [];
    for (let n = 1; n < 400 && keys.length < 3; n++) {
      const issue = app.jira.issue(`${epic.projectKey}-${n}`);
      if (issue?.parentKey === epic.key && issue.type !== 'Sub-task') keys.push(issue.key);
    }
    return keys;
  }

  it('catches up with changes whose events were missed, reading far less than a full rebuild', async () => {
    app = await startTestApp(generateSite({ seed: 3, epics: 40, issuesPerEpic: 10, destinations: 4 }));
    const first = await reconcileToEnd(app);
    const rebuildItems = first.run?.items ?? 0;
    expect(rebuildItems).toBeGreaterThan(300);
    const [a, b] = childrenOfFirstEpic();
    if (!a || !b) throw new Error('the generated epic has too few children');
    // Changes made as the app itself: the trigger filters them out (`ignoreSelf`), so no event reaches the
    // rollups, as with an event Forge gave up delivering.
    app.jira.updateIssue(a, { status: 'Done' }, 'app');
    app.jira.updateIssue(b, { parent: null }, 'app');
    await app.platform.settle();
    expect(await storedFigures(app)).not.toEqual(await liveFigures(app));
    // A day later the index has caught up (Jira's lag is seconds to minutes).
    app.jira.syncIndex();
    app.jira.resetRequestLog();
    const answer = await app.platform.runScheduledTrigger('daily-reconcile');
    await app.platform.settle();
    const status = await app.data('admin', 'reconcile/status', {}, 'u-admin');
    expect(status.run?.runId).toBe(first.run?.runId);
    expect(answer).toEqual({ statusCode: 204 });
    // One search page for the day's changes: points = requests + issues returned, against every issue read.
    expect(requests()).toBeLessThanOrEqual(2);
    expect(requests() + 2).toBeLessThan(rebuildItems / 20);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  }, 60_000);

  it('rebuilds when the stored rollup was built with another estimate measure', async () => {
    app = await startTestApp(smallSite());
    const first = await reconcileToEnd(app);
    await app.platform.runAsApp(async () => {
      const { kvs } = await import('@forge/kvs');
      const head = await kvs.get<{ estimateKey: string }>('rollup-head');
      if (head) await kvs.set('rollup-head', { ...head, estimateKey: 'originalEstimate' });
    });
    await app.platform.runScheduledTrigger('daily-reconcile');
    await app.platform.settle();
    const status = await app.data('admin', 'reconcile/status', {}, 'u-admin');
    expect(status.run).toMatchObject({ phase: 'done', startedBy: 'schedule' });
    expect(status.run?.runId).not.toBe(first.run?.runId);
  });
});

describe('viewer caches', () => {
  it('expire in storage: each per-viewer answer is written with a TTL of its lifetime', async () => {
    const app = await startTestApp(smallSite());
    try {
      await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      const items = app.platform.kvs.snapshot().plain;
      const viewer = items['viewer:u-leader'];
      expect(viewer?.expiresAt).toBeDefined();
      expect((viewer?.expiresAt ?? 0) - (viewer?.updatedAt ?? 0)).toBe(60_000);
      for (const [key, item] of Object.entries(items)) if (key.startsWith('viewer:') || key === 'user-names') expect(item.expiresAt).toBeDefined();
    } finally {
      await app.close();
    }
  });
});

describe('site facts', () => {
  it('are read from Jira once per site, not once per container: a cold container finds them in storage', async () => {
    const app = await startTestApp(smallSite());
    try {
      await reconcileToEnd(app);
      app.jira.resetRequestLog();
      // A cold Forge container: a new composition root, holding nothing read before.
      const cold = createContainer();
      await app.platform.runAsUser('u-leader', () => cold.services().epic.alignment('u-leader', 'PAY-1'));
      expect(app.jira.requestLog()['GET /rest/api/3/field'] ?? 0).toBe(0);
      expect(app.jira.requestLog()['GET /rest/api/3/issuetype'] ?? 0).toBe(0);
      expect(app.platform.kvs.snapshot().plain['site-facts']?.expiresAt).toBeDefined();
    } finally {
      await app.close();
    }
  });
});
