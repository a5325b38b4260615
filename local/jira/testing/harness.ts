/** Small helpers for tests that talk to the emulator through `handle`, as the runtime seams do. */
import type { Principal, ProductResponse } from '../../types';
import { bootJira } from '../../app/boot';
import type { JiraSiteEmulator } from '../emulator';
import type { SiteInput } from '../site';
import { APP, smallSite } from './small-site';

export interface Answer {
  status: number;
  headers: Record<string, string>;
  json: unknown;
  raw: ProductResponse;
}

export interface Harness {
  emulator: JiraSiteEmulator;
  call(method: string, path: string, body?: unknown, as?: Principal): Promise<Answer>;
  /** Keys matched by a JQL query (all pages), in the order Jira returns them. */
  keys(jql: string, as?: Principal): Promise<string[]>;
  /** The first error message of a search that should fail. */
  searchError(jql: string, as?: Principal): Promise<string>;
}

export const asApp: Principal = { kind: 'app' };
export const asUser = (accountId: string): Principal => ({ kind: 'user', accountId });

/**
 * These tests check routes and JQL evaluation, not consistency, so the index is fresh here (`staleIndex` off);
 * the stale-index tests turn it back on. The emulator itself is stale by default, as Jira is.
 */
export function harness(site: SiteInput = smallSite()): Harness {
  const emulator = bootJira(site, APP).jira;
  emulator.faults.staleIndex = false;
  const call = async (method: string, path: string, body?: unknown, as: Principal = asApp): Promise<Answer> => {
    const raw = await emulator.handle({ method, path, headers: {}, body: body === undefined ? undefined : JSON.stringify(body), as });
    let json: unknown = null;
    if (raw.body !== null) {
      try {
        json = JSON.parse(raw.body);
      } catch {
        json = raw.body;
      }
    }
    return { status: raw.status, headers: raw.headers, json, raw };
  };
  const keys = async (jql: string, as: Principal = asApp): Promise<string[]> => {
    const out: string[] = [];
    let token: string | undefined;
    for (;;) {
      const res = await call('POST', '/rest/api/3/search/jql', { jql, fields: ['key'], maxResults: 5000, nextPageToken: token }, as);
      if (res.status !== 200) throw new Error(`search ${jql} answered ${res.status}: ${JSON.stringify(res.json)}`);
      const page = res.json as { issues: Array<{ key: string }>; nextPageToken?: string; isLast: boolean };
      out.push(...page.issues.map((i) => i.key));
      if (page.isLast) return out;
      token = page.nextPageToken;
    }
  };
  const searchError = async (jql: string, as: Principal = asApp): Promise<string> => {
    const res = await call('POST', '/rest/api/3/search/jql', { jql }, as);
    if (res.status !== 400) throw new Error(`expected 400 for ${jql}, got ${res.status}`);
    return (res.json as { errorMessages: string[] }).errorMessages[0] ?? '';
  };
  return { emulator, call, keys, searchError };
}
