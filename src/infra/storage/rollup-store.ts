/**
 * Stored rollups in `@forge/kvs`. Layout (prefixes in keys.ts; `<g>` is a generation):
 *  - `rollup-head` → the complete generation readers use;
 *  - `rollup-gen:<g>:v` → each shard's version and number of parts (the shard index);
 *  - `rollup-gen:<g>:s:<i>` (+ `:s:<i>:<part>`) → shard i: epic entries and in-flight orphans, by a key hash;
 *  - `rollup-gen:<g>:g:<destination>` (+ parts) → the entries of the epics on one destination (the panel's read);
 *  - `rollup-gen:<g>:e:<n>` / `:p:<n>` / `:o` (+ parts) → a build's epic chunks, partition figures and orphans;
 *  - `rollup-delta:<at>:<rand>` → facts written by events since, folded into the shards by `compact`.
 * Every value that grows with the site is split across keys by its UTF-8 bytes (value-size.ts), so no value
 * nears Forge's 240 KiB limit whatever the epics hold. Each shard has its own version: a warm container re-reads
 * only the shards a compaction changed. Writers never rewrite shared values without the compaction lease, so
 * concurrent events cannot lose updates.
 */
import { randomUUID } from 'node:crypto';
import { Filter, FilterConditions, WhereConditions } from '@forge/kvs';
import { kvs } from './kvs-retry';
import type { EpicEntry, EpicReading, OrphanEntry, RollupDelta, RollupHead, RollupStore, RunStore, ReconcileRun, StoredSite } from '../../services/rollup-ports';
import type { Clock } from '../../services/ports';
import { applyDelta, isLive } from '../../domain/epic-figures';
import { isConditionFailure } from './destination-store';
import { ENTITY, KEY } from './keys';
import { shardOf } from './shards';
import { storageFailure } from './storage-errors';
import { BATCH_OPERATIONS, batchesByBytes, bytesOf, splitByBytes, VALUE_TARGET_BYTES } from './value-size';

/** A shard's target size: small, so a compaction that changes one makes a warm view re-read little. */
const SHARD_TARGET_BYTES = 64 * 1024;
const MAX_SHARDS = 2000;
const LEASE_SECONDS = 60;
const TOMBSTONE_MS = 15 * 60_000;
/** A compaction request older than this is taken for lost (its queue push failed) and may be made again. */
const COMPACTION_REQUEST_STALE_SECONDS = 300;

type IdOrphan = OrphanEntry & { id: string };

/** One stored part of a shard: `v` is the shard's version, `n` how many parts it has (absent in old values: 0 and 1). */
interface ShardPart {
  v?: number;
  n?: number;
  epics: EpicEntry[];
  orphans: IdOrphan[];
}

/** One stored part of a list split by bytes; part 0 carries the number of parts and is written last. */
interface ListPart<T> {
  n?: number;
  items: T[];
}

/** Each shard's version and number of parts, for one generation. Only the lease holder rewrites it. */
interface ShardIndex {
  v: number[];
  p: number[];
}

interface Sequence {
  value: number;
}

interface CachedShard {
  v: number;
  epics: EpicEntry[];
  orphans: IdOrphan[];
}

/**
 * The shards last read, each with its version, held by whoever owns the cache (the composition root: one per
 * container). A warm Forge container (and the local platform) then reads only the small keys and the shards
 * whose version changed since.
 */
export interface ShardCache {
  generation?: string;
  shards?: Map<number, CachedShard>;
}

/** Counts the storage calls of one read, for the view's figures. */
interface Tally {
  n: number;
}

const gen = (g: string) => `${KEY.rollupGenerationPrefix}${g}:`;
const partKey = (base: string, part: number) => (part === 0 ? base : `${base}:${part}`);
const shardKey = (g: string, i: number) => `${gen(g)}s:${i}`;
const indexKey = (g: string) => `${gen(g)}v`;
const epicChunkKey = (g: string, i: number) => `${gen(g)}e:${i}`;
const partitionKey = (g: string, i: number) => `${gen(g)}p:${i}`;
const orphansKey = (g: string) => `${gen(g)}o`;
/** A destination id as a key segment: as it is when the key pattern allows it, else a stable hash of it. */
const groupKey = (g: string, destinationId: string) =>
  `${gen(g)}g:${/^[A-Za-z0-9._-]{1,100}$/.test(destinationId) ? destinationId : `#${shardOf(destinationId, 2 ** 31).toString(36)}`}`;

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

