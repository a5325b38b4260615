/**
 * The platform drives a fixture app (`__fixtures__/app`) written only against Forge's public SDKs, the way the
 * real app in `src/` will be driven.
 */
import { join } from 'node:path';
import { asApp, asUser, route } from '@forge/api';
import { kvs } from '@forge/kvs';
import type { IssueEvent } from '../types';
import { createFakeJira, type FakeJira } from './__fixtures__/fake-jira';
import { createLocalPlatform, functionTimeoutSeconds, readManifest, type LocalPlatform } from './index';

const root = join(__dirname, '__fixtures__', 'app');
let jira: FakeJira;
let platform: LocalPlatform;

function issueEvent(key: string, overrides: Partial<IssueEvent> = {}, fields: Record<string, unknown> = {}): IssueEvent {
  return { eventType: 'avi:jira:updated:issue', issue: { id: '10001', key, fields }, atlassianId: 'user-1', selfGenerated: false, ...overrides };
}

beforeEach(async () => {
  jira = createFakeJira('2026-03-02');
  // 1 Forge second = 0.1 ms: a 60 s retryAfter takes 6 ms.
  platform = await createLocalPlatform({ root, jira, timeScale: 0.0001, storageLatencyMs: 0, log: () => undefined });
});

afterEach(() => platform.close());

describe('invoke', () => {
  it('gives the resolver the context Forge gives it (caller, site, module, extension)', async () => {
    const res = await platform.invoke('fixture-resolver', 'whoami', {}, { accountId: 'user-1', moduleKey: 'fixture-panel', extension: { issue: { key: 'A-1' } } });
    expect(res).toEqual({
      accountId: 'user-1',
      cloudId: platform.cloudId,
      siteUrl: platform.siteUrl,
      moduleKey: 'fixture-panel',
      extension: { issue: { key: 'A-1' } },
      appModuleKey: 'fixture-panel',
    });
  });

  it('passes the result through JSON, as Forge does', async () => {
    await expect(platform.invoke('fixture-resolver', 'echo', { a: 1 }, { accountId: 'u' })).resolves.toEqual({ payload: { a: 1 }, at: '1970-01-01T00:00:00.000Z' });
  });

  it('finds the function of a module from the manifest', async () => {
    const res = await platform.invokeForModule('fixture-panel', 'whoami', {}, { accountId: 'user-2' });
    expect(res).toMatchObject({ accountId: 'user-2', moduleKey: 'fixture-panel' });
  });

  it('refuses a function the manifest does not declare, naming it', async () => {
    await expect(platform.invoke('no-such-fn', 'whoami', {}, { accountId: 'u' })).rejects.toThrow(/no-such-fn.*not declared/);
    expect(() => platform.invokeForModule('no-such-module', 'whoami', {}, { accountId: 'u' })).toThrow(/no-such-module/);
  });

  it('surfaces an unknown resolver key and a throwing resolver as rejections', async () => {
    await expect(platform.invoke('fixture-resolver', 'nope', {}, { accountId: 'u' })).rejects.toThrow(/no definition for 'nope'/);
    await expect(platform.invoke('fixture-resolver', 'boom', {}, { accountId: 'u' })).rejects.toThrow('resolver failed on purpose');
  });

  it('refuses a payload over 500 KB', async () => {
    await expect(platform.invoke('fixture-resolver', 'echo', { s: 'x'.repeat(501 * 1024) }, { accountId: 'u' })).rejects.toThrow(/500 KB/);
  });

  it('lets resolvers use the KVS emulator through @forge/kvs', async () => {
    await platform.invoke('fixture-resolver', 'counter', {}, { accountId: 'u' });
    await expect(platform.invoke('fixture-resolver', 'counter', {}, { accountId: 'u' })).resolves.toBe(2);
    expect(platform.kvs.peek('counter')).toBe(2);
  });
});

