/**
 * The outline store keeps one JSON text in parts under the value limit in bytes, reads it whole or not at all,
 * and leaves no part behind when a shorter outline replaces a longer one.
 */
import { createOutlineStore } from '../../src/infra/storage/outline-store';
import { MAX_VALUE_BYTES, bytesOf } from '../../src/infra/storage/value-size';
import type { StoredOutline } from '../../src/services/rollup-ports';
import { smallSite } from '../../local/jira/testing/small-site';
import { startTestApp, type TestApp } from '../helpers/local-app';

/** An outline of `epics` epics whose keys weigh the most per character (3-byte CJK and escaped quotes). */
function outline(epics: number, fingerprint = 'f1'): StoredOutline {
  return {
    fingerprint,
    writtenAt: 1,
    asOf: '2026-11-25',
    destinations: [],
    offRoute: { count: { inFlight: 0, offRoute: 0, share: 0 }, estimate: { inFlight: 0, offRoute: 0, share: 0 }, epicKeys: [], orphanCount: 0 },
    warnings: [{ code: 'UNESTIMATED_WORK', message: '"界"'.repeat(2000) }],
    epics: Array.from({ length: epics }, (_, i): [string, string, string] => [String(10_000 + i), `界"${i}`, '界'.repeat(8)]),
  };
}

/** A storage failure, as Forge answers one. */
const UNAVAILABLE = { code: 'INTERNAL_SERVER_ERROR', status: 500 };

describe('the outline store', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(smallSite());
  });
  afterEach(() => app.close());
  const parts = () => app.platform.kvs.keys().filter((k) => k.startsWith('portfolio-outline:'));
  const store = createOutlineStore();

  it('cuts a big outline into parts under the value limit and reads it back whole', async () => {
    const big = outline(20_000);
    expect(bytesOf(big)).toBeGreaterThan(3 * MAX_VALUE_BYTES);
    await app.platform.runAsApp(() => store.write(big));
    expect(parts().length).toBeGreaterThan(3);
    for (const key of parts()) expect(bytesOf(app.platform.kvs.peek(key))).toBeLessThan(MAX_VALUE_BYTES);
    expect(await app.platform.runAsApp(() => store.read())).toEqual(big);
    expect(await app.platform.runAsApp(() => store.peek())).toEqual({ fingerprint: 'f1', writtenAt: 1 });
  });

  it('reads nothing from parts of two writes, and a shorter outline leaves no part of the longer one', async () => {
    await app.platform.runAsApp(() => store.write(outline(20_000)));
    const longer = parts().length;
    // A second write caught half way: its first part landed, the meta still names the first write.
    const torn = app.platform.kvs.failWhen((call) => call.path === '/api/v1/set' && UNAVAILABLE);
    await app.platform.runAsApp(() => store.write(outline(20_000, 'f2')));
    torn();
    expect(await app.platform.runAsApp(() => store.read())).toBeUndefined();
    await app.platform.runAsApp(() => store.write(outline(10, 'f3')));
    expect(parts()).toEqual(['portfolio-outline:0']);
    expect(longer).toBeGreaterThan(1);
    expect((await app.platform.runAsApp(() => store.read()))?.fingerprint).toBe('f3');
  });
});
