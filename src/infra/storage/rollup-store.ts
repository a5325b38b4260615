/**
 * Stored rollups in `@forge/kvs`. Layout (prefixes in keys.ts; `<g>` is a generation):
 *  - `rollup-head` → the complete generation readers use;
 *  - `rollup-gen:<g>:v` → each shard's version and number of parts (the shard index);
 *  - `rollup-gen:<g>:s:<i>` (+ `:s:<i>:<part>`) → shard i: epic entries (without per-child marks) and in-flight
 *    orphans, by a key hash: all a view reads;
 *  - `rollup-gen:<g>:k:<i>` (+ parts) → the per-child marks of shard i's epics, read only by event handling, the
 *    daily catch-up and compaction (decisions/0013, "Marks out of what views read");
 *  - `rollup-gen:<g>:x:<b>` (+ parts) → the id index: for issue ids hashing to b, the shards whose epics hold
 *    the issue as a live child or are the issue, so an event reads only those;
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
import type { EpicEntry, EpicReading, IssuePlaces, OrphanEntry, RollupDelta, RollupHead, RollupStamp, RollupStore, RunStore, ReconcileRun, StoredSite } from '../../services/rollup-ports';
import type { Clock } from '../../services/ports';
import { applyDelta, isLive } from '../../domain/epic-figures';
import type { Members } from '../../domain/epic-members';
import { isConditionFailure } from './destination-store';
import { ENTITY, KEY } from './keys';
import { shardOf } from './shards';
import { storageFailure } from './storage-errors';
import { BATCH_OPERATIONS, batchesByBytes, bytesOf, splitByBytes, VALUE_TARGET_BYTES } from './value-size';

/** A shard's target size: small, so a compaction that changes one makes a warm view re-read little. */
const SHARD_TARGET_BYTES = 64 * 1024;
const MAX_SHARDS = 2000;
/** Marks per shard at a build: a shard's marks are what an event reads for one epic, so they stay one value. */
const MARKS_TARGET_BYTES = 128 * 1024;
/** The id index per bucket at a build (there are as many buckets as shards). */
const IDS_TARGET_BYTES = 96 * 1024;
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

/** One stored part of a shard's marks (`k:<i>`), stamped like the shard's parts. */
interface MarkPart {
  v: number;
  n: number;
  marks: Array<[string, Members]>;
}

/** One stored part of an id index bucket (`x:<b>`): issue id → shards holding it. */
interface IdPart {
  v: number;
  n: number;
  ids: Array<[string, number[]]>;
}

/** One stored part of a list split by bytes; part 0 carries the number of parts and is written last. */
interface ListPart<T> {
  n?: number;
  items: T[];
}

/**
 * Each shard's version and number of parts, for one generation. Only the lease holder rewrites it. `k` (the
 * number of mark parts per shard) and `xv`/`xp` (each id bucket's version and parts) are absent in a generation
 * stored before marks left the shards: its marks ride on the entries, and its first compaction migrates it.
 */
interface ShardIndex {
  v: number[];
  p: number[];
  k?: number[];
  xv?: number[];
  xp?: number[];
}

/** A generation stored with marks under their own keys and an id index. */
const isSplit = (index: ShardIndex): index is Required<ShardIndex> => index.k !== undefined && index.xv !== undefined && index.xp !== undefined;

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
  /** Marks by shard and id buckets by number, with their versions: what a warm container's events re-use. */
  marks?: Map<number, Versioned<Map<string, Members>>>;
  ids?: Map<number, Versioned<Map<string, Set<number>>>>;
}

interface Versioned<T> {
  v: number;
  value: T;
}

/** Values from `cache` whose version is still `versionOf(i)`; the others read by `read` and kept. */
async function cached<T>(cache: Map<number, Versioned<T>> | undefined, wanted: number[], versionOf: (i: number) => number, read: (stale: number[]) => Promise<Map<number, Versioned<T>>>): Promise<Map<number, T>> {
  const out = new Map<number, T>();
  const stale: number[] = [];
  for (const i of wanted) {
    const hit = cache?.get(i);
    if (hit && hit.v === versionOf(i)) out.set(i, hit.value);
    else stale.push(i);
  }
  if (stale.length > 0) {
    for (const [i, fresh] of await read(stale)) {
      cache?.set(i, fresh);
      out.set(i, fresh.value);
    }
  }
  return out;
}