describe('requestJira through the seam', () => {
  it('runs asUser() as the user of the current invocation', async () => {
    const res = await platform.invoke('fixture-resolver', 'myselfAsUser', {}, { accountId: 'user-7' });
    expect(res).toEqual({ status: 200, body: { accountId: 'user-7' } });
    expect(jira.requests.at(-1)?.as).toEqual({ kind: 'user', accountId: 'user-7' });
  });

  it('keeps concurrent invocations of different users apart', async () => {
    const results = await Promise.all(['a', 'b', 'c'].map((u) => platform.invoke('fixture-resolver', 'myselfAsUser', {}, { accountId: u })));
    expect(results.map((r) => (r as { body: { accountId: string } }).body.accountId)).toEqual(['a', 'b', 'c']);
  });

  it('runs asApp() as the app and passes method and headers', async () => {
    await expect(platform.invoke('fixture-resolver', 'myselfAsApp', {}, { accountId: 'user-7' })).resolves.toEqual({ status: 200, body: { accountId: 'app-account' } });
    const req = jira.requests.at(-1);
    expect(req).toMatchObject({ method: 'GET', path: '/rest/api/3/myself', as: { kind: 'app' } });
    expect(req?.headers.accept).toBe('application/json');
  });

  it('answers a 204 with an empty body', async () => {
    await expect(platform.invoke('fixture-resolver', 'deleteIssue', { key: 'A-1' }, { accountId: 'u' })).resolves.toEqual({ status: 204, text: '' });
  });

  it('runAsUser and runAsApp run arbitrary code inside the seams', async () => {
    const asUserStatus = await platform.runAsUser('user-9', async () => (await asUser().requestJira(route`/rest/api/3/myself`)).json());
    expect(asUserStatus).toEqual({ accountId: 'user-9' });
    await platform.runAsApp(() => kvs.set('seeded', true));
    expect(platform.kvs.peek('seeded')).toBe(true);
    await expect(platform.runAsApp(async () => (await asApp().requestJira(route`/rest/api/3/myself`)).status)).resolves.toBe(200);
  });

  it('makes asUser() fail where no user is behind the invocation', async () => {
    await expect(platform.runAsApp(() => asUser().requestJira(route`/rest/api/3/myself`))).rejects.toThrow(/Authentication Required/);
  });

  it('keeps an invocation of a closed platform (a leftover background step) out of the next platform', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const leftover = platform.runAsApp(async () => {
      await gate;
      await kvs.set('leaked', true);
    });
    platform.close();
    const next = await createLocalPlatform({ root, jira: createFakeJira('2026-03-02'), timeScale: 0.0001, storageLatencyMs: 0, log: () => undefined });
    try {
      release();
      await expect(leftover).rejects.toThrow();
      expect(next.kvs.peek('leaked')).toBeUndefined();
      await next.runAsApp(() => kvs.set('own', true));
      expect(next.kvs.peek('own')).toBe(true);
    } finally {
      next.close();
    }
  });

  it('answers an unknown target with a clear error', async () => {
    const fetchFn = globalThis.__forge_fetch__;
    if (!fetchFn) throw new Error('seam not installed');
    const res = await fetchFn({ type: 'tpp', provider: 'github', remote: 'api' }, '/x');
    expect(res.status).toBe(501);
    await expect(res.json()).resolves.toMatchObject({ code: 'UNSUPPORTED_TARGET' });
  });
});

