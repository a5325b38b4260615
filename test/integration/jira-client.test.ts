/**
 * The Jira client against the local platform's seams: `@forge/api` as the app runs it, over the Jira emulator
 * (quota headers, Jira's error shapes) or over a scripted answer where Jira's behaviour needs pinning down.
 */
import { route } from '@forge/api';
import { createJiraEmulator, loadSite, type JiraSiteEmulator } from '../../local/jira';
import { APP, smallSite } from '../../local/jira/testing/small-site';
import { installForgeRuntime, KvsEmulator, readManifest, runInvocation } from '../../local/platform';
import type { ProductRequest, ProductResponse } from '../../local/types';
import { AppError, RateLimitedError } from '../../src/domain/errors';
import { systemClock } from '../../src/infra/clock';
import { createAppJira } from '../../src/infra/jira/app-jira';
import { BACKGROUND_RETRY, createJiraClient, describeJiraError, RESOLVER_RETRY } from '../../src/infra/jira/jira-client';

const clock = systemClock;
const manifest = readManifest(process.cwd());

/** The real emulator, with a script that may answer a request in its place. */
function site(quota: Record<string, unknown> = {}) {
  const jira: JiraSiteEmulator = createJiraEmulator(loadSite({ ...smallSite(), quota }), APP);
  const sent: ProductRequest[] = [];
  let script: ((req: ProductRequest) => ProductResponse | undefined) | undefined;
  const seam = {
    ...jira,
    handle: async (req: ProductRequest) => {
      sent.push(req);
      return script?.(req) ?? jira.handle(req);
    },
  };
  const uninstall = installForgeRuntime({ kvs: new KvsEmulator(), jira: seam, scopes: manifest.scopes });
  return {
    jira,
    sent,
    answer(fn: typeof script) {
      script = fn;
    },
    asApp: <T>(fn: () => Promise<T>) => runInvocation({}, fn),
    close: uninstall,
  };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): ProductResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