/** Counts the storage calls of one read, for the view's figures. */
interface Tally {
  n: number;
}

const gen = (g: string) => `${KEY.rollupGenerationPrefix}${g}:`;
const partKey = (base: string, part: number) => (part === 0 ? base : `${base}:${part}`);
const shardKey = (g: string, i: number) => `${gen(g)}s:${i}`;
const marksKey = (g: string, i: number) => `${gen(g)}k:${i}`;
const idsKey = (g: string, b: number) => `${gen(g)}x:${b}`;
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

export async function batchGet<T>(keys: string[], tally?: Tally): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  const groups = chunks(keys, BATCH_OPERATIONS);
  if (tally) tally.n += groups.length;
  // In parallel: a cold view reads every shard, and calls one after another would add up their latency.
  const results = await Promise.all(groups.map((group) => kvs.batchGet<T>(group.map((key) => ({ key })))));
  for (const result of results) {
    // A missing key is an answer (absent); any other failure is not, and must not read as "nothing stored".
    const failed = result.failedKeys.filter((f) => f.error.code !== 'KEY_NOT_FOUND');
    if (failed.length > 0) throw new Error(`batch get failed for ${failed.length} keys`);
    for (const item of result.successfulKeys) out.set(item.key, item.value);
  }
  return out;
}

