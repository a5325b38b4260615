/**
 * The real `@forge/kvs` 1.6 SDK against the emulator, through the same `__forge_fetch__` seam Forge uses.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kvs, WhereConditions, FilterConditions, Filter, Sort, MetadataField, type ForgeKvsAPIError } from '@forge/kvs';
import { installForgeRuntime } from '../platform/runtime';
import { KVS_LIMITS, KvsEmulator } from './kvs-emulator';

let emu: KvsEmulator;
let uninstall: () => void;

beforeEach(() => {
  emu = new KvsEmulator({
    entities: [
      {
        name: 'rollup',
        attributes: { destinationId: { type: 'string' }, points: { type: 'integer' }, status: { type: 'string' } },
        indexes: [{ name: 'by-destination', partition: ['destinationId'], range: 'points' }, 'status'],
      },
    ],
  });
  uninstall = installForgeRuntime({ kvs: emu });
});

afterEach(() => uninstall());

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as ForgeKvsAPIError).code;
  }
  throw new Error('expected the call to fail');
}

describe('basic key-value operations', () => {
  it('answers undefined for a key that was never set', async () => {
    await expect(kvs.get('nothing-here')).resolves.toBeUndefined();
  });

  it('returns what was set, and undefined again after delete', async () => {
    await kvs.set('destination:D-1', { name: 'Cloud', tags: ['a'] });
    await expect(kvs.get('destination:D-1')).resolves.toEqual({ name: 'Cloud', tags: ['a'] });
    await kvs.delete('destination:D-1');
    await expect(kvs.get('destination:D-1')).resolves.toBeUndefined();
  });

  it('does not let callers mutate stored values through objects they passed or received', async () => {
    const value = { name: 'Cloud', tags: ['a'] };
    await kvs.set('k1', value);
    value.tags.push('mutated-after-set');
    const read = await kvs.get<{ tags: string[] }>('k1');
    read?.tags.push('mutated-after-get');
    await expect(kvs.get('k1')).resolves.toEqual({ name: 'Cloud', tags: ['a'] });
  });

  it('deleting a missing key succeeds', async () => {
    await expect(kvs.delete('never-set')).resolves.toBeUndefined();
  });

  it('returns metadata when asked for it', async () => {
    await kvs.set('meta', 1);
    const res = await kvs.get('meta', { metadataFields: [MetadataField.CREATED_AT, MetadataField.UPDATED_AT] });
    expect(res).toMatchObject({ key: 'meta', value: 1, createdAt: expect.any(Number), updatedAt: expect.any(Number) });
  });

  it('stores secrets apart from plain keys', async () => {
    await kvs.setSecret('token', 's3cret');
    await expect(kvs.getSecret('token')).resolves.toBe('s3cret');
    await expect(kvs.get('token')).resolves.toBeUndefined();
  });
});

describe('limits, with Forge error codes', () => {
  it('refuses keys with characters outside Forge\'s key pattern', async () => {
    await expect(codeOf(kvs.set('destination/D-1', 1))).resolves.toBe('INVALID_KEY');
  });

  it('refuses a key of 501 characters but takes one of 500', async () => {
    await expect(codeOf(kvs.set('k'.repeat(501), 1))).resolves.toBe('KEY_TOO_LONG');
    await expect(kvs.set('k'.repeat(500), 1)).resolves.toBeUndefined();
  });

  it('refuses a value over 240 KiB and keeps the old value', async () => {
    await kvs.set('big', 'small');
    await expect(codeOf(kvs.set('big', 'x'.repeat(240 * 1024)))).resolves.toBe('MAX_SIZE');
    await expect(kvs.get('big')).resolves.toBe('small');
  });

  it('refuses a query limit over 100', async () => {
    await expect(codeOf(kvs.query().limit(101).getMany())).resolves.toBe('LIST_QUERY_LIMIT_EXCEEDED');
    await expect(kvs.query().limit(100).getMany()).resolves.toEqual({ results: [] });
  });

  it('refuses a batch of 26 items and writes none of them', async () => {
    const items = Array.from({ length: 26 }, (_, i) => ({ key: `b${i}`, value: i }));
    await expect(codeOf(kvs.batchSet(items))).resolves.toBe('TOO_MANY_ITEMS');
    await expect(kvs.get('b0')).resolves.toBeUndefined();
  });
});

describe('query', () => {
  it('pages through keys with a prefix, in key order, with a cursor, and skips other prefixes', async () => {
    for (const k of ['d:3', 'd:1', 'e:1', 'd:2', 'd:5', 'd:4']) await kvs.set(k, k);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      let q = kvs.query().where('key', WhereConditions.beginsWith('d:')).limit(2);
      if (cursor) q = q.cursor(cursor);
      const page = await q.getMany<string>();
      seen.push(...page.results.map((r) => r.key));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(seen).toEqual(['d:1', 'd:2', 'd:3', 'd:4', 'd:5']);
    expect(pages).toBe(3);
  });

  it('keeps paging correctly when the last key of a page is deleted between pages', async () => {
    for (const k of ['p:1', 'p:2', 'p:3', 'p:4']) await kvs.set(k, k);
    const first = await kvs.query().where('key', WhereConditions.beginsWith('p:')).limit(2).getMany();
    await kvs.delete('p:2');
    const second = await kvs.query().where('key', WhereConditions.beginsWith('p:')).limit(2).cursor(first.nextCursor ?? '').getMany();
    expect(second.results.map((r) => r.key)).toEqual(['p:3', 'p:4']);
    expect(second.nextCursor).toBeUndefined();
  });
});

describe('batch operations', () => {
  it('reports a missing key of batchGet in failedKeys and the others in successfulKeys', async () => {
    await kvs.set('a', 1);
    const res = await kvs.batchGet([{ key: 'a' }, { key: 'missing' }]);
    expect(res.successfulKeys).toEqual([expect.objectContaining({ key: 'a', value: 1 })]);
    expect(res.failedKeys).toEqual([expect.objectContaining({ key: 'missing', error: expect.objectContaining({ code: 'KEY_NOT_FOUND' }) })]);
  });

  it('writes the valid items of a batchSet and reports the invalid ones', async () => {
    const res = await kvs.batchSet([{ key: 'ok', value: 1 }, { key: 'bad/key', value: 2 }]);
    expect(res.successfulKeys.map((k) => k.key)).toEqual(['ok']);
    expect(res.failedKeys[0]?.error.code).toBe('INVALID_KEY');
    await expect(kvs.get('ok')).resolves.toBe(1);
  });
});

describe('transactions are all or nothing', () => {
  it('applies sets and deletes together', async () => {
    await kvs.set('old', 1);
    await kvs.transact().set('t1', 'a').set('t2', 'b').delete('old').execute();
    await expect(Promise.all([kvs.get('t1'), kvs.get('t2'), kvs.get('old')])).resolves.toEqual(['a', 'b', undefined]);
  });

  it('applies nothing when one set is invalid', async () => {
    await kvs.set('keep', 'before');
    const tx = kvs.transact().set('keep', 'after').set('huge', 'x'.repeat(250 * 1024)).delete('keep2');
    await expect(codeOf(tx.execute())).resolves.toBe('MAX_SIZE');
    await expect(kvs.get('keep')).resolves.toBe('before');
    await expect(kvs.get('huge')).resolves.toBeUndefined();
  });

  it('applies nothing when a check condition fails', async () => {
    await kvs.entity('rollup').set('D-1:E-1', { destinationId: 'D-1', points: 3, status: 'open' });
    const tx = kvs
      .transact()
      .set('written', 'x')
      .check('D-1:E-1', { entityName: 'rollup', conditions: new Filter<{ status: string }>().and('status', FilterConditions.equalTo('closed')) });
    await expect(codeOf(tx.execute())).resolves.toBe('CONDITION_FAILED');
    await expect(kvs.get('written')).resolves.toBeUndefined();
  });

  it('refuses 26 operations', async () => {
    let tx = kvs.transact();
    for (let i = 0; i < 26; i += 1) tx = tx.set(`t${i}`, i);
    await expect(codeOf(tx.execute())).resolves.toBe('TOO_MANY_OPERATIONS');
    await expect(kvs.get('t0')).resolves.toBeUndefined();
  });
});

describe('custom entities', () => {
  it('queries an index by partition and range, sorted and paged', async () => {
    const rollups = kvs.entity<{ destinationId: string; points: number; status: string }>('rollup');
    await rollups.set('a', { destinationId: 'D-1', points: 5, status: 'open' });
    await rollups.set('b', { destinationId: 'D-1', points: 1, status: 'open' });
    await rollups.set('c', { destinationId: 'D-1', points: 9, status: 'done' });
    await rollups.set('d', { destinationId: 'D-2', points: 7, status: 'open' });
    const page1 = await rollups.query().index('by-destination', { partition: ['D-1'] }).where(WhereConditions.greaterThan(1)).sort(Sort.DESC).limit(1).getMany();
    expect(page1.results.map((r) => r.key)).toEqual(['c']);
    const page2 = await rollups.query().index('by-destination', { partition: ['D-1'] }).where(WhereConditions.greaterThan(1)).sort(Sort.DESC).cursor(page1.nextCursor ?? '').getMany();
    expect(page2.results.map((r) => r.key)).toEqual(['a']);
    expect(page2.nextCursor).toBeUndefined();
  });

  it('filters query results with and-filters', async () => {
    const rollups = kvs.entity<{ destinationId: string; points: number; status: string }>('rollup');
    await rollups.set('a', { destinationId: 'D-1', points: 5, status: 'open' });
    await rollups.set('b', { destinationId: 'D-1', points: 1, status: 'done' });
    const res = await rollups
      .query()
      .index('by-destination', { partition: ['D-1'] })
      .filters(new Filter<{ status: string }>().and('status', FilterConditions.equalTo('done')))
      .getMany();
    expect(res.results.map((r) => r.key)).toEqual(['b']);
  });

  it('refuses an entity that the manifest does not define', async () => {
    await expect(codeOf(kvs.entity('nope').set('k', { a: 1 }))).resolves.toBe('INVALID_ENTITY_NAME');
  });
});

describe('knobs', () => {
  it('counts every wire call, including failed ones', async () => {
    emu.resetStats();
    await kvs.set('a', 1);
    await kvs.get('a');
    await kvs.get('missing');
    await codeOf(kvs.set('bad/key', 1));
    expect(emu.stats()).toMatchObject({ total: 4, byPath: { '/api/v1/set': 2, '/api/v1/get': 2 } });
  });

  it('fails the next n calls with the injected code, then recovers', async () => {
    emu.failNext(2, { code: 'INTERNAL_SERVER_ERROR', status: 500 });
    await expect(codeOf(kvs.set('a', 1))).resolves.toBe('INTERNAL_SERVER_ERROR');
    await expect(codeOf(kvs.get('a'))).resolves.toBe('INTERNAL_SERVER_ERROR');
    await kvs.set('a', 2);
    await expect(kvs.get('a')).resolves.toBe(2);
  });

  it('fails a chosen call mid-way through a sequence with a predicate, leaving earlier writes in place', async () => {
    emu.failWhen((call) => (call.path === '/api/v1/set' && (call.body as { key: string }).key === 'step:3' ? { code: 'RATE_LIMIT_EXCEEDED', status: 429 } : undefined));
    const done: string[] = [];
    const run = async (): Promise<void> => {
      for (const k of ['step:1', 'step:2', 'step:3', 'step:4']) {
        await kvs.set(k, true);
        done.push(k);
      }
    };
    await expect(codeOf(run())).resolves.toBe('RATE_LIMIT_EXCEEDED');
    expect(done).toEqual(['step:1', 'step:2']);
    expect(emu.keys()).toEqual(['step:1', 'step:2']);
  });

  it('a transaction that meets an injected fault changes nothing', async () => {
    await kvs.set('x', 'before');
    emu.failNext(1, { code: 'INTERNAL_SERVER_ERROR' });
    await expect(codeOf(kvs.transact().set('x', 'after').set('y', 1).execute())).resolves.toBe('INTERNAL_SERVER_ERROR');
    expect(emu.peek('x')).toBe('before');
    expect(emu.peek('y')).toBeUndefined();
  });

  it('saves and loads a snapshot', async () => {
    await kvs.set('s:1', { a: 1 });
    await kvs.entity('rollup').set('r', { destinationId: 'D-1', points: 2, status: 'open' });
    const file = join(mkdtempSync(join(tmpdir(), 'kvs-')), 'snap.json');
    emu.saveTo(file);
    emu.clear();
    await expect(kvs.get('s:1')).resolves.toBeUndefined();
    emu.loadFrom(file);
    await expect(kvs.get('s:1')).resolves.toEqual({ a: 1 });
    await expect(kvs.entity('rollup').get('r')).resolves.toEqual({ destinationId: 'D-1', points: 2, status: 'open' });
  });
});

/** ForgeKvsAPIError as the SDK surfaces it: the body's code and the HTTP status. */
async function failureOf(p: Promise<unknown>): Promise<{ code: string; status: number | undefined }> {
  try {
    await p;
  } catch (e) {
    const err = e as ForgeKvsAPIError;
    return { code: err.code, status: err.responseDetails?.status };
  }
  throw new Error('expected the call to fail');
}