/** Every key under a prefix, one query page (100, Forge's most) at a time. */
async function keysWithPrefix<T>(prefix: string, maxPages = 10_000, tally?: Tally): Promise<Array<{ key: string; value: T }>> {
  const out: Array<{ key: string; value: T }> = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    let query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(100);
    if (cursor) query = query.cursor(cursor);
    if (tally) tally.n += 1;
    const result = await query.getMany<T>();
    out.push(...result.results.map((r) => ({ key: r.key, value: r.value })));
    cursor = result.nextCursor;
    if (!cursor) break;
  }
  return out;
}

async function batchGet<T>(keys: string[], tally?: Tally): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (const group of chunks(keys, BATCH_OPERATIONS)) {
    if (tally) tally.n += 1;
    const result = await kvs.batchGet<T>(group.map((key) => ({ key })));
    // A missing key is an answer (absent); any other failure is not, and must not read as "nothing stored".
    const failed = result.failedKeys.filter((f) => f.error.code !== 'KEY_NOT_FOUND');
    if (failed.length > 0) throw new Error(`batch get failed for ${failed.length} keys`);
    for (const item of result.successfulKeys) out.set(item.key, item.value);
  }
  return out;
}

/** Writes in batches of at most 25 operations and Forge's batch payload in bytes. */
async function batchSet(items: Array<{ key: string; value: unknown }>): Promise<void> {
  for (const group of batchesByBytes(items)) {
    const result = await kvs.batchSet(group);
    if (result.failedKeys.length > 0) throw new Error(`batch set failed for ${result.failedKeys.length} keys`);
  }
}

async function batchDelete(keys: string[]): Promise<void> {
  for (const group of chunks(keys, BATCH_OPERATIONS)) await kvs.batchDelete(group.map((key) => ({ key })));
}

/** A list stored under `base` in parts of at most `VALUE_TARGET_BYTES`: the other parts first, part 0 last. */
function listWrites<T>(base: string, items: readonly T[]): { rest: Array<{ key: string; value: ListPart<T> }>; first: { key: string; value: ListPart<T> } } {
  const parts = splitByBytes(items, VALUE_TARGET_BYTES);
  return {
    rest: parts.slice(1).map((part, i) => ({ key: partKey(base, i + 1), value: { items: part } })),
    first: { key: base, value: { n: parts.length, items: parts[0] ?? [] } },
  };
}

async function writeLists<T>(lists: Array<{ base: string; items: readonly T[] }>): Promise<void> {
  const writes = lists.map(({ base, items }) => listWrites(base, items));
  // Part 0 says how many parts there are, so it goes last: a reader never finds it before the rest.
  await batchSet(writes.flatMap((w) => w.rest));
  await batchSet(writes.map((w) => w.first));
}

/** Lists stored by `writeLists`, by base key; a base with no part 0 is absent from the answer. */
async function readLists<T>(bases: string[], tally?: Tally): Promise<Map<string, T[]>> {
  const first = await batchGet<ListPart<T> | T[]>(bases, tally);
  const out = new Map<string, T[]>();
  const more: string[] = [];
  for (const base of bases) {
    const part = first.get(base);
    if (part === undefined) continue;
    // A bare array is a value written before lists were split (one part).
    if (Array.isArray(part)) {
      out.set(base, part);
      continue;
    }
    out.set(base, [...part.items]);
    for (let i = 1; i < (part.n ?? 1); i++) more.push(partKey(base, i));
  }
  if (more.length > 0) {
    const rest = await batchGet<ListPart<T>>(more, tally);
    for (const base of bases) {
      const part = first.get(base);
      if (part === undefined || Array.isArray(part)) continue;
      for (let i = 1; i < (part.n ?? 1); i++) {
        const next = rest.get(partKey(base, i));
        if (!next) throw new Error(`part ${i} of ${base} is missing`);
        out.get(base)?.push(...next.items);
      }
    }
  }
  return out;
}

/** A shard's entries cut into parts by bytes, each stamped with the shard's version and part count. */
function shardWrites(g: string, i: number, v: number, epics: readonly EpicEntry[], orphans: readonly IdOrphan[]): Array<{ key: string; value: ShardPart }> {
  const tagged: Array<{ e: EpicEntry } | { o: IdOrphan }> = [...epics.map((e) => ({ e })), ...orphans.map((o) => ({ o }))];
  const parts = splitByBytes(tagged, VALUE_TARGET_BYTES);
  return parts.map((part, p) => ({
    key: partKey(shardKey(g, i), p),
    value: {
      v,
      n: parts.length,
      epics: part.flatMap((t) => ('e' in t ? [t.e] : [])),
      orphans: part.flatMap((t) => ('o' in t ? [t.o] : [])),
    },
  }));
}