/** Writes in batches of at most 25 operations and Forge's batch payload in bytes. */
export async function batchSet(items: Array<{ key: string; value: unknown }>): Promise<void> {
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

/** An entry as views read it: without the per-child marks, which only event handling needs. */
function withoutMarks(entry: EpicEntry): EpicEntry {
  if (entry.members === undefined) return entry;
  const { members: _members, ...rest } = entry;
  return rest;
}

/** A shard's entries (without marks) cut into parts by bytes, each stamped with the shard's version and part count. */
function shardWrites(g: string, i: number, v: number, epics: readonly EpicEntry[], orphans: readonly IdOrphan[]): Array<{ key: string; value: ShardPart }> {
  const tagged: Array<{ e: EpicEntry } | { o: IdOrphan }> = [...epics.map((e) => ({ e: withoutMarks(e) })), ...orphans.map((o) => ({ o }))];
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

/** The marks of a shard's epics (those that keep marks), in parts stamped like the shard's. */
function markWrites(g: string, i: number, v: number, epics: readonly EpicEntry[]): Array<{ key: string; value: MarkPart }> {
  const marks = epics.flatMap((e): Array<[string, Members]> => (e.members === undefined ? [] : [[e.key, e.members]]));
  const parts = splitByBytes(marks, VALUE_TARGET_BYTES);
  return parts.map((part, p) => ({ key: partKey(marksKey(g, i), p), value: { v, n: parts.length, marks: part } }));
}

/** One id bucket, in parts stamped with its version. */
function idWrites(g: string, b: number, v: number, ids: ReadonlyMap<string, ReadonlySet<number>>): Array<{ key: string; value: IdPart }> {
  const parts = splitByBytes([...ids].map(([id, shards]): [string, number[]] => [id, [...shards].sort((x, y) => x - y)]), VALUE_TARGET_BYTES);
  return parts.map((part, p) => ({ key: partKey(idsKey(g, b), p), value: { v, n: parts.length, ids: part } }));
}

/** The issue ids an epic entry holds: its own id and its live children (what `placeIssue` looks for). */
function heldIds(entry: EpicEntry): string[] {
  if (entry.deleted === true) return [];
  const out = entry.id === '' ? [] : [entry.id];
  for (const [id, mark] of Object.entries(entry.members ?? {})) if (mark[1] !== -1) out.push(id);
  return out;
}

/** Issue ids held in each shard, by shard. */
function holdersByShard(epics: Iterable<EpicEntry>, shards: number): Map<number, Set<string>> {
  const out = new Map<number, Set<string>>();
  for (const e of epics) {
    const i = shardOf(e.key, shards);
    const set = out.get(i) ?? new Set<string>();
    for (const id of heldIds(e)) set.add(id);
    out.set(i, set);
  }
  return out;
}

/**
 * Values stored in versioned parts (shards, marks, id buckets), by index, read in as few batch calls as their
 * parts allow. A value caught half rewritten by a compaction (parts of two versions, or a part count that
 * changed) is read again, so a reader never mixes them.
 */
async function readVersioned<P extends { v?: number; n?: number }>(keyOf: (i: number) => string, wanted: Array<{ i: number; parts: number }>, tally: Tally): Promise<Map<number, { v: number; parts: P[] }>> {
  const out = new Map<number, { v: number; parts: P[] }>();
  let todo = wanted;
  for (let attempt = 0; attempt < 4 && todo.length > 0; attempt++) {
    const found = await batchGet<P>(todo.flatMap(({ i, parts }) => Array.from({ length: parts }, (_, p) => partKey(keyOf(i), p))), tally);
    const again: typeof todo = [];
    for (const { i, parts } of todo) {
      const read = Array.from({ length: parts }, (_, p) => found.get(partKey(keyOf(i), p)));
      const first = read[0];
      if (first === undefined) throw new Error(`${keyOf(i)} is missing`);
      const v = first.v ?? 0;
      const n = first.n ?? 1;
      if (n !== parts || read.some((part) => part === undefined || (part.v ?? 0) !== v)) {
        again.push({ i, parts: n });
        continue;
      }
      out.set(i, { v, parts: read as P[] });
    }
    todo = again;
  }
  if (todo.length > 0) throw new Error(`${keyOf(todo[0]?.i ?? 0)} kept changing while read`);
  return out;
}

/** Shards by index; `keepMarks` only for a generation stored before marks had their own keys. */
async function readShards(g: string, wanted: number[], index: ShardIndex, tally: Tally, keepMarks = false): Promise<Map<number, CachedShard>> {
  const read = await readVersioned<ShardPart>((i) => shardKey(g, i), wanted.map((i) => ({ i, parts: index.p[i] ?? 1 })), tally);
  const out = new Map<number, CachedShard>();
  for (const [i, { v, parts }] of read) {
    const epics = parts.flatMap((part) => part.epics);
    out.set(i, { v, epics: keepMarks ? epics : epics.map(withoutMarks), orphans: parts.flatMap((part) => part.orphans) });
  }
  return out;
}

/** The marks of the wanted shards' epics, by epic key (kept in `cache` with the shard's version). */
async function readMarks(g: string, wanted: number[], index: Required<ShardIndex>, tally: Tally, cache?: Map<number, Versioned<Map<string, Members>>>): Promise<Map<string, Members>> {
  const byShard = await cached(cache, wanted, (i) => index.v[i] ?? 0, async (stale) => {
    const read = await readVersioned<MarkPart>((i) => marksKey(g, i), stale.map((i) => ({ i, parts: index.k[i] ?? 1 })), tally);
    return new Map([...read].map(([i, { v, parts }]) => [i, { v, value: new Map(parts.flatMap((part) => part.marks)) }]));
  });
  const out = new Map<string, Members>();
  for (const marks of byShard.values()) for (const [key, members] of marks) out.set(key, members);
  return out;
}

/** Id buckets, each as issue id → shards (kept in `cache` with the bucket's version). */
async function readIds(g: string, buckets: number[], index: Required<ShardIndex>, tally: Tally, cache?: Map<number, Versioned<Map<string, Set<number>>>>): Promise<Map<number, Map<string, Set<number>>>> {
  return cached(cache, buckets, (b) => index.xv[b] ?? 0, async (stale) => {
    const read = await readVersioned<IdPart>((b) => idsKey(g, b), stale.map((b) => ({ i: b, parts: index.xp[b] ?? 1 })), tally);
    return new Map([...read].map(([b, { v, parts }]) => [b, { v, value: new Map(parts.flatMap((part) => part.ids).map(([id, shards]) => [id, new Set(shards)])) }]));
  });
}

/**
 * Shards with their epics' marks put back on the entries. Entries and marks are separate values, written
 * marks first: a reader that catches them at two versions also reads the deltas that made the difference
 * (a compaction deletes its deltas last), and facts apply newest-first, so the overlay brings both level.
 */
async function readMarked(g: string, wanted: number[], index: ShardIndex, tally: Tally, cache?: ShardCache, entries: (wanted: number[]) => Promise<Map<number, CachedShard>> = (w) => readShards(g, w, index, tally)): Promise<Map<number, CachedShard>> {
  if (!isSplit(index)) return readShards(g, wanted, index, tally, true);
  const [shards, marks] = await Promise.all([entries(wanted), readMarks(g, wanted, index, tally, cache?.marks)]);
  const out = new Map<number, CachedShard>();
  for (const [i, shard] of shards) {
    // New objects: the cached entries are shared and stay without marks.
    out.set(i, { ...shard, epics: shard.epics.map((e) => (marks.has(e.key) ? { ...e, members: marks.get(e.key) as Members } : e)) });
  }
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

/** A site as views get it: no entry carries marks (a delta's progress fact brings some). */
function viewOf(site: StoredSite): StoredSite {
  for (const [key, e] of site.epics) if (e.members !== undefined) site.epics.set(key, withoutMarks(e));
  return site;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function entriesOf(shards: Iterable<CachedShard>): { epics: Map<string, EpicEntry>; orphans: Map<string, OrphanEntry> } {
  const epics = new Map<string, EpicEntry>();
  const orphans = new Map<string, OrphanEntry>();
  // Entries are never changed in place (applyDelta replaces them), so the cached ones can be shared.
  for (const shard of shards) {
    for (const e of shard.epics) epics.set(e.key, e);
    for (const { id, ...rest } of shard.orphans) orphans.set(id, rest);
  }
  return { epics, orphans };
}

/** Whether a fact not yet folded counts `issueId` on an epic (as a child, or as the epic itself). */
function mentions(delta: RollupDelta, issueId: string): delta is Exclude<RollupDelta, { t: 'orphan' }> {
  switch (delta.t) {
    case 'member':
      return delta.id === issueId;
    case 'progress':
      return delta.members?.[issueId] !== undefined;
    case 'fields':
      return delta.id === issueId;
    case 'deleted':
    case 'orphan':
      return false;
  }
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

  /** The container's cache, emptied when the head moved to another generation. */
  function cacheOf(head: RollupHead): Required<ShardCache> {
    if (shardCache.generation !== head.generation || !shardCache.shards || !shardCache.marks || !shardCache.ids) {
      shardCache.generation = head.generation;
      shardCache.shards = new Map();
      shardCache.marks = new Map();
      shardCache.ids = new Map();
    }
    return shardCache as Required<ShardCache>;
  }

  /** The wanted shards, from the cache where their version is unchanged; the cache keeps what was read. */
  async function shardsOf(head: RollupHead, index: ShardIndex, wanted: number[], tally: Tally): Promise<Map<number, CachedShard>> {
    const cache = cacheOf(head).shards;
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

  /** Shards with marks; entries come through the container's cache (they are the same values views read). */
  function marked(head: RollupHead, index: ShardIndex, wanted: number[], tally: Tally): Promise<Map<number, CachedShard>> {
    cacheOf(head);
    return readMarked(head.generation, wanted, index, tally, shardCache, (w) => shardsOf(head, index, w, tally));
  }

  /**
   * A view reads no marks, except those of the epics a fact not folded yet changes one child of: that fact
   * needs the epic's other children to give its figures. Only their shards' marks are read, and only between
   * an event and the compaction that folds it.
   */
  async function marksForDeltas(head: RollupHead, index: ShardIndex, epics: Map<string, EpicEntry>, deltas: readonly RollupDelta[], tally: Tally): Promise<void> {
    const keys = new Set(deltas.flatMap((d) => (d.t === 'member' && epics.has(d.key) ? [d.key] : [])));
    if (keys.size === 0) return;
    const shards = await marked(head, index, [...new Set([...keys].map((k) => shardOf(k, head.shards)))], tally);
    for (const shard of shards.values()) for (const e of shard.epics) if (keys.has(e.key) && e.members !== undefined) epics.set(e.key, e);
  }

  /** Deltas on top of the generation and pending marks: read alongside the head (they do not depend on it). */
  async function overlay(tally: Tally) {
    tally.n += 1;
    const [deltas, pending] = await Promise.all([
      keysWithPrefix<RollupDelta>(KEY.rollupDeltaPrefix, 10_000, tally),
      kvs.query().where('key', WhereConditions.beginsWith(KEY.rollupPendingPrefix)).limit(100).getMany<{ at: string }>(),
    ]);
    return { deltas: deltas.map((d) => d.value), pendingSince: pending.results.map((r) => r.value.at).sort()[0] };
  }

  /** Forecasts earlier views worked out: read alongside the shards, only by a read that assembles figures. */
  async function forecastsRead(tally: Tally): Promise<StoredSite['forecasts']> {
    tally.n += 1;
    return (await kvs.get<StoredSite['forecasts']>(KEY.rollupForecasts).catch(() => undefined)) ?? {};
  }

  /** What a stamp was read from, kept by the store that read it (a stamp from elsewhere is read again). */
  const stamps = new WeakMap<RollupStamp, { head: RollupHead; index: ShardIndex; o: Awaited<ReturnType<typeof overlay>> }>();

  /** The stamp's figures: a generation's version and the deltas on top (the same for every read of one state). */
  function stampOf(head: RollupHead, index: ShardIndex, o: Awaited<ReturnType<typeof overlay>>): RollupStamp {
    const newestDeltaAt = o.deltas.reduce<number | undefined>((n, d) => Math.max(n ?? 0, d.at), undefined);
    // Every compaction raises the version of a shard it rewrites, so the sum changes with any of them.
    const stamp: RollupStamp = { head, version: `${head.generation}:${head.finishedAt}:${index.v.reduce((a, b) => a + b, 0)}`, deltaCount: o.deltas.length };
    if (newestDeltaAt !== undefined) stamp.newestDeltaAt = newestDeltaAt;
    if (o.pendingSince !== undefined) stamp.pendingSince = o.pendingSince;
    stamps.set(stamp, { head, index, o });
    return stamp;
  }

  /** Head, index and overlay side by side: two rounds of small reads on a cold container, one on a warm one. */
  async function readStamp(tally: Tally): Promise<RollupStamp | undefined> {
    const [found, o] = await Promise.all([headAndIndex(tally), overlay(tally)]);
    return found ? stampOf(found.head, found.index, o) : undefined;
  }

  function siteOf(head: RollupHead, index: ShardIndex, epics: Map<string, EpicEntry>, orphans: Map<string, OrphanEntry>, o: Awaited<ReturnType<typeof overlay>>, forecasts: StoredSite['forecasts'], tally: Tally): StoredSite {
    for (const delta of o.deltas) applyDelta(epics, orphans, delta);
    return { ...stampOf(head, index, o), epics, orphans, forecasts, storageCalls: tally.n };
  }

  /**
   * Every shard of the current generation, read by `read` (with or without marks), and the deltas on top;
   * undefined before the first reconcile. A missing shard would read as missing epics, a wrong number: storage
   * is reported as unavailable instead.
   */
  async function everyShard(read: typeof shardsOf, tally: Tally, from?: RollupStamp) {
    const known = from ? stamps.get(from) : undefined;
    const found = known ?? (await readStamp(tally).then((stamp) => (stamp ? stamps.get(stamp) : undefined)));
    if (!found) return undefined;
    const { head, index, o } = found;
    const shards = await read(head, index, range(head.shards), tally);
    if (shards.size !== head.shards) throw new Error(`generation ${head.generation} is missing shards`);
    return { head, index, o, ...entriesOf(shards.values()) };
  }

  return {
    head: () => guarded(async () => kvs.get<RollupHead>(KEY.rollupHead)),

    stamp: () => guarded(() => readStamp({ n: 0 })),

    load: (from) => guarded(async () => {
      const tally: Tally = { n: 0 };
      const [whole, forecasts] = await Promise.all([everyShard(shardsOf, tally, from), forecastsRead(tally)]);
      if (!whole) return undefined;
      const { head, index, epics, orphans, o } = whole;
      await marksForDeltas(head, index, epics, o.deltas, tally);
      return viewOf(siteOf(head, index, epics, orphans, o, forecasts, tally));
    }),

    loadWithMarks: () => guarded(async () => {
      const tally: Tally = { n: 0 };
      // The kept forecasts too: the daily snapshots assemble every destination from this read.
      const [whole, forecasts] = await Promise.all([everyShard(marked, tally), forecastsRead(tally)]);
      if (!whole) return undefined;
      const { head, index, epics, orphans, o } = whole;
      return siteOf(head, index, epics, orphans, o, forecasts, tally);
    }),

    placesOf: (issueId) => guarded(async (): Promise<IssuePlaces | undefined> => {
      const tally: Tally = { n: 0 };
      const found = await headAndIndex(tally);
      if (!found) return undefined;
      const { head, index } = found;
      const g = head.generation;
      const [holders, o] = await Promise.all([
        isSplit(index) ? readIds(g, [shardOf(issueId, head.shards)], index, tally, cacheOf(head).ids).then((b) => [...(b.values().next().value?.get(issueId) ?? [])]) : Promise.resolve(undefined),
        overlay(tally),
      ]);
      return {
        with: (epicKeys) => guarded(async () => {
          // A generation without an id index (stored before it existed) is read whole, as before.
          const wanted = new Set<number>(holders === undefined ? range(head.shards) : holders);
          for (const key of epicKeys) wanted.add(shardOf(key, head.shards));
          // Facts not folded yet that count the issue somewhere: the id index learns them at the next compaction.
          for (const d of o.deltas) if (mentions(d, issueId)) wanted.add(shardOf(d.key, head.shards));
          // The issue's own orphan entry is in the shard of its id: its entries, not its marks, are needed.
          const own = shardOf(issueId, head.shards);
          const [shards, ownShard] = await Promise.all([marked(head, index, [...wanted], tally), wanted.has(own) ? undefined : shardsOf(head, index, [own], tally)]);
          const { epics, orphans } = entriesOf(shards.values());
          for (const { id, ...rest } of ownShard?.get(own)?.orphans ?? []) orphans.set(id, rest);
          // Only facts on what was read: one on an epic not read would make a stub of it without its marks.
          const deltas = o.deltas.filter((d) => (d.t === 'orphan' ? d.id === issueId || wanted.has(shardOf(d.id, head.shards)) : wanted.has(shardOf(d.key, head.shards))));
          return siteOf(head, index, epics, orphans, { ...o, deltas }, {}, tally);
        }),
      };
    }),

    loadEpic: (epicKey) => guarded(async (): Promise<EpicReading | undefined> => {
      const tally: Tally = { n: 0 };
      const found = await headAndIndex(tally);
      if (!found) return undefined;
      const { head, index } = found;
      const own = shardOf(epicKey, head.shards);
      const [shards, o, forecasts] = await Promise.all([shardsOf(head, index, [own], tally), overlay(tally), forecastsRead(tally)]);
      const ownEntries = new Map((shards.get(own)?.epics ?? []).map((e) => [e.key, e]));
      const epicOnly = (map: Map<string, EpicEntry>) => {
        const entry = map.get(epicKey);
        return new Map(entry ? [[epicKey, entry]] : []);
      };
      const ownOnly = epicOnly(ownEntries);
      await marksForDeltas(head, index, ownOnly, o.deltas, tally);
      const site = viewOf(siteOf(head, index, ownOnly, new Map(), o, forecasts, tally));
      site.epics = epicOnly(site.epics);
      return {
        site,
        withDestination: (destinationId) => guarded(async () => {
          const base = new Map<string, EpicEntry>();
          if (typeof destinationId === 'string') {
            const group = (await readLists<EpicEntry>([groupKey(head.generation, destinationId)], tally)).values().next().value ?? [];
            for (const e of group) base.set(e.key, withoutMarks(e));
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
          await marksForDeltas(head, index, base, o.deltas, tally);
          const epics = viewOf(siteOf(head, index, base, new Map(), o, forecasts, tally)).epics;
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
        const g = head.generation;
        const index = (await kvs.get<ShardIndex>(indexKey(g))) ?? defaultIndex(head.shards);
        // A generation stored with marks inside its shards is migrated whole by its first compaction: no Jira
        // read, one rewrite of what a rebuild would write.
        const migrate = !isSplit(index);
        const touched = new Set<number>(migrate ? range(head.shards) : []);
        for (const { value } of deltas) touched.add(shardOf(value.t === 'orphan' ? value.id : value.key, head.shards));
        const shards = await readMarked(g, [...touched], index, { n: 0 });
        const { epics, orphans } = entriesOf(shards.values());
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
        const next: Required<ShardIndex> = {
          v: [...index.v],
          p: [...index.p],
          k: [...(index.k ?? new Array<number>(head.shards).fill(1))],
          xv: [...(index.xv ?? new Array<number>(head.shards).fill(0))],
          xp: [...(index.xp ?? new Array<number>(head.shards).fill(1))],
        };
        const first: Array<{ key: string; value: unknown }> = [];
        const writes: Array<{ key: string; value: ShardPart }> = [];
        const dropped: string[] = [];
        for (const [i, shard] of rebuilt) {
          const v = (index.v[i] ?? 0) + 1;
          const parts = shardWrites(g, i, v, shard.epics, shard.orphans);
          const marks = markWrites(g, i, v, shard.epics);
          writes.push(...parts);
          first.push(...marks);
          for (let p = parts.length; p < (index.p[i] ?? 1); p++) dropped.push(partKey(shardKey(g, i), p));
          for (let p = marks.length; p < (index.k?.[i] ?? 1); p++) dropped.push(partKey(marksKey(g, i), p));
          next.v[i] = v;
          next.p[i] = parts.length;
          next.k[i] = marks.length;
        }
        // The id index follows the issues the rewritten shards hold: an issue that joined a shard's epics is
        // added there, one that left them is removed (only the buckets of those issues are rewritten).
        const buckets = migrate ? new Map(range(head.shards).map((b) => [b, new Map<string, Set<number>>()])) : new Map<number, Map<string, Set<number>>>();
        const was = migrate ? new Map<number, Set<string>>() : holdersByShard(before.values(), head.shards);
        const holding = holdersByShard(epics.values(), head.shards);
        const changes: Array<{ id: string; shard: number; held: boolean }> = [];
        for (const i of touched) {
          const after = holding.get(i) ?? new Set<string>();
          const prior = was.get(i) ?? new Set<string>();
          for (const id of after) if (!prior.has(id)) changes.push({ id, shard: i, held: true });
          for (const id of prior) if (!after.has(id)) changes.push({ id, shard: i, held: false });
        }
        if (!migrate) {
          const wanted = [...new Set(changes.map((c) => shardOf(c.id, head.shards)))];
          if (wanted.length > 0) for (const [b, ids] of await readIds(g, wanted, next, { n: 0 })) buckets.set(b, ids);
        }
        for (const { id, shard, held } of changes) {
          const ids = buckets.get(shardOf(id, head.shards));
          const set = ids?.get(id) ?? new Set<number>();
          if (held) set.add(shard);
          else set.delete(shard);
          if (set.size > 0) ids?.set(id, set);
          else ids?.delete(id);
        }
        for (const [b, ids] of buckets) {
          const v = (next.xv[b] ?? 0) + 1;
          const parts = idWrites(g, b, v, ids);
          first.push(...parts);
          for (let p = parts.length; p < (next.xp[b] ?? 1); p++) dropped.push(partKey(idsKey(g, b), p));
          next.xv[b] = v;
          next.xp[b] = parts.length;
        }
        // Marks and the id index before the shards, the shard index after them, the deltas last: a compaction
        // that stops midway leaves every value whole, and its deltas (applied newest-first) still on top.
        await batchSet(first);
        await batchSet(writes);
        // Readers compare each shard's version with the one they hold, and re-read only those that moved.
        await kvs.set<ShardIndex>(indexKey(g), next);
        await batchDelete(dropped).catch(() => undefined);
        await updateGroups(g, before, epics, migrate);
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
      const g = head.generation;
      const orphans = (await readLists<IdOrphan>([orphansKey(g)])).get(orphansKey(g)) ?? [];
      // Shards sized by what each of their values holds: entries and orphans (what views read), marks, and
      // the id index (about 16 bytes an issue).
      const entryBytes = epics.reduce((n, e) => n + bytesOf(withoutMarks(e)) + 1, 0) + orphans.reduce((n, o) => n + bytesOf(o) + 1, 0);
      const markBytes = epics.reduce((n, e) => n + (e.members === undefined ? 0 : bytesOf(e.members) + e.key.length + 6), 0);
      const idBytes = epics.reduce((n, e) => n + heldIds(e).length * 16, 0);
      const wantedShards = Math.max(entryBytes / SHARD_TARGET_BYTES, markBytes / MARKS_TARGET_BYTES, idBytes / IDS_TARGET_BYTES);
      const shards = Math.min(MAX_SHARDS, Math.max(1, Math.ceil(wantedShards)));
      const built = Array.from({ length: shards }, () => ({ epics: [] as EpicEntry[], orphans: [] as IdOrphan[] }));
      for (const e of epics) built[shardOf(e.key, shards)]?.epics.push(e);
      for (const o of orphans) built[shardOf(o.id, shards)]?.orphans.push(o);
      const writes = built.map((s, i) => shardWrites(g, i, 1, s.epics, s.orphans));
      const marks = built.map((s, i) => markWrites(g, i, 1, s.epics));
      const buckets = range(shards).map(() => new Map<string, Set<number>>());
      for (const e of epics) {
        const i = shardOf(e.key, shards);
        for (const id of heldIds(e)) {
          const ids = buckets[shardOf(id, shards)];
          ids?.set(id, (ids.get(id) ?? new Set<number>()).add(i));
        }
      }
      const idParts = buckets.map((ids, b) => idWrites(g, b, 1, ids));
      await batchSet([...marks.flat(), ...idParts.flat(), ...writes.flat()]);
      await writeLists([...groupsOf(epics)].map(([d, items]) => ({ base: groupKey(g, d), items })));
      const index: Required<ShardIndex> = {
        v: new Array<number>(shards).fill(1),
        p: writes.map((w) => w.length),
        k: marks.map((m) => m.length),
        xv: new Array<number>(shards).fill(1),
        xp: idParts.map((x) => x.length),
      };
      await kvs.set<ShardIndex>(indexKey(g), index);
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
 * that joined (or changed) is written in. Groups are read whole (a destination's epics, split by bytes), and
 * hold entries without marks. `all`: every group is written again from `after` (a migrated generation).
 */
async function updateGroups(g: string, before: Map<string, EpicEntry>, after: Map<string, EpicEntry>, all = false): Promise<void> {
  if (all) {
    await writeLists([...groupsOf(after.values())].map(([d, items]) => ({ base: groupKey(g, d), items })));
    return;
  }
  const changed = [...after].filter(([key, entry]) => before.get(key) !== entry).map(([key]) => key);
  const affected = new Set<string>();
  for (const key of changed) {
    for (const d of [groupOf(before.get(key)), groupOf(after.get(key))]) if (d !== undefined) affected.add(d);
  }
  if (affected.size === 0) return;
  const ids = [...affected];
  const stored = await readLists<EpicEntry>(ids.map((d) => groupKey(g, d)));
  const lists = ids.map((d) => {
    const members = new Map((stored.get(groupKey(g, d)) ?? []).map((e) => [e.key, withoutMarks(e)]));
    for (const key of changed) {
      const entry = after.get(key);
      if (groupOf(entry) === d && entry) members.set(key, withoutMarks(entry));
      else members.delete(key);
    }
    return { base: groupKey(g, d), items: [...members.values()] };
  });
  await writeLists(lists);
}

/** The entries (without marks) of the epics on each destination. */
function groupsOf(epics: Iterable<EpicEntry>): Map<string, EpicEntry[]> {
  const groups = new Map<string, EpicEntry[]>();
  for (const e of epics) {
    const d = groupOf(e);
    if (d === undefined) continue;
    const list = groups.get(d) ?? [];
    list.push(withoutMarks(e));
    groups.set(d, list);
  }
  return groups;
}

async function dropGeneration(generation: string): Promise<void> {
  const keys = await keysWithPrefix<unknown>(gen(generation));
  await batchDelete(keys.map((k) => k.key));
}

/** A published generation keeps its shards, marks, id index, their index and the destination groups; the build's chunks are garbage. */
async function dropBuildKeys(generation: string): Promise<void> {
  const kept = ['s:', 'g:', 'k:', 'x:'].map((family) => `${gen(generation)}${family}`);
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
