/**
 * Stored rollups in `@forge/kvs`. Layout (prefixes in keys.ts):
 *  - `rollup-head` → the complete generation readers use;
 *  - `rollup-gen:<g>:s:<i>` → shard i of generation g: epic entries and in-flight orphans, by a key hash;
 *  - `rollup-gen:<g>:e:<n>` / `:p:<n>` / `:o` → a build's epic chunks, partition figures and orphans;
 *  - `rollup-delta:<at>:<rand>` → facts written by events since, folded into the shards by `compact`.
 * A read is the head, one batch get per 25 shards, and one query page per 100 deltas: independent of size.
 * Writers never rewrite shared values without the compaction lease, so concurrent events cannot lose updates.
 */
import { randomUUID } from 'node:crypto';
import { Filter, FilterConditions, kvs, WhereConditions } from '@forge/kvs';
import type { EpicEntry, OrphanEntry, RollupDelta, RollupHead, RollupStore, RunStore, ReconcileRun, StoredSite } from '../../services/rollup-ports';
import type { Clock } from '../../services/ports';
import { applyDelta } from '../../domain/epic-figures';
import { isConditionFailure } from './destination-store';
import { ENTITY, KEY } from './keys';
import { shardOf } from './shards';
import { storageFailure } from './storage-errors';

/** Forge batches and transactions take at most 25 operations. */
const BATCH = 25;
/** Keep shards well below the 240 KiB value limit. */
const SHARD_TARGET_CHARS = 120_000;
const MAX_SHARDS = 200;
const LEASE_SECONDS = 60;
const TOMBSTONE_MS = 15 * 60_000;

interface Shard {
  epics: EpicEntry[];
  orphans: Array<OrphanEntry & { id: string }>;
}

interface Sequence {
  value: number;
}

/** Bumped after every compaction of a generation's shards (only the lease holder writes it). */
interface Compacted {
  generation: string;
  n: number;
}

/**
 * The shards last read, by version, held by whoever owns the cache (the composition root: one per container).
 * A warm Forge container (and the local platform) then reads only the small keys on a view; any compaction or
 * new generation changes the version.
 */
export interface ShardCache {
  last?: { version: string; epics: Map<string, EpicEntry>; orphans: Map<string, OrphanEntry> };
}

const gen = (g: string) => `${KEY.rollupGenerationPrefix}${g}:`;
const shardKey = (g: string, i: number) => `${gen(g)}s:${i}`;
const epicChunkKey = (g: string, i: number) => `${gen(g)}e:${i}`;
const partitionKey = (g: string, i: number) => `${gen(g)}p:${i}`;
const orphansKey = (g: string) => `${gen(g)}o`;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw storageFailure(error);
  }
}

/** Every key under a prefix, one query page (100) at a time. */
async function keysWithPrefix<T>(prefix: string, maxPages = 10_000): Promise<Array<{ key: string; value: T }>> {
  const out: Array<{ key: string; value: T }> = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(100);
    if (cursor) query = query.cursor(cursor);
    const result = await query.getMany<T>();
    out.push(...result.results.map((r) => ({ key: r.key, value: r.value })));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return out;
}

async function batchGet<T>(keys: string[]): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (const group of chunks(keys, BATCH)) {
    const result = await kvs.batchGet<T>(group.map((key) => ({ key })));
    // A missing key is an answer (absent); any other failure is not, and must not read as "nothing stored".
    const failed = result.failedKeys.filter((f) => f.error.code !== 'KEY_NOT_FOUND');
    if (failed.length > 0) throw new Error(`batch get failed for ${failed.length} keys`);
    for (const item of result.successfulKeys) out.set(item.key, item.value);
  }
  return out;
}

async function batchSet(items: Array<{ key: string; value: unknown }>): Promise<void> {
  for (const group of chunks(items, BATCH)) {
    const result = await kvs.batchSet(group);
    if (result.failedKeys.length > 0) throw new Error(`batch set failed for ${result.failedKeys.length} keys`);
  }
}

