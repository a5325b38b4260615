/**
 * The portfolio's outline (docs/decisions/0015): what a cold container reads instead of every shard. Every
 * answer cut from it must be the answer a full assembly gives, for every viewer and filter; an outline made
 * from anything but what is stored now is never used; and the background keeps it current after a rebuild and
 * after events, whatever happens to its writes.
 */
import { kvs } from '@forge/kvs';
import { createContainer, dropAppContainer } from '../../src/app/container';
import { appContainer } from '../../src/app/container';
import { RESTRICTED_VIEWER, restrictedSite, scopeToPayAndSec } from '../helpers/restricted-site';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { reconcileToEnd } from '../faults/rollup-harness';
import { fullPortfolio } from '../helpers/full-portfolio';

/** A storage failure, as Forge answers one. */
const UNAVAILABLE = { code: 'INTERNAL_SERVER_ERROR', status: 500 };

const isShard = (key: string) => /^rollup-gen:[^:]+:s:\d+(:\d+)?$/.test(key);

/** Keys a call reads (single and batch gets). */
async function readsOf<T>(app: TestApp, work: () => Promise<T>): Promise<{ value: T; keys: string[] }> {
  const keys: string[] = [];
  const stop = app.platform.kvs.failWhen((call) => {
    if (call.path === '/api/v1/batch/get') for (const { key } of call.body as Array<{ key: string }>) keys.push(key);
    if (call.path === '/api/v1/get') keys.push(String((call.body as { key: string }).key));
    return false;
  });
  try {
    return { value: await work(), keys };
  } finally {
    stop();
  }
}

async function forgetOutline(app: TestApp): Promise<void> {
  for (const key of app.platform.kvs.keys().filter((k) => k.startsWith('portfolio-outline'))) await app.platform.runAsApp(() => kvs.delete(key));
}

/** An answer without the age of its figures (seconds pass between two reads of the same figures). */
const timeless = (answer: unknown): unknown => JSON.parse(JSON.stringify(answer, (key, value: unknown) => (key === 'ageSeconds' ? undefined : value)));

/** Every viewer and filter a page offers, the whole portfolio each time (rows, epic lists, off-route list). */
async function everyAnswer(app: TestApp) {
  const out: unknown[] = [];
  for (const viewer of ['u-leader', RESTRICTED_VIEWER]) {
    for (const filters of [{}, { status: ['active' as const] }, { owner: 'u-leader' }, { projectKey: 'PAY' }]) {
      dropAppContainer();
      out.push(timeless(await fullPortfolio(app, viewer, filters)));
      dropAppContainer();
      out.push(timeless(await app.data('portfolio', 'portfolio/off-route', {}, viewer)));
      dropAppContainer();
      out.push(timeless(await app.data('portfolio', 'portfolio/export', filters, viewer)));
    }
  }
  return out;
}

describe('the portfolio outline', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(restrictedSite());
    await scopeToPayAndSec(app);
    await reconcileToEnd(app);
  }, 60_000);
  afterEach(() => app.close());

  it('is kept after a rebuild, and a cold view reads it instead of any shard', async () => {
    expect(app.platform.kvs.peek('portfolio-outline')).toBeDefined();
    const cold = createContainer();
    const { value, keys } = await readsOf(app, () => app.platform.runAsUser('u-leader', () => cold.services().portfolio.get('u-leader', {})));
    expect(keys.filter(isShard)).toEqual([]);
    expect(keys).toContain('portfolio-outline');
    expect(value.freshness?.source).toBe('stored');
    expect(value.totalDestinations).toBeGreaterThan(0);
    // The same container's next view of the same figures reads neither the outline nor a shard again.
    const again = await readsOf(app, () => app.platform.runAsUser('u-leader', () => cold.services().portfolio.get('u-leader', {})));
    expect(again.keys.filter((k) => isShard(k) || k.startsWith('portfolio-outline'))).toEqual([]);
    expect(again.value).toEqual(value);
  });

  it('gives every viewer and filter the answers a full assembly gives', async () => {
    const outlined = await everyAnswer(app);
    await forgetOutline(app);
    // With no outline to keep (every write refused), each answer is assembled from the shards.
    const stop = app.platform.kvs.failWhen((call) => call.path === '/api/v1/batch/set' && JSON.stringify(call.body).includes('portfolio-outline') && UNAVAILABLE);
    try {
      const assembled = await everyAnswer(app);
      expect(app.platform.kvs.peek('portfolio-outline')).toBeUndefined();
      expect(assembled).toEqual(outlined);
    } finally {
      stop();
    }
  }, 60_000);

  it('is never used once what is stored moved on, even when it could not be rewritten', async () => {
    const before = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
    // Every outline write refused from now on: the outline stays as the rebuild left it.
    const stop = app.platform.kvs.failWhen((call) => call.path === '/api/v1/batch/set' && JSON.stringify(call.body).includes('portfolio-outline') && UNAVAILABLE);
    try {
      const epic = app.site.issues.find((i) => i.type === 'Epic' && i.destination === 'D-1' && i.key?.startsWith('PAY'));
      const child = app.site.issues.find((i) => i.parent === epic?.key && i.status !== 'Done');
      if (!child?.key) throw new Error('the restricted site has no open child of a PAY epic on D-1');
      app.jira.updateIssue(child.key, { status: 'Done', resolved: '2026-11-25' }, 'u-dev');
      await app.platform.settle();
      dropAppContainer();
      const after = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      const row = (p: typeof before) => p.destinations.find((d) => d.id === 'D-1')?.progress.count.done;
      expect(row(after)).toBe((row(before) ?? 0) + 1);
      // The same answer as a full assembly with no outline at all.
      await forgetOutline(app);
      dropAppContainer();
      expect(timeless(await app.data('portfolio', 'portfolio/get', {}, 'u-leader'))).toEqual(timeless(after));
    } finally {
      stop();
    }
  }, 60_000);

  it('is brought up to date by the background after events, so the next cold view reads no shard', async () => {
    const keys = app.site.issues.filter((i) => i.parent && i.status !== 'Done').map((i) => i.key as string).slice(0, 3);
    expect(keys.length).toBeGreaterThan(1);
    for (const key of keys) {
      app.jira.updateIssue(key, { status: 'Done', resolved: '2026-11-25' }, 'u-dev');
      await app.platform.settle();
    }
    expect(await app.platform.runAsApp(() => appContainer().background().outline.refreshOutline())).toBe('current');
    const cold = createContainer();
    const { value, keys: read } = await readsOf(app, () => app.platform.runAsUser('u-leader', () => cold.services().portfolio.get('u-leader', {})));
    expect(read.filter(isShard)).toEqual([]);
    dropAppContainer();
    await forgetOutline(app);
    expect(timeless(await app.data('portfolio', 'portfolio/get', {}, 'u-leader'))).toEqual(timeless(value));
  }, 60_000);

  it('leaves the kept forecasts in the read the daily snapshots assemble from (or they would all be worked out again)', async () => {
    await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
    const kept = app.platform.kvs.peek('rollup-forecasts') as Record<string, unknown>;
    expect(Object.keys(kept).length).toBeGreaterThan(0);
    const site = await app.platform.runAsApp(() => appContainer().background().rollups.loadWithMarks());
    expect(site?.forecasts).toEqual(kept);
  });
});
