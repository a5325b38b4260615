/**
 * The app within Forge's storage limits, through the real handlers on the local platform: every value it
 * writes is measured here in UTF-8 bytes (the tests do not rely on the KVS emulator's own checks), shards are
 * versioned one by one, the panel reads what one epic needs, and events share one debounced compaction.
 */
import { generateSite } from '../../local/sites/generate-demo';
import { createContainer } from '../../src/app/container';
import type { EpicEntry, OrphanEntry } from '../../src/services/rollup-ports';
import { emptyProgress } from '../../src/domain/progress';
import { weekOf } from '../../src/domain/throughput-weeks';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { liveFigures, reconcileToEnd, storedFigures } from '../faults/rollup-harness';

const MAX_VALUE_BYTES = 240 * 1024;
const MAX_BATCH_BYTES = 4 * 1000 * 1000;
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');
/** 255 characters (Jira's longest summary), 3 bytes each. */
const CJK = '進捗管理の目的地へ向かう作業'.repeat(19).slice(0, 255);

/** Every value and every request payload the app writes, as the wire carries them. */
function recordWrites(app: TestApp) {
  const values: Array<{ key: string; bytes: number }> = [];
  const payloads: number[] = [];
  const stop = app.platform.kvs.failWhen((call) => {
    const body = call.body as Record<string, unknown> | Array<{ key: string; value: unknown }>;
    if (call.path === '/api/v1/set') values.push({ key: String((body as { key: string }).key), bytes: bytes((body as { value: unknown }).value) });
    if (call.path === '/api/v1/batch/set') for (const item of body as Array<{ key: string; value: unknown }>) values.push({ key: item.key, bytes: bytes(item.value) });
    if (call.path === '/api/v1/transaction') for (const item of ((body as { set?: Array<{ key: string; value: unknown }> }).set ?? [])) values.push({ key: item.key, bytes: bytes(item.value) });
    if (call.path.includes('batch/set') || call.path === '/api/v1/transaction') payloads.push(bytes(body));
    return false;
  });
  return { values, payloads, stop };
}

/** Keys of shard values read by batch gets since the last reset. */
function recordShardReads(app: TestApp) {
  const keys: string[] = [];
  const stop = app.platform.kvs.failWhen((call) => {
    if (call.path === '/api/v1/batch/get') for (const { key } of call.body as Array<{ key: string }>) if (/:s:\d+(:\d+)?$/.test(key)) keys.push(key);
    return false;
  });
  return { keys, stop };
}

/** A generated site whose summaries are CJK and whose done work spreads over a year. */
function heavySite(options: Parameters<typeof generateSite>[0]) {
  const site = generateSite(options);
  site.issues.forEach((issue, i) => {
    issue.summary = CJK;
    if (issue.status === 'Done' && issue.type !== 'Epic') {
      issue.created = '2025-10-01';
      issue.resolved = new Date(Date.parse(`${site.today}T12:00:00Z`) - (i % 365) * 86_400_000).toISOString().slice(0, 10);
    }
  });
  return site;
}