describe('triggers', () => {
  it('delivers an issue event to every trigger listening to its type, asynchronously, without selfGenerated', async () => {
    jira.emit(issueEvent('A-1'));
    expect(platform.kvs.peek('seen:ignore-self')).toBeUndefined();
    await platform.settle();
    expect(platform.kvs.peek('seen:ignore-self')).toEqual([{ key: 'A-1', attempt: 0, hasSelfGenerated: false }]);
    expect(platform.kvs.peek('seen:all')).toEqual([{ key: 'A-1', moduleKey: 'issue-trigger-all', userCallFailed: true }]);
  });

  it('skips self-generated events for triggers with ignoreSelf only', async () => {
    jira.emit(issueEvent('A-2', { selfGenerated: true }));
    await platform.settle();
    expect(platform.kvs.peek('seen:ignore-self')).toBeUndefined();
    expect(platform.kvs.peek('seen:all')).toEqual([expect.objectContaining({ key: 'A-2' })]);
  });

  it('delivers only event types the trigger lists', async () => {
    jira.emit(issueEvent('A-3', { eventType: 'avi:jira:created:issue' }));
    await platform.settle();
    expect(platform.kvs.peek('seen:ignore-self')).toEqual([expect.objectContaining({ key: 'A-3' })]);
    expect(platform.kvs.peek('seen:all')).toBeUndefined();
  });

  it('redelivers when the handler returns an InvocationError, with a growing retryCount', async () => {
    jira.emit(issueEvent('A-4', {}, { failTimes: 2 }));
    await platform.settle();
    expect(platform.kvs.peek('seen:ignore-self')).toEqual([0, 1, 2].map((attempt) => ({ key: 'A-4', attempt, hasSelfGenerated: false })));
  });

  it('gives up after 4 retries', async () => {
    jira.emit(issueEvent('A-5', {}, { failTimes: 100 }));
    await platform.settle();
    expect((platform.kvs.peek('seen:ignore-self') as unknown[]).length).toBe(5);
  });

  it('logs a handler that keeps failing instead of crashing the platform', async () => {
    platform.kvs.failNext(100, { code: 'INTERNAL_SERVER_ERROR' });
    jira.emit(issueEvent('A-6'));
    await platform.settle();
    platform.kvs.clearFaults();
    expect(platform.errors.some((e) => /trigger 'issue-trigger-(ignore-self|all)' threw/.test(e.message))).toBe(true);
  });
});

describe('queue', () => {
  interface Work {
    n: number;
    attempt: number;
    queueName: string;
    hasJobId: boolean;
  }

  it('delivers pushed events to the consumer of the queue and reports job stats', async () => {
    const { jobId } = (await platform.invoke('fixture-resolver', 'enqueue', { items: [{ n: 1 }, { n: 4 }] }, { accountId: 'u' })) as { jobId: string };
    await platform.settle();
    const work = platform.kvs.peek('work') as Work[];
    expect(work.map((w) => w.n).sort()).toEqual([1, 4]);
    expect(work.every((w) => w.queueName === 'work-queue' && w.hasJobId)).toBe(true);
    await expect(platform.invoke('fixture-resolver', 'jobStats', { jobId }, { accountId: 'u' })).resolves.toEqual({ success: 2, inProgress: 0, failed: 0 });
  });

  it('redelivers after an InvocationError and after a throw (at least once)', async () => {
    await platform.invoke('fixture-resolver', 'enqueue', { items: [{ n: 2 }, { n: 3 }] }, { accountId: 'u' });
    await platform.settle();
    const work = (platform.kvs.peek('work') as Work[]).map((w) => `${w.n}@${w.attempt}`).sort();
    expect(work).toEqual(['2@0', '2@1', '3@0', '3@1']);
  });

  it('counts an event that keeps asking for retries as failed after 4 retries', async () => {
    const { jobId } = (await platform.invoke('fixture-resolver', 'enqueue', { items: [{ n: 99 }] }, { accountId: 'u' })) as { jobId: string };
    await platform.settle();
    expect((platform.kvs.peek('work') as Work[]).length).toBe(5);
    expect(platform.queue.getStats(jobId)).toEqual({ success: 0, inProgress: 0, failed: 1 });
  });

  it('honours delayInSeconds', async () => {
    // 500 Forge seconds = 50 ms here: the undelayed event, pushed second, arrives first.
    await platform.invoke('fixture-resolver', 'enqueue', { items: [{ n: 10, delayInSeconds: 500 }, { n: 11 }] }, { accountId: 'u' });
    await platform.settle();
    expect((platform.kvs.peek('work') as Work[]).map((w) => w.n)).toEqual([11, 10]);
    expect(platform.queue.pushed.map((p) => p.delayInSeconds)).toEqual([500, undefined]);
  });
});

