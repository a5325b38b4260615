/**
 * Storage calls refused for the installation's rate limits (429 RATE_LIMIT_EXCEEDED) are sent again by the
 * app's storage client, so a burst of work (50 concurrent creates, a rebuild's batch writes) completes rather
 * than failing as "storage unavailable"; other storage errors are not retried.
 */
import { join } from 'node:path';
import { kvs as forgeKvs, WhereConditions } from '@forge/kvs';
import { KvsEmulator } from '../../local/kvs/kvs-emulator';
import { createLocalPlatform, type LocalPlatform } from '../../local/platform';
import { createFakeJira } from '../../local/platform/__fixtures__/fake-jira';
import { kvs } from '../../src/infra/storage/kvs-retry';

jest.setTimeout(30_000);
const root = join(__dirname, '..', '..', 'local', 'platform', '__fixtures__', 'app');
let platform: LocalPlatform;

beforeEach(async () => {
  platform = await createLocalPlatform({
    root,
    jira: createFakeJira('2026-03-02'),
    timeScale: 0.0001,
    storageLatencyMs: 0,
    log: () => undefined,
    kvs: new KvsEmulator({ rateLimits: { requestsPerSecond: 4 } }),
  });
});
afterEach(() => platform.close());

const burst = (client: typeof forgeKvs) => Array.from({ length: 8 }, (_, i) => client.set(`k${i}`, i));

it('a burst past the per-second limit is refused by Forge storage without the retrying client', async () => {
  const outcomes = await platform.runAsApp(() => Promise.allSettled(burst(forgeKvs)));
  expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThan(0);
});

it('the retrying client completes the same burst, and every value is stored', async () => {
  await platform.runAsApp(() => Promise.all(burst(kvs)));
  for (let i = 0; i < 8; i++) expect(platform.kvs.peek(`k${i}`)).toBe(i);
  expect(platform.kvs.stats().rateLimited).toBeGreaterThan(0);
});

it('builders are covered too: a query page and a transaction go through under the same limit', async () => {
  await platform.runAsApp(async () => {
    await Promise.all(burst(kvs));
    const pages = await Promise.all(Array.from({ length: 6 }, () => kvs.query().where('key', WhereConditions.beginsWith('k1')).limit(10).getMany()));
    expect(pages.every((p) => p.results.length === 1)).toBe(true);
    await Promise.all(Array.from({ length: 6 }, (_, i) => kvs.transact().set(`t${i}`, i).execute()));
  });
  for (let i = 0; i < 6; i++) expect(platform.kvs.peek(`t${i}`)).toBe(i);
});

it('errors other than a rate limit reach the caller at once', async () => {
  const refused = await platform.runAsApp(() => kvs.set('x'.repeat(600), 1)).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(Error);
  expect(platform.kvs.stats().rateLimited).toBe(0);
});