describe('values within the byte limits', () => {
  it('splits build chunks, partitions, orphans and shards by bytes however large the epics are', async () => {
    const app = await startTestApp(generateSite({ seed: 5, epics: 4, issuesPerEpic: 1, destinations: 2 }));
    try {
      await reconcileToEnd(app);
      const store = createContainer().background().rollups;
      const today = '2026-11-25';
      // 600 epics with the longest CJK summaries, each with a year of weekly history: about 700 KB of entries.
      const epics: EpicEntry[] = Array.from({ length: 600 }, (_, i) => ({
        key: `BIG-${i + 1}`, id: String(100_000 + i), summary: CJK, projectKey: 'BIG', statusCategory: 'indeterminate', destinationId: i % 2 === 0 ? 'D-1' : null,
        fAt: 1, pAt: 1, progress: { ...emptyProgress(), count: { new: 100, indeterminate: 100, done: 100, total: 300 } },
        doneWeeks: Object.fromEntries(Array.from({ length: 54 }, (_, w) => [weekOf(today) - w, 5])),
        unestimatedKeys: ['BIG-90001', 'BIG-90002', 'BIG-90003', 'BIG-90004', 'BIG-90005'],
      }));
      const orphans: Array<OrphanEntry & { id: string }> = Array.from({ length: 3000 }, (_, i) => ({ id: String(500_000 + i), key: `BIG-${10_000 + i}`, projectKey: 'BIG', estimate: 3, at: 1 }));
      expect(bytes(epics)).toBeGreaterThan(3 * MAX_VALUE_BYTES);
      const writes = recordWrites(app);
      const g = 'rbig';
      await app.platform.runAsApp(async () => {
        await store.writeEpicChunk(g, 0, epics);
        await store.writePartition(g, 0, epics.map(({ key, progress, doneWeeks, unestimatedKeys }) => ({ key, progress, doneWeeks, unestimatedKeys })));
        await store.writeOrphans(g, orphans);
        expect(await store.readEpicChunks(g, 1)).toEqual(epics);
        expect((await store.readPartitions(g, 1)).map((f) => f.key)).toEqual(epics.map((e) => e.key));
        const head = { generation: g, shards: 1, builtFrom: '2026-11-25T00:00:00.000Z', finishedAt: '2026-11-25T00:01:00.000Z', estimateKey: 'points:customfield_10016', jql: { epicTypeIds: [], standardTypeIds: [], fieldName: 'Business destination' }, epics: 600, items: 0 };
        await store.publish(head, epics);
        const site = await store.load();
        expect(site?.epics.size).toBe(600);
        expect(site?.orphans.size).toBe(3000);
      });
      writes.stop();
      expect(writes.values.length).toBeGreaterThan(10);
      const over = writes.values.filter((v) => v.bytes > MAX_VALUE_BYTES);
      expect(over).toEqual([]);
      expect(Math.max(...writes.payloads)).toBeLessThan(MAX_BATCH_BYTES);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('writes no value over 240 KiB building a site of 300-child epics with CJK summaries and a year of history', async () => {
    const app = await startTestApp(heavySite({ seed: 7, epics: 24, issuesPerEpic: 300, destinations: 3, orphansPerProject: 40 }));
    try {
      const writes = recordWrites(app);
      await reconcileToEnd(app);
      app.jira.updateIssue('P1-2', { status: 'Done', resolved: '2026-11-25' }, 'u-dev');
      await app.platform.settle();
      writes.stop();
      expect(writes.values.filter((v) => v.bytes > MAX_VALUE_BYTES)).toEqual([]);
      expect(Math.max(...writes.payloads)).toBeLessThan(MAX_BATCH_BYTES);
      expect(await storedFigures(app)).toEqual(await liveFigures(app));
    } finally {
      await app.close();
    }
  }, 120_000);
});

describe('shards versioned one by one', () => {
  it('a view after a compaction reads no shard: the compaction consumer brought the outline up to date', async () => {
    const app = await startTestApp(heavySite({ seed: 11, epics: 300, issuesPerEpic: 4, destinations: 10 }));
    try {
      await reconcileToEnd(app);
      const head = app.platform.kvs.peek('rollup-head') as { shards: number };
      expect(head.shards).toBeGreaterThan(3);
      await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      app.jira.updateIssue('P1-2', { status: 'Done', resolved: '2026-11-25' }, 'u-dev');
      await app.platform.settle();
      // The event's deltas were folded by the compaction consumer.
      expect(app.platform.kvs.keys().filter((k) => k.startsWith('rollup-delta:'))).toEqual([]);
      // The compaction consumer brought the outline up to date: the warm container reads it and no shard.
      const reads = recordShardReads(app);
      await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      reads.stop();
      expect(reads.keys).toEqual([]);
      expect(await storedFigures(app)).toEqual(await liveFigures(app));
    } finally {
      await app.close();
    }
  }, 60_000);
});

describe('the panel reads one epic and its destination', () => {
  async function coldPanel(site: ReturnType<typeof generateSite>) {
    const epicKey = site.issues.find((i) => i.type === 'Epic' && i.destination)?.key as string;
    const app = await startTestApp(site);
    try {
      await reconcileToEnd(app);
      const cold = createContainer();
      app.platform.kvs.resetStats();
      const reads = recordShardReads(app);
      const answer = await app.platform.runAsUser('u-leader', () => cold.services().epic.alignment('u-leader', epicKey));
      reads.stop();
      return { calls: app.platform.kvs.stats().total, shardsRead: reads.keys.length, answer, shards: (app.platform.kvs.peek('rollup-head') as { shards: number }).shards };
    } finally {
      await app.close();
    }
  }

  it('makes the same storage calls on a site 20 times bigger, reading one shard', async () => {
    // Destinations grow with the site, so a destination holds about as many epics on both.
    const small = await coldPanel(heavySite({ seed: 3, epics: 20, issuesPerEpic: 5, destinations: 4 }));
    const big = await coldPanel(heavySite({ seed: 3, epics: 400, issuesPerEpic: 5, destinations: 80 }));
    expect(big.shards).toBeGreaterThan(small.shards);
    expect(big.shardsRead).toBe(1);
    expect(big.calls).toBe(small.calls);
    expect(big.answer.destination).not.toBeNull();
  }, 120_000);
});

describe('debounced compaction', () => {
  it('enqueues one compaction for many requests, and a new one once it has been taken', async () => {
    const app = await startTestApp(generateSite({ seed: 5, epics: 4, issuesPerEpic: 2, destinations: 2 }));
    try {
      await reconcileToEnd(app);
      const compactions = () => app.platform.queue.pushed.filter((p) => p.queueName === 'rollup-compact').length;
      const before = compactions();
      const { compaction } = createContainer().background();
      await app.platform.runAsApp(() => Promise.all(Array.from({ length: 20 }, () => compaction.request())));
      expect(compactions()).toBe(before + 1);
      await app.platform.settle();
      await app.platform.runAsApp(() => compaction.request());
      expect(compactions()).toBe(before + 2);
    } finally {
      await app.close();
    }
  });

  it('folds a burst of events with fewer compactions than events, and loses nothing', async () => {
    const app = await startTestApp(generateSite({ seed: 5, epics: 10, issuesPerEpic: 4, destinations: 2 }));
    try {
      await reconcileToEnd(app);
      const compactions = () => app.platform.queue.pushed.filter((p) => p.queueName === 'rollup-compact').length;
      const before = compactions();
      for (let i = 2; i <= 20; i += 2) app.jira.updateIssue(`P1-${i}`, { status: 'Done', resolved: '2026-11-25' }, 'u-dev');
      await app.platform.settle();
      expect(compactions() - before).toBeGreaterThan(0);
      expect(compactions() - before).toBeLessThanOrEqual(2);
      expect(app.platform.kvs.keys().filter((k) => k.startsWith('rollup-delta:'))).toEqual([]);
      expect(await storedFigures(app)).toEqual(await liveFigures(app));
    } finally {
      await app.close();
    }
  });
});