describe('scheduled triggers and site clock', () => {
  it('runs a scheduled trigger by hand as the app', async () => {
    await expect(platform.runScheduledTrigger('daily-snapshot')).resolves.toEqual({ statusCode: 204 });
    expect(platform.kvs.peek('scheduled')).toBe('daily-snapshot');
    await expect(platform.runScheduledTrigger('nope')).rejects.toThrow(/nope/);
  });

  it('shows the app the site day as today', async () => {
    await expect(platform.invoke('fixture-resolver', 'today', {}, { accountId: 'u' })).resolves.toMatchObject({ today: '2026-03-02' });
  });

  it('restores the real clock on close', async () => {
    platform.close();
    expect(new Date().toISOString().slice(0, 10)).not.toBe('2026-03-02');
    platform = await createLocalPlatform({ root, jira, timeScale: 0.0001, storageLatencyMs: 0, log: () => undefined });
  });

  it('reads custom entity indexes from the manifest', async () => {
    await platform.runAsApp(() => kvs.entity('note').set('n1', { owner: 'u1', rank: 2 }));
    const res = await platform.runAsApp(() => kvs.entity('note').query().index('by-owner', { partition: ['u1'] }).getMany());
    expect(res.results.map((r) => r.key)).toEqual(['n1']);
  });
});

describe('loading handlers', () => {
  it('fails at creation when the manifest names an export the app lacks, unless strictHandlers is false', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'lfp-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'manifest.yml'), readFileSync(join(root, 'manifest.yml'), 'utf8').replace('index.onSchedule', 'index.missingExport'));
    writeFileSync(join(dir, 'src', 'index.js'), `module.exports = require(${JSON.stringify(join(root, 'src', 'index'))});`);
    platform.close();
    await expect(createLocalPlatform({ root: dir, jira, log: () => undefined })).rejects.toThrow(/scheduled-fn.*no exported function 'missingExport'/);
    platform = await createLocalPlatform({ root: dir, jira, strictHandlers: false, log: () => undefined });
    await expect(platform.invoke('fixture-resolver', 'echo', { a: 1 }, { accountId: 'u' })).resolves.toMatchObject({ payload: { a: 1 } });
    await expect(platform.runScheduledTrigger('daily-snapshot')).rejects.toThrow(/missingExport/);
  });
});