/**
 * Shards by index, read in as few batch calls as their parts allow. A shard caught half rewritten by a
 * compaction (parts of two versions, or a part count that changed) is read again, so a reader never mixes them.
 */
async function readShards(g: string, wanted: number[], index: ShardIndex, tally: Tally): Promise<Map<number, CachedShard>> {
  const out = new Map<number, CachedShard>();
  let todo = wanted.map((i) => ({ i, parts: index.p[i] ?? 1 }));
  for (let attempt = 0; attempt < 4 && todo.length > 0; attempt++) {
    const found = await batchGet<ShardPart>(todo.flatMap(({ i, parts }) => Array.from({ length: parts }, (_, p) => partKey(shardKey(g, i), p))), tally);
    const again: typeof todo = [];
    for (const { i, parts } of todo) {
      const read = Array.from({ length: parts }, (_, p) => found.get(partKey(shardKey(g, i), p)));
      const first = read[0];
      if (first === undefined) throw new Error(`generation ${g} is missing shard ${i}`);
      const v = first.v ?? 0;
      const n = first.n ?? 1;
      if (n !== parts || read.some((part) => part === undefined || (part.v ?? 0) !== v)) {
        again.push({ i, parts: n });
        continue;
      }
      out.set(i, { v, epics: read.flatMap((part) => part?.epics ?? []), orphans: read.flatMap((part) => part?.orphans ?? []) });
    }
    todo = again;
  }
  if (todo.length > 0) throw new Error(`shards of ${g} kept changing while read`);
  return out;
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

/** The index of a generation published before shards had versions: every shard at version 0, one part. */
function defaultIndex(shards: number): ShardIndex {
  return { v: new Array<number>(shards).fill(0), p: new Array<number>(shards).fill(1) };
}

/** Which destination groups an entry belongs to (a live epic naming a destination). */
function groupOf(entry: EpicEntry | undefined): string | undefined {
  return entry !== undefined && isLive(entry) && typeof entry.destinationId === 'string' ? entry.destinationId : undefined;
}

export function createRollupStore({ clock, shardCache, readTime }: { clock: Clock; shardCache: ShardCache; readTime: () => number }): RollupStore {
  /** The head and the shard index of its generation: one call when the cache knows the generation, else two. */
  async function headAndIndex(tally: Tally): Promise<{ head: RollupHead; index: ShardIndex } | undefined> {
    const guess = shardCache.generation;
    const first = await batchGet<unknown>(guess ? [KEY.rollupHead, indexKey(guess)] : [KEY.rollupHead], tally);
    const head = first.get(KEY.rollupHead) as RollupHead | undefined;
    if (!head) return undefined;
    let index = head.generation === guess ? (first.get(indexKey(guess)) as ShardIndex | undefined) : undefined;
    if (head.generation !== guess) {
      tally.n += 1;
      index = await kvs.get<ShardIndex>(indexKey(head.generation));
    }
    return { head, index: index ?? defaultIndex(head.shards) };
  }

  /** The wanted shards, from the cache where their version is unchanged; the cache keeps what was read. */
  async function shardsOf(head: RollupHead, index: ShardIndex, wanted: number[], tally: Tally): Promise<Map<number, CachedShard>> {
    if (shardCache.generation !== head.generation || !shardCache.shards) {
      shardCache.generation = head.generation;
      shardCache.shards = new Map();
    }
    const cache = shardCache.shards;
    const out = new Map<number, CachedShard>();
    const stale: number[] = [];
    for (const i of wanted) {
      const hit = cache.get(i);
      if (hit && hit.v === (index.v[i] ?? 0)) out.set(i, hit);
      else stale.push(i);
    }
    if (stale.length > 0) {
      for (const [i, shard] of await readShards(head.generation, stale, index, tally)) {
        cache.set(i, shard);
        out.set(i, shard);
      }
    }
    return out;
  }

  /** Deltas on top of the generation, pending marks and forecasts: read alongside the shards. */
  async function overlay(tally: Tally) {
    tally.n += 2;
    const [deltas, pending, forecasts] = await Promise.all([
      keysWithPrefix<RollupDelta>(KEY.rollupDeltaPrefix, 10_000, tally),
      kvs.query().where('key', WhereConditions.beginsWith(KEY.rollupPendingPrefix)).limit(100).getMany<{ at: string }>(),
      kvs.get<StoredSite['forecasts']>(KEY.rollupForecasts).catch(() => undefined),
    ]);
    return { deltas: deltas.map((d) => d.value), pendingSince: pending.results.map((r) => r.value.at).sort()[0], forecasts: forecasts ?? {} };
  }

  function siteOf(head: RollupHead, index: ShardIndex, epics: Map<string, EpicEntry>, orphans: Map<string, OrphanEntry>, o: Awaited<ReturnType<typeof overlay>>, tally: Tally): StoredSite {
    let newestDeltaAt: number | undefined;
    for (const delta of o.deltas) {
      applyDelta(epics, orphans, delta);
      newestDeltaAt = Math.max(newestDeltaAt ?? 0, delta.at);
    }
    // Every compaction raises the version of a shard it rewrites, so the sum changes with any of them.
    const version = `${head.generation}:${head.finishedAt}:${index.v.reduce((a, b) => a + b, 0)}`;
    const site: StoredSite = { head, epics, orphans, version, deltaCount: o.deltas.length, forecasts: o.forecasts, storageCalls: tally.n };
    if (newestDeltaAt !== undefined) site.newestDeltaAt = newestDeltaAt;
    if (o.pendingSince !== undefined) site.pendingSince = o.pendingSince;
    return site;
  }

  return {
    head: () => guarded(async () => kvs.get<RollupHead>(KEY.rollupHead)),

    load: () => guarded(async () => {
      const tally: Tally = { n: 0 };
      const found = await headAndIndex(tally);
      if (!found) return undefined;
      const { head, index } = found;
      const [shards, o] = await Promise.all([shardsOf(head, index, Array.from({ length: head.shards }, (_, i) => i), tally), overlay(tally)]);
      // A missing shard would read as missing epics: a wrong number. Report storage as unavailable instead.
      if (shards.size !== head.shards) throw new Error(`generation ${head.generation} is missing shards`);
      const epics = new Map<string, EpicEntry>();
      const orphans = new Map<string, OrphanEntry>();
      // Entries are never changed in place (applyDelta replaces them), so the cached ones can be shared.
      for (const shard of shards.values()) {
        for (const e of shard.epics) epics.set(e.key, e);
        for (const { id, ...rest } of shard.orphans) orphans.set(id, rest);
      }
      return siteOf(head, index, epics, orphans, o, tally);
    }),

    loadEpic: (epicKey) => guarded(async (): Promise<EpicReading | undefined> => {
      const tally: Tally = { n: 0 };
      const found = await headAndIndex(tally);
      if (!found) return undefined;
      const { head, index } = found;
      const own = shardOf(epicKey, head.shards);
      const [shards, o] = await Promise.all([shardsOf(head, index, [own], tally), overlay(tally)]);
      const ownEntries = new Map((shards.get(own)?.epics ?? []).map((e) => [e.key, e]));
      const epicOnly = (map: Map<string, EpicEntry>) => {
        const entry = map.get(epicKey);
        return new Map(entry ? [[epicKey, entry]] : []);
      };
      const site = siteOf(head, index, epicOnly(ownEntries), new Map(), o, tally);
      site.epics = epicOnly(site.epics);
      return {
        site,
        withDestination: (destinationId) => guarded(async () => {
          const base = new Map<string, EpicEntry>();
          if (typeof destinationId === 'string') {
            const group = (await readLists<EpicEntry>([groupKey(head.generation, destinationId)], tally)).values().next().value ?? [];
            for (const e of group) base.set(e.key, e);
            // An epic moved onto the destination since the last compaction is in no group yet: its entry is in its shard.
            const movedIn = new Set<string>();
            for (const d of o.deltas) if (d.t === 'fields' && d.destinationId === destinationId && !base.has(d.key) && !ownEntries.has(d.key)) movedIn.add(d.key);
            if (movedIn.size > 0) {
              const extra = await shardsOf(head, index, [...new Set([...movedIn].map((k) => shardOf(k, head.shards)))], tally);
              for (const shard of extra.values()) for (const e of shard.epics) if (movedIn.has(e.key)) base.set(e.key, e);
            }
          }
          const own = ownEntries.get(epicKey);
          if (own) base.set(epicKey, own);
          const epics = siteOf(head, index, base, new Map(), o, tally).epics;
          // Only the epic and its destination's members are read: anything else a delta touched is left out.
          for (const [key, entry] of epics) if (key !== epicKey && entry.destinationId !== destinationId) epics.delete(key);
          return { ...site, epics, storageCalls: tally.n };
        }),
      };
    }),

    readTime,

    writeDeltas: (deltas) => guarded(async () => {
      await batchSet(deltas.map((value) => ({ key: `${KEY.rollupDeltaPrefix}${String(value.at).padStart(15, '0')}:${randomUUID().slice(0, 8)}`, value })));
    }),

    compact: (keepNewerThan, onFolded) => guarded(async () => {
      const now = Math.floor(clock.now().getTime() / 1000);
      const lease = await readCounter(KEY.rollupCompactionLease);
      if (lease !== undefined && lease > now) return 'busy';
      const mine = now + LEASE_SECONDS;
      if (!(await casCounter(KEY.rollupCompactionLease, lease, mine))) return 'busy';
      try {
        const head = await kvs.get<RollupHead>(KEY.rollupHead);
        if (!head) return 0;
        const deltas = await keysWithPrefix<RollupDelta>(KEY.rollupDeltaPrefix, 20);
        if (deltas.length === 0) return 0;
        const index = (await kvs.get<ShardIndex>(indexKey(head.generation))) ?? defaultIndex(head.shards);
        const touched = new Set<number>();
        for (const { value } of deltas) touched.add(shardOf(value.t === 'orphan' ? value.id : value.key, head.shards));
        const shards = await readShards(head.generation, [...touched], index, { n: 0 });
        const epics = new Map<string, EpicEntry>();
        const orphans = new Map<string, OrphanEntry>();
        for (const shard of shards.values()) {
          for (const e of shard.epics) epics.set(e.key, e);
          for (const { id, ...o } of shard.orphans) orphans.set(id, o);
        }
        const before = new Map(epics);
        for (const { value } of deltas) applyDelta(epics, orphans, value);
        const rebuilt = new Map<number, { epics: EpicEntry[]; orphans: IdOrphan[] }>([...touched].map((i) => [i, { epics: [], orphans: [] }]));
        for (const e of epics.values()) rebuilt.get(shardOf(e.key, head.shards))?.epics.push(e);
        // A tombstone only has to outlive facts still being written (an event handler runs for seconds):
        // older ones are dropped, so shards do not fill with every issue that ever changed.
        const tombstoneHorizon = clock.now().getTime() - TOMBSTONE_MS;
        for (const [id, o] of orphans) {
          if (o.projectKey === null && o.at < tombstoneHorizon) continue;
          rebuilt.get(shardOf(id, head.shards))?.orphans.push({ id, ...o });
        }
        const next: ShardIndex = { v: [...index.v], p: [...index.p] };
        const writes: Array<{ key: string; value: ShardPart }> = [];
        const dropped: string[] = [];
        for (const [i, shard] of rebuilt) {
          const v = (index.v[i] ?? 0) + 1;
          const parts = shardWrites(head.generation, i, v, shard.epics, shard.orphans);
          writes.push(...parts);
          for (let p = parts.length; p < (index.p[i] ?? 1); p++) dropped.push(partKey(shardKey(head.generation, i), p));
          next.v[i] = v;
          next.p[i] = parts.length;
        }
        await batchSet(writes);
        // Readers compare each shard's version with the one they hold, and re-read only those that moved.
        await kvs.set<ShardIndex>(indexKey(head.generation), next);
        await batchDelete(dropped).catch(() => undefined);
        await updateGroups(head.generation, before, epics);
        onFolded?.(before, epics);
        // While a reconcile builds the next generation, facts newer than its start must survive the switch.
        const folded = deltas.filter(({ value }) => keepNewerThan === undefined || value.at < keepNewerThan).map((d) => d.key);
        await batchDelete(folded);
        return folded.length;
      } finally {
        await casCounter(KEY.rollupCompactionLease, mine, 0).catch(() => false);
      }
    }),

    requestCompaction: () => guarded(async () => {
      const now = Math.floor(clock.now().getTime() / 1000);
      const pending = await readCounter(KEY.rollupCompactionRequest);
      if (pending !== undefined && pending > 0 && pending > now - COMPACTION_REQUEST_STALE_SECONDS) return false;
      return casCounter(KEY.rollupCompactionRequest, pending, now);
    }),
    takeCompactionRequest: () => guarded(async () => {
      const pending = await readCounter(KEY.rollupCompactionRequest);
      if (pending !== undefined && pending !== 0) await casCounter(KEY.rollupCompactionRequest, pending, 0);
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

    writeEpicChunk: (generation, index, epics) => guarded(() => writeLists([{ base: epicChunkKey(generation, index), items: epics }])),
    readEpicChunks: (generation, count) => guarded(async () => {
      const keys = Array.from({ length: count }, (_, i) => epicChunkKey(generation, i));
      const found = await readLists<EpicEntry>(keys);
      if (found.size !== count) throw new Error(`epic chunks of ${generation} are missing`);
      return keys.flatMap((k) => found.get(k) ?? []);
    }),
    writePartition: (generation, index, progress) => guarded(() => writeLists([{ base: partitionKey(generation, index), items: progress }])),
    readPartitions: (generation, count) => guarded(async () => {
      const keys = Array.from({ length: count }, (_, i) => partitionKey(generation, i));
      const found = await readLists<Pick<EpicEntry, 'key' | 'progress' | 'doneWeeks' | 'unestimatedKeys'>>(keys);
      if (found.size !== count) throw new Error(`partitions of ${generation} are missing`);
      return keys.flatMap((k) => found.get(k) ?? []);
    }),
    writeOrphans: (generation, orphans) => guarded(() => writeLists([{ base: orphansKey(generation), items: orphans }])),

    publish: (head, epics) => guarded(async () => {
      const orphans = (await readLists<IdOrphan>([orphansKey(head.generation)])).get(orphansKey(head.generation)) ?? [];
      const size = epics.reduce((n, e) => n + bytesOf(e) + 1, 0) + orphans.reduce((n, o) => n + bytesOf(o) + 1, 0);
      const shards = Math.min(MAX_SHARDS, Math.max(1, Math.ceil(size / SHARD_TARGET_BYTES)));
      const built = Array.from({ length: shards }, () => ({ epics: [] as EpicEntry[], orphans: [] as IdOrphan[] }));
      for (const e of epics) built[shardOf(e.key, shards)]?.epics.push(e);
      for (const o of orphans) built[shardOf(o.id, shards)]?.orphans.push(o);
      const writes = built.map((s, i) => shardWrites(head.generation, i, 1, s.epics, s.orphans));
      await batchSet(writes.flat());
      const groups = new Map<string, EpicEntry[]>();
      for (const e of epics) {
        const d = groupOf(e);
        if (d !== undefined) groups.set(d, [...(groups.get(d) ?? []), e]);
      }
      await writeLists([...groups].map(([d, items]) => ({ base: groupKey(head.generation, d), items })));
      await kvs.set<ShardIndex>(indexKey(head.generation), { v: new Array<number>(shards).fill(1), p: writes.map((w) => w.length) });
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

/**
 * Rewrite the destination groups a compaction changed: an epic that left a destination leaves its group, one
 * that joined (or changed) is written in. Groups are read whole (a destination's epics, split by bytes).
 */
async function updateGroups(g: string, before: Map<string, EpicEntry>, after: Map<string, EpicEntry>): Promise<void> {
  const changed = [...after].filter(([key, entry]) => before.get(key) !== entry).map(([key]) => key);
  const affected = new Set<string>();
  for (const key of changed) {
    for (const d of [groupOf(before.get(key)), groupOf(after.get(key))]) if (d !== undefined) affected.add(d);
  }
  if (affected.size === 0) return;
  const ids = [...affected];
  const stored = await readLists<EpicEntry>(ids.map((d) => groupKey(g, d)));
  const lists = ids.map((d) => {
    const members = new Map((stored.get(groupKey(g, d)) ?? []).map((e) => [e.key, e]));
    for (const key of changed) {
      const entry = after.get(key);
      if (groupOf(entry) === d && entry) members.set(key, entry);
      else members.delete(key);
    }
    return { base: groupKey(g, d), items: [...members.values()] };
  });
  await writeLists(lists);
}

async function dropGeneration(generation: string): Promise<void> {
  const keys = await keysWithPrefix<unknown>(gen(generation));
  await batchDelete(keys.map((k) => k.key));
}

/** A published generation keeps its shards, their index and the destination groups; the build's chunks are garbage. */
async function dropBuildKeys(generation: string): Promise<void> {
  const kept = [`${gen(generation)}s:`, `${gen(generation)}g:`];
  const keys = (await keysWithPrefix<unknown>(gen(generation))).map((k) => k.key).filter((k) => k !== indexKey(generation) && !kept.some((p) => k.startsWith(p)));
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
