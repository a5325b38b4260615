/**
 * Faults, through the local platform: a flaky Jira, a storage failure in the middle of a recalculation,
 * events delivered twice and out of order, and concurrent edits of one destination.
 */
import { generateSite } from '../../local/sites/generate-demo';
import { smallSite } from '../../local/jira/testing/small-site';
import { handleIssueEvent } from '../../src/triggers/issue-events';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { liveFigures, reconcileToEnd, storedFigures } from './rollup-harness';
import { appContainer } from '../../src/app/container';
import type { IssueEvent } from '../../local/types';

const mediumSite = () => generateSite({ seed: 7, epics: 30, issuesPerEpic: 12, destinations: 5, projects: 3 });

describe('recalculation under faults', () => {
  let app: TestApp | undefined;
  afterEach(() => app?.close());

  it('ends with the same rollups as a fault-free run when Jira answers 429, 5xx and slowly', async () => {
    const clean = await startTestApp(mediumSite());
    await reconcileToEnd(clean);
    const expected = await storedFigures(clean);
    await clean.close();

    app = await startTestApp(mediumSite());
    Object.assign(app.jira.faults, { rate429: 0.2, retryAfterSeconds: 0.01, rate5xx: 0.05, spikeRate: 0.1, spikeMs: 20, seed: 11 });
    const status = await reconcileToEnd(app);
    expect(status.run?.phase).toBe('done');
    const log = app.jira.requestLog();
    expect(Object.values(log).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    Object.assign(app.jira.faults, { rate429: 0, rate5xx: 0, spikeRate: 0 });
    expect(await storedFigures(app)).toEqual(expected);
  });

  it('keeps serving the previous complete rollup when storage fails half way through a recalculation', async () => {
    app = await startTestApp(smallSite());
    await reconcileToEnd(app);
    const before = await storedFigures(app);
    const headBefore = app.platform.kvs.peek('rollup-head');
    // Every write of the new generation's shards fails, on every retry: the run cannot finish.
    const stop = app.platform.kvs.failWhen((call) => {
      const text = JSON.stringify(call.body);
      return call.path.includes('batch/set') && text.includes(':s:') ? { code: 'INTERNAL_SERVER_ERROR', status: 500 } : false;
    });
    await app.data('admin', 'reconcile/start', {}, 'u-admin');
    await app.platform.settle();
    stop();
    const status = await app.data('admin', 'reconcile/status', {}, 'u-admin');
    expect(status.run?.phase).toBe('failed');
    expect(app.platform.kvs.peek('rollup-head')).toEqual(headBefore);
    expect(await storedFigures(app)).toEqual(before);
    const portfolio = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
    expect(portfolio.destinations[0]?.progress.count.total).toBe(4);
  });

  it('resumes a recalculation whose step failed, from the saved progress', async () => {
    app = await startTestApp(mediumSite());
    let failures = 0;
    const stop = app.platform.kvs.failWhen((call) => {
      // Fail the first write of a partition's figures once: the step is delivered again and resumes.
      if (failures === 0 && /^\/api\/v1\/(batch\/)?set$/.test(call.path) && JSON.stringify(call.body).includes(':p:')) {
        failures += 1;
        return { code: 'INTERNAL_SERVER_ERROR', status: 500 };
      }
      return false;
    });
    const status = await reconcileToEnd(app);
    stop();
    expect(failures).toBe(1);
    expect(status.run?.phase).toBe('done');
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });
});

describe('events delivered twice and out of order', () => {
  let app: TestApp | undefined;
  afterEach(() => app?.close());

  it('gives the same figures as in-order delivery', async () => {
    app = await startTestApp(smallSite());
    await reconcileToEnd(app);
    // Capture the events instead of letting the platform deliver them, then deliver them shuffled and twice.
    const events: IssueEvent[] = [];
    const unsubscribe = app.jira.onIssueEvent((e) => events.push(e));
    app.jira.updateIssue('PAY-4', { status: 'In Progress', points: 3 }, 'u-dev');
    app.jira.updateIssue('PAY-4', { parent: 'PAY-6' }, 'u-dev');
    app.jira.updateIssue('PAY-3', { status: 'Done' }, 'u-dev');
    app.jira.updateIssue('PAY-4', { parent: 'PAY-1', status: 'Done' }, 'u-dev');
    app.jira.updateIssue('PAY-7', { parent: 'PAY-8' }, 'u-dev');
    unsubscribe();
    await app.platform.settle();
    const inOrder = await storedFigures(app);
    expect(inOrder).toEqual(await liveFigures(app));

    const reversed = [...events].reverse();
    const deliveries = [...reversed, ...events, ...reversed];
    for (const event of deliveries) {
      const { selfGenerated: _s, ...payload } = event;
      const result = await app.platform.runAsApp(() => handleIssueEvent(JSON.parse(JSON.stringify(payload)) as Parameters<typeof handleIssueEvent>[0]));
      expect(result).toMatchObject({ ok: true });
    }
    expect(await storedFigures(app)).toEqual(inOrder);
  });

  it('marks figures stale with their age while Jira cannot be reached, and catches up on the retry', async () => {
    app = await startTestApp(smallSite());
    await reconcileToEnd(app);
    app.jira.faults.rate5xx = 1;
    // A new issue must be read from Jira (a status change would be applied from its changelog, asking Jira nothing).
    app.jira.createIssue({ project: 'PAY', type: 'Story', summary: 'Settlement report', status: 'Done', parent: 'PAY-1' }, 'u-dev');
    // Wait until a delivery has failed and said so; Forge's retries come 30 s later (30 ms here).
    for (let i = 0; i < 1500 && !app.platform.kvs.keys().some((k) => k.startsWith('rollup-pending:')); i++) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const during = await app.platform.runAsApp(() => appContainer().services().portfolio.current());
    app.jira.faults.rate5xx = 0;
    expect(during.freshness).toMatchObject({ source: 'stored', stale: true, pendingSince: expect.any(String) });
    expect(during.site.rollup.destinations[0]?.progress.count.done).toBe(2);
    await app.platform.settle();
    const after = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
    expect(after.freshness?.stale).toBe(false);
    expect(after.destinations[0]?.progress.count.done).toBe(3);
  });
});

describe('concurrent destination edits', () => {
  let app: TestApp | undefined;
  afterEach(() => app?.close());

  it('gives exactly one winner per version and loses no update across 50 conflicting saves', async () => {
    app = await startTestApp(smallSite());
    const a = app;
    const original = await a.data('admin', 'destinations/get', { id: 'D-1' }, 'u-admin');
    const draft = (i: number) => ({ name: `Instant payouts ${i}`, businessOwner: 'u-leader', targetDate: original.targetDate, status: 'active' as const });
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => a.call('admin', 'destinations/update', { id: 'D-1', version: original.version, draft: draft(i) }, 'u-admin')));
    const winners = answers.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    expect(answers.filter((r) => !r.ok).every((r) => !r.ok && r.error.code === 'CONFLICT')).toBe(true);
    const stored = await a.data('admin', 'destinations/get', { id: 'D-1' }, 'u-admin');
    expect(stored.version).toBe(original.version + 1);
    expect(winners[0]?.ok && stored.name === winners[0].data.destination.name).toBe(true);

    // Then 50 editors each re-read and retry until saved: every edit lands, one version each.
    const saved = new Set<number>();
    await Promise.all(Array.from({ length: 50 }, async (_, i) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const current = await a.data('admin', 'destinations/get', { id: 'D-1' }, 'u-admin');
        const answer = await a.call('admin', 'destinations/update', { id: 'D-1', version: current.version, draft: { ...draft(100 + i), name: `Edit ${i}` } }, 'u-admin');
        if (answer.ok) {
          saved.add(answer.data.destination.version);
          return;
        }
      }
      throw new Error(`edit ${i} never landed`);
    }));
    const { version } = await a.data('admin', 'destinations/get', { id: 'D-1' }, 'u-admin');
    expect(saved.size).toBe(50);
    expect(version).toBe(stored.version + 50);
  }, 60_000);
});