/** Polls (no time assertion) until `check` holds: a handler has reached the point a test waits for. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('function deadlines (Forge "Invocation limits")', () => {
  it('gives resolvers and triggers 25 s, consumer and schedule functions timeoutSeconds (default 55, at most 900)', () => {
    const fixture = readManifest(root);
    const limitOf = (m: ReturnType<typeof readManifest>, key: string): number => functionTimeoutSeconds(m, m.functions.find((f) => f.key === key) ?? { key, handler: '' });
    expect(['fixture-resolver', 'trigger-all-fn', 'consumer-fn', 'scheduled-fn'].map((k) => limitOf(fixture, k))).toEqual([25, 25, 900, 55]);
    const app = readManifest(join(__dirname, '..', '..'));
    expect(['panel-resolver', 'issue-events-fn', 'app-installed-fn', 'reconcile-consumer-fn', 'daily-reconcile-fn'].map((k) => limitOf(app, k))).toEqual([25, 25, 25, 900, 55]);
  });

  it('stops a resolver at 25 s of platform time: the invoke fails with a clear error and the failure is logged', async () => {
    let outcome: unknown = 'pending';
    const answer = platform.invoke('fixture-resolver', 'hang', {}, { accountId: 'u' }).catch((e: unknown) => e);
    void answer.then((e) => (outcome = e));
    await until(() => platform.kvs.peek('hang:started') === true);
    // Real time runs too: leave it 5 s of slack so a loaded machine cannot reach the deadline on its own.
    platform.clock.advance(20_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(outcome).toBe('pending');
    platform.clock.advance(5_000);
    await expect(answer).resolves.toMatchObject({ status: 500, code: 'INTERNAL', message: expect.stringMatching(/'hang'.*25 s/) });
    expect(platform.errors.some((e) => /resolver 'hang'.*25 s/.test(e.message))).toBe(true);
  });

  it('does not stop a resolver short of 25 s', async () => {
    const answer = platform.invoke('fixture-resolver', 'slowWrite', { ms: 20 }, { accountId: 'u' });
    await until(() => platform.kvs.peek('slow:started') === true);
    platform.clock.advance(20_000);
    await expect(answer).resolves.toBe('done');
  });

  it('refuses what a stopped function still sends (Forge has killed it)', async () => {
    const answer = platform.invoke('fixture-resolver', 'slowWrite', { ms: 30 }, { accountId: 'u' });
    await until(() => platform.kvs.peek('slow:started') === true);
    platform.clock.advance(25_000);
    await expect(answer).rejects.toMatchObject({ code: 'INTERNAL' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(platform.kvs.peek('slow:late')).toBeUndefined();
  });

  it('stops a trigger at 25 s: logged as a failure, the event not redelivered', async () => {
    jira.emit(issueEvent('H-1', {}, { hang: true }));
    await until(() => Array.isArray(platform.kvs.peek('seen:all')));
    platform.clock.advance(25_000);
    await platform.settle();
    expect(platform.errors.some((e) => /trigger 'issue-trigger-all' threw/.test(e.message) && /25 s limit/.test(String((e.error as Error | undefined)?.message)))).toBe(true);
    expect(platform.kvs.peek('seen:all')).toHaveLength(1);
  });

  it('stops a consumer at its timeoutSeconds (900 s), not before, and delivers the event again', async () => {
    const { jobId } = (await platform.invoke('fixture-resolver', 'enqueue', { items: [{ n: 500 }] }, { accountId: 'u' })) as { jobId: string };
    await until(() => Array.isArray(platform.kvs.peek('work')));
    platform.clock.advance(895_000);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(platform.queue.getStats(jobId)).toEqual({ success: 0, inProgress: 1, failed: 0 });
    platform.clock.advance(5_000);
    await platform.settle();
    expect((platform.kvs.peek('work') as Array<{ n: number; attempt: number }>).map((w) => `${w.n}@${w.attempt}`)).toEqual(['500@0', '500@1']);
    expect(platform.queue.getStats(jobId)).toEqual({ success: 1, inProgress: 0, failed: 0 });
  });
});

describe('scheduled trigger replies (Forge needs {statusCode: 204})', () => {
  it.each([
    ['no statusCode', { ran: 'daily-snapshot' }, /424/],
    ['a 500', { statusCode: 500 }, /statusCode 500/],
    ['a 200', { statusCode: 200 }, /statusCode 200/],
  ])('fails and logs a reply with %s', async (_label, reply, pattern) => {
    platform.kvs.restore({ version: 1, plain: { 'scheduled:reply': { json: JSON.stringify(reply), createdAt: 0, updatedAt: 0 } }, secret: {}, entities: {} });
    await expect(platform.runScheduledTrigger('daily-snapshot')).rejects.toThrow(pattern);
    expect(platform.errors.some((e) => /scheduled trigger 'daily-snapshot'/.test(e.message) && pattern.test(e.message))).toBe(true);
  });
});

describe('storage latency', () => {
  it('is 20 ms per storage call by default, set by the platform on its emulator', async () => {
    const next = await createLocalPlatform({ root, jira: createFakeJira('2026-03-02'), timeScale: 0.0001, log: () => undefined });
    try {
      expect(next.kvs.latencyMs).toBe(20);
    } finally {
      next.close();
    }
  });

  it('makes each storage call take that long on the platform clock', async () => {
    platform.kvs.latencyMs = 20;
    const before = platform.clock.now();
    await platform.runAsApp(async () => {
      await kvs.set('a', 1);
      await kvs.get('a');
    });
    // Two calls of 20 ms each: at least 40 ms passed (a lower bound only; the machine may be slower).
    expect(platform.clock.now() - before).toBeGreaterThanOrEqual(39);
  });
});

describe('storage limits through @forge/kvs', () => {
  it('surfaces a 429 as ForgeKvsAPIError RATE_LIMIT_EXCEEDED, and the budget refills after a minute of platform time', async () => {
    platform.close();
    const { KvsEmulator } = await import('../kvs/kvs-emulator');
    platform = await createLocalPlatform({ root, jira, timeScale: 0.0001, storageLatencyMs: 0, log: () => undefined, kvs: new KvsEmulator({ rateLimits: { writeUnitsPerMinute: 2 } }) });
    await platform.runAsApp(() => kvs.set('a', 1));
    await platform.runAsApp(() => kvs.set('b', 1));
    const refused = await platform.runAsApp(() => kvs.set('c', 1)).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'ForgeKvsError', code: 'RATE_LIMIT_EXCEEDED', responseDetails: expect.objectContaining({ status: 429 }) });
    platform.clock.advance(60_000);
    await platform.runAsApp(() => kvs.set('c', 1));
    expect(platform.kvs.peek('c')).toBe(1);
  });
});
