import type { Principal } from '../../types';
import { loadSite, type SiteInput } from '../site';
import { APP, smallSite } from '../testing/small-site';
import { createJiraEmulator, GlobalQuotaPool, type JiraSiteEmulator } from './index';
import { json } from './http';
import { objectsReturned, pointsFor } from './quota';

/** 10:00:00.000 UTC: an hour starts, so the window's end is exactly an hour away. */
const HOUR_START = Date.UTC(2026, 10, 25, 10, 0, 0);

function site(quota: SiteInput['quota'] = {}): SiteInput {
  return { ...smallSite(), quota };
}

function emulator(input: SiteInput, clock: { t: number }, globalPool?: GlobalQuotaPool): JiraSiteEmulator {
  return createJiraEmulator(loadSite(input), { ...APP, now: () => clock.t, ...(globalPool ? { globalPool } : {}) });
}

async function call(jira: JiraSiteEmulator, method: string, path: string, body?: unknown, as: Principal = { kind: 'app' }) {
  const raw = await jira.handle({ method, path, headers: {}, body: body === undefined ? undefined : JSON.stringify(body), as });
  return { status: raw.status, headers: raw.headers, json: raw.body ? (JSON.parse(raw.body) as unknown) : null };
}

const search = (jira: JiraSiteEmulator, jql: string, maxResults = 100) => call(jira, 'POST', '/rest/api/3/search/jql', { jql, fields: ['summary'], maxResults });

function remaining(headers: Record<string, string>): number {
  return Number(/r=(\d+)/.exec(headers['beta-ratelimit'] ?? '')?.[1]);
}

describe('points quota: cost per request', () => {
  it('charges a read 1 point plus 1 per object returned, and a write 1 point', async () => {
    const clock = { t: HOUR_START };
    const jira = emulator(site(), clock);
    const page = await search(jira, 'project = PAY');
    const issues = (page.json as { issues: unknown[] }).issues.length;
    expect(issues).toBeGreaterThan(1);
    await call(jira, 'GET', '/rest/api/3/project/search?maxResults=100');
    await call(jira, 'GET', '/rest/api/3/issue/PAY-1?fields=summary');
    await call(jira, 'PUT', `/rest/api/3/app/field/${jira.appFieldId}/value`, { updates: [{ issueIds: [10001, 10002], value: null }] });
    await call(jira, 'GET', '/rest/api/3/user/bulk?accountId=u-admin&accountId=u-dev');
    const spent = jira.pointsSpent();
    expect(spent.byEndpoint['POST /rest/api/3/search/jql']).toBe(1 + issues);
    expect(spent.byEndpoint['GET /rest/api/3/project/search']).toBe(1 + 2);
    expect(spent.byEndpoint['GET /rest/api/3/issue/{issueIdOrKey}']).toBe(2);
    expect(spent.byEndpoint['PUT /rest/api/3/app/field/{fieldIdOrKey}/value']).toBe(1);
    expect(spent.byEndpoint['GET /rest/api/3/user/bulk']).toBe(1 + 2);
    expect(spent.total).toBe(1 + issues + 3 + 2 + 1 + 3);
  });

  it('resets the points with the request log', async () => {
    const jira = emulator(site(), { t: HOUR_START });
    await search(jira, 'project = PAY');
    jira.resetRequestLog();
    expect(jira.pointsSpent()).toEqual({ total: 0, byEndpoint: {} });
  });
});

describe('points quota: headers and the hourly edge', () => {
  it('sends the policy and what is left on every answer, tier 2 at 100,000 points an hour by default', async () => {
    const clock = { t: HOUR_START + 25 * 60_000 };
    const jira = emulator(site(), clock);
    const answer = await call(jira, 'GET', '/rest/api/3/issuetype');
    const types = (answer.json as unknown[]).length;
    expect(answer.headers['beta-ratelimit-policy']).toBe('"tenant-app-quota";q=100000;w=3600');
    expect(answer.headers['beta-ratelimit']).toBe(`"tenant-app-quota";r=${100_000 - 1 - types};t=${35 * 60}`);
    expect(answer.headers['x-beta-ratelimit-nearlimit']).toBeUndefined();
  });

  it('answers 429 past the budget with a Retry-After to the end of the hour, and serves again in the next hour', async () => {
    const clock = { t: HOUR_START };
    const jira = emulator(site({ pointsPerHour: 30 }), clock);
    let last = await search(jira, 'project = PAY');
    while (last.status === 200) {
      clock.t += 1000; // a second apart: no burst limit involved
      last = await search(jira, 'project = PAY');
    }
    expect(last.status).toBe(429);
    const elapsed = (clock.t - HOUR_START) / 1000;
    expect(last.headers['retry-after']).toBe(String(3600 - elapsed));
    expect(last.headers['ratelimit-reason']).toBe('jira-quota-tenant-based');
    expect(last.headers['x-ratelimit-reset']).toBe('2026-11-25T11:00Z');
    expect(remaining(last.headers)).toBe(0);
    expect(last.headers['x-beta-ratelimit-nearlimit']).toBe('true');
    // A refused request costs nothing and changes nothing.
    const spent = jira.pointsSpent().total;
    expect((await search(jira, 'project = PAY')).status).toBe(429);
    expect(jira.pointsSpent().total).toBe(spent);

    clock.t = HOUR_START + 3_600_000;
    const next = await search(jira, 'project = PAY');
    expect(next.status).toBe(200);
    expect(remaining(next.headers)).toBe(30 - jira.pointsSpent().byEndpoint['POST /rest/api/3/search/jql']! + spent);
  });

  it('lets the request that crosses the budget through, as Jira charges after answering', async () => {
    const clock = { t: HOUR_START };
    const jira = emulator(site({ pointsPerHour: 3 }), clock);
    const first = await search(jira, 'project = PAY');
    expect(first.status).toBe(200);
    expect(remaining(first.headers)).toBe(0);
    expect((await search(jira, 'project = PAY')).status).toBe(429);
  });
});

