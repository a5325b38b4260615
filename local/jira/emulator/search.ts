/** Search: JQL pages (token paging, field caps, the lagging index and `reconcileIssues`), the approximate count, and the removed endpoints. */
import type { ProductResponse } from '../../types';
import { BASE_URL } from '../store';
import { HttpError, bodyObject, isObject, json, toStringList, type AddRoute, type Caller, type Handler } from './http';
import type { SiteState } from './state';

const PAGE_CAP_IDS = 5000;
const PAGE_CAP_FIELDS = 100;
/**
 * Jira "may return fewer items per page where a large number of fields or properties are requested". Modelled
 * deterministically: a page holds at most this many field values, so 4 fields fill 100 issues, 5 give 80, all
 * 12 give 33. The app must follow `nextPageToken` and never read a short page as the last one.
 */
export const FIELD_VALUES_PER_PAGE = 400;
const RECONCILE_LIMIT = 50;

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** JQL with app JQL functions replaced by their precomputations (see `jql-functions.ts`). */
export type ResolveAppFunctions = (jql: string) => Promise<string>;

export function searchRoutes(s: SiteState, route: AddRoute, resolve: ResolveAppFunctions = async (jql) => jql): void {
  async function search(caller: Caller, input: { jql: unknown; fields?: string[]; maxResults?: unknown; nextPageToken?: unknown; reconcileIssues?: unknown }): Promise<ProductResponse> {
    if (typeof input.jql !== 'string') throw new HttpError(400, ['The JQL query is required.']);
    const jql = input.jql;
    const reconcileRaw = input.reconcileIssues ?? [];
    if (!Array.isArray(reconcileRaw) || !reconcileRaw.every((x) => Number.isInteger(Number(x)))) throw new HttpError(400, ['reconcileIssues must be a list of issue ids.']);
    if (reconcileRaw.length > RECONCILE_LIMIT) throw new HttpError(400, [`reconcileIssues accepts at most ${RECONCILE_LIMIT} issue ids.`]);
    const reconcile = new Set(reconcileRaw.map((x) => String(Number(x))));
    const fields = s.selectFields(input.fields, ['id']);
    const cap = fields.size === 0 ? PAGE_CAP_IDS : Math.max(1, Math.min(PAGE_CAP_FIELDS, Math.floor(FIELD_VALUES_PER_PAGE / fields.size)));
    let maxResults = 50;
    if (input.maxResults !== undefined && input.maxResults !== null) {
      const n = Number(input.maxResults);
      if (!Number.isInteger(n) || n < 0) throw new HttpError(400, ["The 'maxResults' parameter must be a non-negative integer."]);
      maxResults = n;
    }
    maxResults = Math.min(Math.max(maxResults, 1), cap);
    let offset = 0;
    if (typeof input.nextPageToken === 'string' && input.nextPageToken !== '') {
      offset = decodeToken(input.nextPageToken, jql);
    } else if (input.nextPageToken !== undefined && input.nextPageToken !== null && input.nextPageToken !== '') {
      throw new HttpError(400, ['Invalid nextPageToken.']);
    }
    // Yielding: a search over a big site must not hold the thread (the local server answers views meanwhile).
    const all = await s.matchingYielding(caller, await resolve(jql), reconcile);
    const page = all.slice(offset, offset + maxResults);
    const isLast = offset + page.length >= all.length;
    const body: Record<string, unknown> = { issues: page.map((r) => ({ id: r.id, key: r.key, self: `${BASE_URL}/rest/api/3/issue/${r.id}`, fields: s.renderFields(r, fields) })), isLast };
    if (!isLast) body.nextPageToken = Buffer.from(JSON.stringify({ o: offset + page.length, q: hash(jql) })).toString('base64url');
    return json(200, body);
  }

  function decodeToken(token: string, jql: string): number {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      if (isObject(parsed) && typeof parsed.o === 'number' && parsed.q === hash(jql)) return parsed.o;
    } catch {
      // fall through to Jira's answer for a token it did not issue
    }
    throw new HttpError(400, ['Invalid nextPageToken.']);
  }

  const searchGet: Handler = (ctx) =>
    search(ctx.caller, {
      jql: ctx.query.get('jql') ?? undefined,
      fields: ctx.query.getAll('fields').length ? ctx.query.getAll('fields') : undefined,
      maxResults: ctx.query.get('maxResults') ?? undefined,
      nextPageToken: ctx.query.get('nextPageToken') ?? undefined,
      reconcileIssues: ctx.query.getAll('reconcileIssues').flatMap((r) => r.split(',')).filter(Boolean),
    });
  route('GET', '/rest/api/3/search/jql', searchGet);
  route('POST', '/rest/api/3/search/jql', (ctx) => {
    const b = bodyObject(ctx);
    return search(ctx.caller, { jql: b.jql, fields: toStringList(b.fields, 'fields'), maxResults: b.maxResults, nextPageToken: b.nextPageToken, reconcileIssues: b.reconcileIssues });
  });
  route('POST', '/rest/api/3/search/approximate-count', async (ctx) => {
    const b = bodyObject(ctx);
    if (typeof b.jql !== 'string') throw new HttpError(400, ['The JQL query is required.']);
    return json(200, { count: (await s.matchingYielding(ctx.caller, await resolve(b.jql), new Set())).length });
  });
  const removed: Handler = () =>
    json(410, { errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'], errors: {} });
  route('GET', '/rest/api/3/search', removed);
  route('POST', '/rest/api/3/search', removed);
}
