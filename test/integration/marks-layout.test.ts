/**
 * Per-child marks out of what views read (decisions/0013, "Marks out of what views read"), through the real
 * handlers on the local platform: shards hold only what views show, an event reads the marks of the epics its
 * issue counts in (found through the id index), an old generation with marks inside its shards keeps working
 * and is migrated by its first compaction, and the figures after events equal a full recalculation.
 */
import { kvs } from '@forge/kvs';
import { generateSite } from '../../local/sites/generate-demo';
import { createContainer } from '../../src/app/container';
import { shardOf } from '../../src/infra/storage/shards';
import type { EpicEntry } from '../../src/services/rollup-ports';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { liveFigures, reconcileToEnd, storedFigures } from '../faults/rollup-harness';

/** 300 epics of 10 children with long summaries: several shards, each with its own marks and id bucket. */
const site = () => {
  const s = generateSite({ seed: 11, epics: 300, issuesPerEpic: 10, destinations: 10 });
  for (const issue of s.issues) issue.summary = `${issue.summary} ${'目的地'.repeat(60)}`;
  return s;
};

/** Keys read by batch gets and single gets while recording. */
function recordReads(app: TestApp) {
  const keys: string[] = [];
  const stop = app.platform.kvs.failWhen((call) => {
    if (call.path === '/api/v1/batch/get') for (const { key } of call.body as Array<{ key: string }>) keys.push(key);
    if (call.path === '/api/v1/get') keys.push(String((call.body as { key: string }).key));
    return false;
  });
  return { keys, stop };
}

const head = (app: TestApp) => app.platform.kvs.peek('rollup-head') as { generation: string; shards: number };
const index = (app: TestApp) => app.platform.kvs.peek(`rollup-gen:${head(app).generation}:v`) as { v: number[]; p: number[]; k?: number[]; xv?: number[] };
const family = (app: TestApp, f: string) => app.platform.kvs.keys().filter((k) => k.startsWith(`rollup-gen:${head(app).generation}:${f}:`));

/** The ids of the issues events name, as Jira sends them. */
function eventIds(app: TestApp): Map<string, string> {
  const ids = new Map<string, string>();
  app.jira.onIssueEvent((event) => ids.set(event.issue.key, event.issue.id));
  return ids;
}

/** Put the stored generation back in the layout before marks had their own keys: marks inside the shards. */
async function toOldLayout(app: TestApp): Promise<void> {
  const { generation: g, shards } = head(app);
  const idx = index(app);
  const peek = (key: string) => app.platform.kvs.peek(key) as Record<string, unknown> | undefined;
  const partsOf = (base: string, n: number) => Array.from({ length: n }, (_, p) => peek(p === 0 ? base : `${base}:${p}`));
  await app.platform.runAsApp(async () => {
    for (let i = 0; i < shards; i++) {
      const marks = new Map(partsOf(`rollup-gen:${g}:k:${i}`, idx.k?.[i] ?? 1).flatMap((part) => (part?.marks ?? []) as Array<[string, unknown]>));
      const parts = partsOf(`rollup-gen:${g}:s:${i}`, idx.p[i] ?? 1);
      const epics = parts.flatMap((part) => (part?.epics ?? []) as EpicEntry[]).map((e) => (marks.has(e.key) ? { ...e, members: marks.get(e.key) } : e));
      const orphans = parts.flatMap((part) => (part?.orphans ?? []) as unknown[]);
      // The first stored shards: one value, no version or part count.
      await kvs.set(`rollup-gen:${g}:s:${i}`, { epics, orphans });
      for (let p = 1; p < (idx.p[i] ?? 1); p++) await kvs.delete(`rollup-gen:${g}:s:${i}:${p}`);
    }
    for (const key of [...family(app, 'k'), ...family(app, 'x')]) await kvs.delete(key);
    await kvs.set(`rollup-gen:${g}:v`, { v: new Array<number>(shards).fill(0), p: new Array<number>(shards).fill(1) });
  });
}