describe('limits in bytes, as Forge measures (UTF-8: a CJK character is 3 bytes)', () => {
  it('refuses a CJK value under 240 Ki characters but over 240 KiB, and takes one under 240 KiB', async () => {
    const chars = 90_000; // 90,000 characters (under 245,760) but 270,000 bytes (over 245,760)
    expect(chars).toBeLessThan(KVS_LIMITS.maxValueBytes);
    await expect(codeOf(kvs.set('cjk', '界'.repeat(chars)))).resolves.toBe('MAX_SIZE');
    await expect(kvs.get('cjk')).resolves.toBeUndefined();
    await kvs.set('cjk', '界'.repeat(80_000)); // 240,002 bytes of JSON
    await expect(kvs.get('cjk')).resolves.toHaveLength(80_000);
  });

  it('refuses a key of 200 characters that is over 500 bytes (Unicode spaces match the key pattern)', async () => {
    const key = `k${'\u3000'.repeat(199)}`;
    expect(key).toHaveLength(200);
    await expect(codeOf(kvs.set(key, 1))).resolves.toBe('KEY_TOO_LONG');
  });

  it('refuses a batchSet over 4 MB (25 CJK values of 60,000 characters: 1.5 M characters, 4.5 MB) and writes none', async () => {
    const items = Array.from({ length: 25 }, (_, i) => ({ key: `big:${i}`, value: '界'.repeat(60_000) }));
    await expect(failureOf(kvs.batchSet(items))).resolves.toEqual({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    expect(emu.keys()).toEqual([]);
    await kvs.batchSet(items.slice(0, 20)); // 3.6 MB: within the limit
    expect(emu.keys()).toHaveLength(20);
  });

  it('refuses a transaction over 4 MB and applies none of it', async () => {
    let tx = kvs.transact();
    for (let i = 0; i < 20; i += 1) tx = tx.set(`t:${i}`, '界'.repeat(70_000)); // 20 x 210 KB = 4.2 MB
    await expect(failureOf(tx.execute())).resolves.toEqual({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
    expect(emu.keys()).toEqual([]);
  });
});

describe('operation limits per installation (units per minute, requests per second)', () => {
  let t: number;
  let limited: KvsEmulator;
  let restore: () => void;

  beforeEach(() => {
    t = 1_000_000;
    limited = new KvsEmulator({ clock: () => t });
    restore = installForgeRuntime({ kvs: limited });
  });
  afterEach(() => restore());

  it('counts a unit per started 10 KB of the request for writes and of the answer for reads', async () => {
    await kvs.set('v', 'x'.repeat(25_000));
    await kvs.get('v');
    await kvs.get('missing');
    await kvs.delete('v');
    const stats = limited.stats();
    expect(stats).toMatchObject({ writeUnits: 3 + 1, readUnits: 3 + 1 });
    expect(stats.bytesWritten).toBeGreaterThan(25_000);
    expect(stats.bytesRead).toBeGreaterThan(25_000);
  });

  it('answers 429 RATE_LIMIT_EXCEEDED past 4,000 write units a minute, and takes writes again a minute later', async () => {
    const value = 'x'.repeat(95_000); // 10 units a write
    for (let i = 0; i < 400; i += 1) await kvs.set('w', value);
    await expect(failureOf(kvs.set('w', value))).resolves.toEqual({ code: 'RATE_LIMIT_EXCEEDED', status: 429 });
    await expect(failureOf(kvs.set('small', 1))).resolves.toEqual({ code: 'RATE_LIMIT_EXCEEDED', status: 429 });
    expect(limited.stats()).toMatchObject({ writeUnits: 4000, rateLimited: 2 });
    t += 59_999;
    await expect(codeOf(kvs.set('small', 1))).resolves.toBe('RATE_LIMIT_EXCEEDED');
    t += 1;
    await kvs.set('small', 1);
    expect(limited.peek('small')).toBe(1);
  });

  it('counts CJK reads in bytes: 400 reads of a 30,000-character CJK value use the 4,000 read units', async () => {
    await kvs.set('cjk', '界'.repeat(30_000)); // 90 KB: 10 units a read
    t += 60_000;
    for (let i = 0; i < 400; i += 1) await kvs.get('cjk');
    await expect(failureOf(kvs.get('cjk'))).resolves.toEqual({ code: 'RATE_LIMIT_EXCEEDED', status: 429 });
    t += 60_000;
    await expect(kvs.get('cjk')).resolves.toHaveLength(30_000);
  });

  it('answers 429 past 1,000 requests in a second', async () => {
    for (let i = 0; i < 1000; i += 1) await kvs.get('k');
    await expect(failureOf(kvs.get('k'))).resolves.toEqual({ code: 'RATE_LIMIT_EXCEEDED', status: 429 });
    t += 1000;
    await expect(kvs.get('k')).resolves.toBeUndefined();
  });
});

describe('latency', () => {
  it('waits latencyMs around each call (half before it is applied), so concurrent callers interleave', async () => {
    emu.latencyMs = 20;
    const write = kvs.set('slow', 1);
    // Within the first half of the latency the write has not reached the store yet.
    const appliedEarly = emu.peek('slow') !== undefined;
    const start = performance.now();
    await write;
    expect(appliedEarly).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(15);
  });
});