let warn: jest.SpyInstance;
beforeEach(() => {
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

describe('the points quota', () => {
  it('throws RateLimitedError at once for a long Retry-After, instead of sleeping through the step', async () => {
    const s = site();
    try {
      s.answer(() => json(429, { errorMessages: ['Rate limit exceeded.'] }, { 'retry-after': '2400', 'ratelimit-reason': 'jira-quota-tenant-based' }));
      const client = createJiraClient(BACKGROUND_RETRY, clock);
      const before = Date.now();
      const error = await s.asApp(() => client.request('app', route`/rest/api/3/field`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      const limited = error as RateLimitedError;
      expect(limited.code).toBe('RATE_LIMITED');
      expect(limited.reason).toBe('jira-quota-tenant-based');
      expect(limited.retryAt).toBeGreaterThanOrEqual(before + 2_400_000);
      expect(limited.retryAt).toBeLessThan(Date.now() + 2_400_000 + 1);
      expect(s.sent).toHaveLength(1);
    } finally {
      s.close();
    }
  });

  it('waits out a short Retry-After and answers', async () => {
    const s = site();
    try {
      let refused = 0;
      s.answer(() => (refused++ === 0 ? json(429, { errorMessages: ['Rate limit exceeded.'] }, { 'retry-after': '0', 'ratelimit-reason': 'jira-burst-based' }) : undefined));
      const client = createJiraClient(BACKGROUND_RETRY, clock);
      const answer = await s.asApp(() => client.request('app', route`/rest/api/3/issuetype`));
      expect(answer.status).toBe(200);
      expect(s.sent).toHaveLength(2);
    } finally {
      s.close();
    }
  });

  it('remembers what the quota headers said, and background work holds back at its reserve without asking Jira', async () => {
    // 1,000 points an hour: background work keeps 50 of them, plus one search page's worth (101).
    const s = site({ pointsPerHour: 1000 });
    try {
      const client = createJiraClient(BACKGROUND_RETRY, clock);
      await s.asApp(() => client.request('app', route`/rest/api/3/issuetype`));
      const seen = client.quota();
      expect(seen?.limit).toBe(1000);
      expect(seen?.windowSeconds).toBe(3600);
      expect(seen?.remaining).toBe(1000 - s.jira.pointsSpent().total);
      // Spend the hour down to the reserve behind the client's back, then ask again through it.
      s.answer(() => json(200, [], { 'beta-ratelimit-policy': '"tenant-app-quota";q=1000;w=3600', 'beta-ratelimit': '"tenant-app-quota";r=150;t=1800' }));
      await s.asApp(() => client.request('app', route`/rest/api/3/issuetype`));
      const sent = s.sent.length;
      const error = await s.asApp(() => client.request('app', route`/rest/api/3/issuetype`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).reason).toBe('paced');
      expect(s.sent).toHaveLength(sent);
      // A page view may still use the reserve.
      const forViews = createJiraClient(RESOLVER_RETRY, clock);
      expect((await s.asApp(() => forViews.request('app', route`/rest/api/3/issuetype`))).status).toBe(200);
    } finally {
      s.close();
    }
  });
});

describe("Jira's refusals", () => {
  it('logs a 4xx with its error messages and field names, never the texts in errors', async () => {
    const s = site();
    try {
      s.answer(() => json(400, { errorMessages: ['The request is not valid.'], errors: { summary: 'Summary "Salary review for Dana" is too long' } }));
      const client = createJiraClient(RESOLVER_RETRY, clock);
      const error = await s.asApp(() => client.request('app', route`/rest/api/3/issue/${'PAY-1'}?fields=${'summary'}`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INTERNAL');
      const logged = warn.mock.calls.map((c) => String(c[0])).join('\n');
      expect(logged).toContain('400');
      expect(logged).toContain('GET /rest/api/3/issue/PAY-1');
      expect(logged).toContain('The request is not valid.');
      expect(logged).toContain('summary');
      expect(logged).not.toContain('Dana');
      expect(logged).not.toContain('fields=');
    } finally {
      s.close();
    }
  });

  it('describes a body that is not JSON without quoting it', () => {
    expect(describeJiraError('<html>Dana</html>')).toBe('a body that is not JSON');
  });

  it('passes the consent error of asUser through at once, not retried as an outage', async () => {
    const s = site();
    try {
      const client = createJiraClient(BACKGROUND_RETRY, clock);
      // An invocation without a user: Forge's proxy answers that authentication is needed.
      const error = await s.asApp(() => client.request('user', route`/rest/api/3/myself`)).catch((e: unknown) => e);
      expect((error as Error).name).toBe('NEEDS_AUTHENTICATION_ERR');
      expect(error).not.toBeInstanceOf(AppError);
    } finally {
      s.close();
    }
  });
});

describe('a 400 on a children search', () => {
  const estimate = { kind: 'none' } as const;
  const meta = { appFieldId: 'customfield_10100', epicTypeIds: [], standardTypeIds: [], pointsFields: [] };

  it('reads "the key does not exist" as a deleted epic', async () => {
    const s = site();
    try {
      const jira = createAppJira({ policy: BACKGROUND_RETRY, clock, metaCache: {} });
      expect(await s.asApp(() => jira.childrenOf(meta, ['PAY-1', 'PAY-999'], estimate))).toBeNull();
      expect((await s.asApp(() => jira.childrenOf(meta, ['PAY-1'], estimate)))?.length).toBeGreaterThan(0);
    } finally {
      s.close();
    }
  });

  it('fails loudly on any other 400, never answering "no children"', async () => {
    const s = site();
    try {
      s.answer(() => json(400, { errorMessages: ["Field 'customfield_10016' does not exist or you do not have permission to view it."], errors: {} }));
      const jira = createAppJira({ policy: BACKGROUND_RETRY, clock, metaCache: {} });
      const error = await s.asApp(() => jira.childrenOf(meta, ['PAY-1'], estimate)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INTERNAL');
      expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toContain("Field 'customfield_10016' does not exist");
    } finally {
      s.close();
    }
  });

  it('does not read a missing key it did not ask about as a deletion', async () => {
    const s = site();
    try {
      s.answer(() => json(400, { errorMessages: ["The value 'OTHER-1' does not exist for the field 'parent'."], errors: {} }));
      const jira = createAppJira({ policy: BACKGROUND_RETRY, clock, metaCache: {} });
      await expect(s.asApp(() => jira.childrenOf(meta, ['PAY-1'], estimate))).rejects.toBeInstanceOf(AppError);
    } finally {
      s.close();
    }
  });
});