describe('marks out of what views read', () => {
  it('stores no marks in the shards, and a cold portfolio view reads neither marks nor the id index', async () => {
    const app = await startTestApp(site());
    try {
      await reconcileToEnd(app);
      expect(head(app).shards).toBeGreaterThan(2);
      expect(family(app, 'k').length).toBeGreaterThanOrEqual(head(app).shards);
      for (const key of family(app, 's')) expect(JSON.stringify(app.platform.kvs.peek(key))).not.toContain('"members"');
      for (const key of family(app, 'g')) expect(JSON.stringify(app.platform.kvs.peek(key))).not.toContain('"members"');
      const coldView = async () => {
        const reads = recordReads(app);
        const cold = createContainer();
        const answer = await app.platform.runAsUser('u-leader', () => cold.services().portfolio.get('u-leader', {}));
        reads.stop();
        return { answer, keys: reads.keys };
      };
      // The rebuild's outline (kept a minute after it published): a cold view reads it and no shard.
      const outlined = await coldView();
      expect(outlined.keys.filter((k) => /:s:\d+$/.test(k))).toEqual([]);
      expect(outlined.keys).toContain('portfolio-outline');
      // Without it (lost, or older than what is stored), every shard, but still no mark and no id index.
      for (const key of app.platform.kvs.keys().filter((k) => k.startsWith('portfolio-outline'))) await app.platform.runAsApp(() => kvs.delete(key));
      const assembled = await coldView();
      expect(assembled.keys.filter((k) => /:s:\d+$/.test(k)).length).toBe(head(app).shards);
      expect(assembled.keys.filter((k) => /:(k|x):\d+(:\d+)?$/.test(k))).toEqual([]);
      expect(assembled.answer).toEqual(outlined.answer);
      // That view kept a new outline for the next one.
      expect(app.platform.kvs.peek('portfolio-outline')).toBeDefined();
      expect(await storedFigures(app)).toEqual(await liveFigures(app));
    } finally {
      await app.close();
    }
  }, 120_000);

  it('an event and its compaction read only the marks of the epic its issue counts in, and the issue’s id bucket', async () => {
    const s = site();
    const app = await startTestApp(s);
    try {
      const ids = eventIds(app);
      await reconcileToEnd(app);
      const { generation: g, shards } = head(app);
      const child = s.issues.find((i) => i.type !== 'Epic' && i.parent && i.status === 'To Do');
      if (!child?.key || !child.parent) throw new Error('fixture has no child to change');
      const reads = recordReads(app);
      app.jira.updateIssue(child.key, { status: 'In Progress' }, 'u-dev');
      await app.platform.settle();
      reads.stop();
      const id = ids.get(child.key) as string;
      const marksRead = new Set(reads.keys.filter((k) => k.startsWith(`rollup-gen:${g}:k:`)).map((k) => Number(k.split(':')[3])));
      const idsRead = new Set(reads.keys.filter((k) => k.startsWith(`rollup-gen:${g}:x:`)).map((k) => Number(k.split(':')[3])));
      expect([...marksRead]).toEqual([shardOf(child.parent, shards)]);
      expect([...idsRead]).toEqual([shardOf(id, shards)]);
      expect(reads.keys.filter((k) => /:s:\d+$/.test(k)).length).toBeLessThan(shards);
      expect(await storedFigures(app)).toEqual(await liveFigures(app));
    } finally {
      await app.close();
    }
  }, 120_000);

  it('keeps figures equal to a full recalculation through moves, deletions and new issues', async () => {
    const s = site();
    const app = await startTestApp(s);
    try {
      await reconcileToEnd(app);
      const epics = s.issues.filter((i) => i.type === 'Epic').map((i) => i.key as string);
      const children = s.issues.filter((i) => i.type !== 'Epic' && i.parent);
      // A child moved to another epic, one made loose, one deleted, one created, an epic deleted, statuses.
      app.jira.updateIssue(children[0]?.key as string, { parent: epics[150] as string }, 'u-dev');
      app.jira.updateIssue(children[11]?.key as string, { parent: null, status: 'In Progress' }, 'u-dev');
      app.jira.deleteIssue(children[22]?.key as string, 'u-admin');
      app.jira.createIssue({ project: (epics[7] as string).split('-')[0] as string, type: 'Story', summary: 'new', status: 'In Progress', parent: epics[7] as string, points: 3 }, 'u-dev');
      await app.platform.settle();
      app.jira.deleteIssue(epics[40] as string, 'u-admin');
      for (const c of children.slice(30, 40)) app.jira.updateIssue(c.key as string, { status: 'Done', resolved: '2026-11-25' }, 'u-dev');
      // Moved back before the first move was folded: the id index must follow facts not compacted yet.
      app.jira.updateIssue(children[0]?.key as string, { parent: epics[151] as string }, 'u-dev');
      await app.platform.settle();
      expect(app.platform.kvs.keys().filter((k) => k.startsWith('rollup-delta:'))).toEqual([]);
      expect(await storedFigures(app)).toEqual(await liveFigures(app));
    } finally {
      await app.close();
    }
  }, 120_000);
});

describe('a generation stored with marks inside its shards', () => {
  it('is read as before, and its first compaction moves the marks to their own keys', async () => {
    const s = site();
    const app = await startTestApp(s);
    try {
      await reconcileToEnd(app);
      await toOldLayout(app);
      expect(family(app, 'k')).toEqual([]);
      expect(index(app).k).toBeUndefined();
      // Views and events work on the old layout.
      expect(await storedFigures(app)).toEqual(await liveFigures(app));
      const child = s.issues.find((i) => i.type !== 'Epic' && i.parent && i.status === 'To Do');
      app.jira.updateIssue(child?.key as string, { status: 'Done', resolved: '2026-11-25' }, 'u-dev');
      await app.platform.settle();
      // Migrated: marks and the id index under their own keys, none left in the shards.
      expect(index(app).k).toHaveLength(head(app).shards);
      expect(index(app).xv).toHaveLength(head(app).shards);
      expect(family(app, 'k').length).toBeGreaterThanOrEqual(head(app).shards);
      for (const key of family(app, 's')) expect(JSON.stringify(app.platform.kvs.peek(key))).not.toContain('"members"');
      expect(await storedFigures(app)).toEqual(await liveFigures(app));
      // Events after the migration find their places through the id index.
      const other = s.issues.filter((i) => i.type !== 'Epic' && i.parent && i.status === 'To Do')[5];
      app.jira.updateIssue(other?.key as string, { parent: s.issues.find((i) => i.type === 'Epic' && i.key !== other?.parent)?.key as string }, 'u-dev');
      await app.platform.settle();
      expect(await storedFigures(app)).toEqual(await liveFigures(app));
      // The catch-up reads every epic with its marks: nothing untrusted, so no rebuild.
      const outcome = await app.platform.runAsApp(() => createContainer().background().catchUp.daily());
      expect(outcome.kind).toBe('catch-up');
    } finally {
      await app.close();
    }
  }, 180_000);
});