async function batchDelete(keys: string[]): Promise<void> {
  for (const group of chunks(keys, BATCH)) await kvs.batchDelete(group.map((key) => ({ key })));
}

/** Compare-and-set on a counter of the `sequence` entity: true when `expected` was still there. */
async function casCounter(key: string, expected: number | undefined, next: number): Promise<boolean> {
  const condition = expected === undefined
    ? new Filter<Sequence>().and('value', FilterConditions.notExists())
    : new Filter<Sequence>().and('value', FilterConditions.equalTo(expected));
  try {
    await kvs.transact().set<Sequence>(key, { value: next }, { entityName: ENTITY.sequence, conditions: condition }).execute();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

async function readCounter(key: string): Promise<number | undefined> {
  return (await kvs.entity<Sequence>(ENTITY.sequence).get(key))?.value;
}

export function createRollupStore({ clock, shardCache, readTime }: { clock: Clock; shardCache: ShardCache; readTime: () => number }): RollupStore {
  async function readShards(head: RollupHead): Promise<Map<string, Shard>> {
    return batchGet<Shard>(Array.from({ length: head.shards }, (_, i) => shardKey(head.generation, i)));
  }

  return {
    head: () => guarded(async () => kvs.get<RollupHead>(KEY.rollupHead)),

    load: () => guarded(async () => {
      let calls = 1;
      const first = await batchGet<unknown>([KEY.rollupHead, KEY.rollupCompacted]);
      const head = first.get(KEY.rollupHead) as RollupHead | undefined;
      if (!head) return undefined;
      const compacted = (first.get(KEY.rollupCompacted) as Compacted | undefined) ?? { generation: head.generation, n: 0 };
      const version = `${head.generation}:${head.finishedAt}:${compacted.generation === head.generation ? compacted.n : 0}`;
      const cached = shardCache.last?.version === version ? shardCache.last : undefined;
      const [shards, deltas, pending, forecasts] = await Promise.all([
        cached ? Promise.resolve(undefined) : readShards(head),
        keysWithPrefix<RollupDelta>(KEY.rollupDeltaPrefix),
        kvs.query().where('key', WhereConditions.beginsWith(KEY.rollupPendingPrefix)).limit(100).getMany<{ at: string }>(),
        kvs.get<StoredSite['forecasts']>(KEY.rollupForecasts).catch(() => undefined),
      ]);
      calls += (cached ? 0 : Math.ceil(head.shards / BATCH)) + Math.max(1, Math.ceil(deltas.length / 100)) + 2;
      let epics: Map<string, EpicEntry>;
      let orphans: Map<string, OrphanEntry>;
      if (cached) {
        // Entries are never changed in place (applyDelta replaces them), so copies of the maps suffice.
        epics = new Map(cached.epics);
        orphans = new Map(cached.orphans);
      } else {
        // A missing shard would read as missing epics: a wrong number. Report storage as unavailable instead.
        if (!shards || shards.size !== head.shards) throw new Error(`generation ${head.generation} is missing shards`);
        epics = new Map<string, EpicEntry>();
        orphans = new Map<string, OrphanEntry>();
        for (const shard of shards.values()) {
          for (const e of shard.epics) epics.set(e.key, e);
          for (const { id, ...o } of shard.orphans) orphans.set(id, o);
        }
        shardCache.last = { version, epics: new Map(epics), orphans: new Map(orphans) };
      }
      let newestDeltaAt: number | undefined;
      for (const { value } of deltas) {
        applyDelta(epics, orphans, value);
        newestDeltaAt = Math.max(newestDeltaAt ?? 0, value.at);
      }
      const pendingSince = pending.results.map((r) => r.value.at).sort()[0];
      const site: StoredSite = { head, epics, orphans, version, deltaCount: deltas.length, forecasts: forecasts ?? {}, storageCalls: calls };
      if (newestDeltaAt !== undefined) site.newestDeltaAt = newestDeltaAt;
      if (pendingSince !== undefined) site.pendingSince = pendingSince;
      return site;
    }),

    readTime,

    writeDeltas: (deltas) => guarded(async () => {
      await batchSet(deltas.map((value) => ({ key: `${KEY.rollupDeltaPrefix}${String(value.at).padStart(15, '0')}:${randomUUID().slice(0, 8)}`, value })));
    }),

    compact: (keepNewerThan) => guarded(async () => {
      const now = Math.floor(clock.now().getTime() / 1000);
      const lease = await readCounter(KEY.rollupCompactionLease);
      if (lease !== undefined && lease > now) return 0;
      const mine = now + LEASE_SECONDS;
      if (!(await casCounter(KEY.rollupCompactionLease, lease, mine))) return 0;
      try {
        const head = await kvs.get<RollupHead>(KEY.rollupHead);
        if (!head) return 0;
        const deltas = await keysWithPrefix<RollupDelta>(KEY.rollupDeltaPrefix, 20);
        if (deltas.length === 0) return 0;
        const touched = new Set<number>();
        for (const { value } of deltas) touched.add(shardOf(value.t === 'orphan' ? value.id : value.key, head.shards));
        const keys = [...touched].map((i) => shardKey(head.generation, i));
        const shards = await batchGet<Shard>(keys);
        const epics = new Map<string, EpicEntry>();
        const orphans = new Map<string, OrphanEntry>();
        for (const shard of shards.values()) {
          for (const e of shard.epics) epics.set(e.key, e);
          for (const { id, ...o } of shard.orphans) orphans.set(id, o);
        }
        for (const { value } of deltas) applyDelta(epics, orphans, value);
        const rebuilt = new Map<number, Shard>([...touched].map((i) => [i, { epics: [], orphans: [] }]));
        for (const e of epics.values()) rebuilt.get(shardOf(e.key, head.shards))?.epics.push(e);
        // A tombstone only has to outlive facts still being written (an event handler runs for seconds):
        // older ones are dropped, so shards do not fill with every issue that ever changed.
        const tombstoneHorizon = clock.now().getTime() - TOMBSTONE_MS;
        for (const [id, o] of orphans) {
          if (o.projectKey === null && o.at < tombstoneHorizon) continue;
          rebuilt.get(shardOf(id, head.shards))?.orphans.push({ id, ...o });
        }
        await batchSet([...rebuilt].map(([i, value]) => ({ key: shardKey(head.generation, i), value })));
        // Readers that kept the shards in memory see from this counter that they changed.
        const previous = await kvs.get<Compacted>(KEY.rollupCompacted);
        await kvs.set<Compacted>(KEY.rollupCompacted, { generation: head.generation, n: previous?.generation === head.generation ? previous.n + 1 : 1 });
        // While a reconcile builds the next generation, facts newer than its start must survive the switch.
        const folded = deltas.filter(({ value }) => keepNewerThan === undefined || value.at < keepNewerThan).map((d) => d.key);
        await batchDelete(folded);
        return folded.length;
      } finally {
        await casCounter(KEY.rollupCompactionLease, mine, 0).catch(() => false);
      }
    }),

    markPending: (issueId, at) => guarded(async () => {
      await kvs.set(`${KEY.rollupPendingPrefix}${issueId}`, { at });
    }),
    clearPending: (issueId) => guarded(async () => {
      await kvs.delete(`${KEY.rollupPendingPrefix}${issueId}`);
    }),
    clearPendingBefore: (before) => guarded(async () => {
      const marks = await keysWithPrefix<{ at: string }>(KEY.rollupPendingPrefix, 50);
      await batchDelete(marks.filter((m) => m.value.at < before).map((m) => m.key));
    }),

    saveForecasts: async (forecasts) => {
      // A cache: losing a write only costs the next view the computation.
      await kvs.set(KEY.rollupForecasts, forecasts).catch(() => undefined);
    },

    writeEpicChunk: (generation, index, epics) => guarded(async () => {
      await kvs.set(epicChunkKey(generation, index), epics);
    }),
    readEpicChunks: (generation, count) => guarded(async () => {
      const keys = Array.from({ length: count }, (_, i) => epicChunkKey(generation, i));
      const found = await batchGet<EpicEntry[]>(keys);
      if (found.size !== count) throw new Error(`epic chunks of ${generation} are missing`);
      return keys.flatMap((k) => found.get(k) ?? []);
    }),
    writePartition: (generation, index, progress) => guarded(async () => {
      await kvs.set(partitionKey(generation, index), progress);
    }),
    readPartitions: (generation, count) => guarded(async () => {
      const keys = Array.from({ length: count }, (_, i) => partitionKey(generation, i));
      const found = await batchGet<Array<Pick<EpicEntry, 'key' | 'progress' | 'doneDays' | 'unestimatedKeys'>>>(keys);
      if (found.size !== count) throw new Error(`partitions of ${generation} are missing`);
      return keys.flatMap((k) => found.get(k) ?? []);
    }),
    writeOrphans: (generation, orphans) => guarded(async () => {
      await kvs.set(orphansKey(generation), orphans);
    }),

    publish: (head, epics) => guarded(async () => {
      const orphans = (await kvs.get<Array<OrphanEntry & { id: string }>>(orphansKey(head.generation))) ?? [];
      const size = JSON.stringify(epics).length + JSON.stringify(orphans).length;
      const shards = Math.min(MAX_SHARDS, Math.max(1, Math.ceil(size / SHARD_TARGET_CHARS)));
      const built: Shard[] = Array.from({ length: shards }, () => ({ epics: [], orphans: [] }));
      for (const e of epics) built[shardOf(e.key, shards)]?.epics.push(e);
      for (const o of orphans) built[shardOf(o.id, shards)]?.orphans.push(o);
      await batchSet(built.map((value, i) => ({ key: shardKey(head.generation, i), value })));
      const previous = await kvs.get<RollupHead>(KEY.rollupHead);
      // The switch: one write. Until it lands readers use the previous generation, complete. That one is kept
      // until the next switch, so a reader that read the old head a moment ago still finds its shards.
      const next: RollupHead = { ...head, shards };
      if (previous && previous.generation !== head.generation) next.previousGeneration = previous.generation;
      await kvs.set<RollupHead>(KEY.rollupHead, next);
      if (previous?.previousGeneration && previous.previousGeneration !== head.generation) {
        await dropGeneration(previous.previousGeneration).catch(() => undefined);
      }
      await dropBuildKeys(head.generation).catch(() => undefined);
    }),

    dropGeneration: (generation) => guarded(() => dropGeneration(generation)),
  };
}

async function dropGeneration(generation: string): Promise<void> {
  const keys = await keysWithPrefix<unknown>(gen(generation));
  await batchDelete(keys.map((k) => k.key));
}

/** A published generation keeps its shards only; the build's chunks are garbage. */
async function dropBuildKeys(generation: string): Promise<void> {
  const keys = (await keysWithPrefix<unknown>(gen(generation))).map((k) => k.key).filter((k) => !k.startsWith(`${gen(generation)}s:`));
  await batchDelete(keys);
}

/** The reconcile run, and the claim (a counter holding the latest run number) that lets only one start win. */
export function createRunStore(): RunStore {
  return {
    get: () => guarded(async () => kvs.get<ReconcileRun>(KEY.rollupRun)),
    save: (run) => guarded(async () => {
      await kvs.set(KEY.rollupRun, run);
    }),
    claimStart: (previousRunId, runId) => guarded(async () => {
      const current = await readCounter(KEY.reconcileClaim);
      const expected = previousRunId === null ? current : Number(previousRunId.replace(/^r/, ''));
      if (current !== expected) return false;
      return casCounter(KEY.reconcileClaim, current, Number(runId.replace(/^r/, '')));
    }),
  };
}