describe('points quota: tiers', () => {
  it('shares a tier-1 pool between the sites of one app, and keeps tier-2 budgets apart', async () => {
    const clock = { t: HOUR_START };
    const pool = new GlobalQuotaPool(20);
    const a = emulator(site({ tier: 'global' }), clock, pool);
    const b = emulator(site({ tier: 'global' }), clock, pool);
    const spentOnA = async () => {
      while ((await search(a, 'project = PAY')).status === 200) clock.t += 1000;
    };
    await spentOnA();
    const onB = await search(b, 'project = PAY');
    expect(onB.status).toBe(429);
    expect(onB.headers['ratelimit-reason']).toBe('jira-quota-global-based');
    expect(onB.headers['beta-ratelimit-policy']).toBe('"global-app-quota";q=20;w=3600');

    const c = emulator(site({ pointsPerHour: 20 }), clock);
    const d = emulator(site({ pointsPerHour: 20 }), clock);
    while ((await search(c, 'project = PAY')).status === 200) clock.t += 1000;
    expect((await search(d, 'project = PAY')).status).toBe(200);
  });

  it('gives a tier-1 site 65,000 points an hour when no pool is shared', async () => {
    const jira = emulator(site({ tier: 'global' }), { t: HOUR_START });
    expect((await call(jira, 'GET', '/rest/api/3/field')).headers['beta-ratelimit-policy']).toBe('"global-app-quota";q=65000;w=3600');
  });
});

describe('burst and per-issue write limits', () => {
  it('refuses more requests a second to one endpoint than the burst limit, for that endpoint only', async () => {
    const clock = { t: HOUR_START };
    const jira = emulator(site({ burstPerSecond: 3 }), clock);
    for (let i = 0; i < 3; i++) expect((await call(jira, 'GET', '/rest/api/3/field')).status).toBe(200);
    const refused = await call(jira, 'GET', '/rest/api/3/field');
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-reason']).toBe('jira-burst-based');
    expect(refused.headers['retry-after']).toBe('1');
    expect((await call(jira, 'GET', '/rest/api/3/issuetype')).status).toBe(200);
    clock.t += 1000;
    expect((await call(jira, 'GET', '/rest/api/3/field')).status).toBe(200);
  });

  it('refuses writes to one issue past its window, while other issues can still be written', async () => {
    const clock = { t: HOUR_START };
    const jira = emulator(site({ issueWrites: [{ count: 2, seconds: 10 }], burstPerSecond: 100 }), clock);
    const write = (key: string) => call(jira, 'PUT', `/rest/api/3/issue/${key}`, { fields: { summary: `renamed at ${clock.t}` } }, { kind: 'user', accountId: 'u-admin' });
    expect((await write('PAY-2')).status).toBe(204);
    clock.t += 1000;
    expect((await write('PAY-2')).status).toBe(204);
    clock.t += 1000;
    const refused = await write('PAY-2');
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-reason']).toBe('jira-per-issue-on-write');
    expect(refused.headers['retry-after']).toBe('8');
    expect(jira.issue('PAY-2')?.summary).toBe(`renamed at ${HOUR_START + 1000}`);
    expect((await write('PAY-3')).status).toBe(204);
    clock.t = HOUR_START + 10_000;
    expect((await write('PAY-2')).status).toBe(204);
  });
});

describe('points of an answer', () => {
  it('counts what json() built as parsing its text would, and still parses an answer it did not build', () => {
    const bodies = [{ issues: [1, 2, 3], isLast: true }, { values: [] }, [1, 2], { key: 'A-1' }, 'text', null];
    for (const body of bodies) {
      const response = json(200, body);
      expect(pointsFor('POST /rest/api/3/search/jql', response)).toBe(1 + objectsReturned(response.body));
    }
    const garbage = { status: 200, headers: {}, body: '<html>upstream reset' };
    expect(pointsFor('GET /rest/api/3/issue/{issueIdOrKey}', garbage)).toBe(1);
    expect(pointsFor('GET /rest/api/3/issue/{issueIdOrKey}', { status: 200, headers: {}, body: '{"issues":[1,2]}' })).toBe(3);
  });
});
