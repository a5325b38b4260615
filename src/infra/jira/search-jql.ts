/**
 * The one pager over `POST /rest/api/3/search/jql`: `nextPageToken` until `isLast`, pages of 100 (Jira's cap
 * when fields are asked for), and `reconcileIssues` so a just-changed issue is read as it is now.
 */
import { route } from '@forge/api';
import { AppError } from '../../domain/errors';
import type { JiraClient } from './jira-client';
import { type IssueDto, parseJira, searchPageSchema } from './jira-dto';

/** Jira caps search pages that carry fields at 100 issues. */
export const PAGE_WITH_FIELDS = 100;
/** Safety net against a pager that never ends (250k issues / 100 = 2,500 pages). */
const MAX_PAGES = 10_000;

export interface SearchOptions {
  reconcileIssues?: string[];
  /** Statuses the caller handles itself; the search then answers `null` instead of throwing. */
  accept?: number[];
  /** Told of every request sent (for request counts). */
  onRequest?: () => void;
  /** Sees the body of an answer with one of the `accept` statuses before the search answers `null` (may throw). */
  onRefused?: (json: unknown) => void;
}

/** One page; `null` when Jira answered one of `accept`. */
export async function searchPage(client: JiraClient, body: Record<string, unknown>, options: SearchOptions = {}) {
  options.onRequest?.();
  const answer = await client.request('app', route`/rest/api/3/search/jql`, { method: 'POST', body, accept: options.accept ?? [] });
  if (answer.status !== 200) {
    options.onRefused?.(answer.json);
    return null;
  }
  return parseJira(searchPageSchema, answer.json, 'search results');
}

/** Every page of a search; `null` when Jira answered one of `options.accept`. */
export async function searchAll(client: JiraClient, jql: string, fields: string[], options: SearchOptions = {}): Promise<IssueDto[] | null> {
  const out: IssueDto[] = [];
  let nextPageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const body: Record<string, unknown> = { jql, fields, maxResults: PAGE_WITH_FIELDS };
    if (nextPageToken !== undefined) body.nextPageToken = nextPageToken;
    const reconcile = options.reconcileIssues ?? [];
    if (reconcile.length > 0) body.reconcileIssues = reconcile.slice(0, 50).map(Number);
    const parsed = await searchPage(client, body, options);
    if (parsed === null) return null;
    out.push(...parsed.issues);
    if (parsed.isLast === true || !parsed.nextPageToken) return out;
    nextPageToken = parsed.nextPageToken;
  }
  throw new AppError('JIRA_UNAVAILABLE', 'Jira kept returning more search pages than the app can read.');
}
