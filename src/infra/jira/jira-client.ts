/**
 * The one way the app talks to Jira: `requestJira` with `route`, JSON in and out, retries for the failures
 * Jira asks us to retry (429 with `Retry-After`, 5xx), and a typed `AppError` for everything else. A failed
 * call never turns into an empty answer: callers either get Jira's JSON or an error.
 */
import api, { type Route } from '@forge/api';
import { AppError } from '../../domain/errors';
import type { Clock } from '../../services/ports';

/** Who the request runs as. `user` is only valid inside a user-triggered resolver. */
export type Actor = 'app' | 'user';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff for 5xx, doubled each retry. */
  baseDelayMs: number;
  /** Total time the caller can afford to wait across retries (resolvers have 25 s in all). */
  budgetMs: number;
}

export const RESOLVER_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 200, budgetMs: 8_000 };
export const BACKGROUND_RETRY: RetryPolicy = { maxRetries: 6, baseDelayMs: 500, budgetMs: 120_000 };

export interface JiraCall {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Status codes the caller handles itself (e.g. 404 for "not visible"); returned instead of thrown. */
  accept?: number[];
}

export interface JiraAnswer {
  status: number;
  /** Parsed JSON body, or null for an empty body. */
  json: unknown;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function createJiraClient(policy: RetryPolicy, clock: Clock) {
  const now = () => clock.now().getTime();
  async function request(actor: Actor, path: Route, call: JiraCall = {}): Promise<JiraAnswer> {
    const requester = actor === 'app' ? api.asApp() : api.asUser();
    const method = call.method ?? 'GET';
    const init: { method: string; headers: Record<string, string>; body?: string } = {
      method,
      headers: { Accept: 'application/json' },
    };
    if (call.body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(call.body);
    }
    const started = now();
    for (let attempt = 0; ; attempt++) {
      let response: Awaited<ReturnType<typeof requester.requestJira>> | undefined;
      try {
        response = await requester.requestJira(path, init);
      } catch {
        // A transport or proxy failure is as transient as a 503.
        response = undefined;
      }
      const status = response?.status ?? 503;
      if (status === 429 || status >= 500) {
        const elapsed = now() - started;
        const wait =
          status === 429
            ? (retryAfterMs(response?.headers.get('Retry-After') ?? null, now()) ?? policy.baseDelayMs * 2 ** attempt)
            : policy.baseDelayMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
        if (attempt >= policy.maxRetries || elapsed + wait > policy.budgetMs) {
          throw status === 429
            ? new AppError('RATE_LIMITED', 'Jira is limiting requests right now. Try again in a minute.')
            : new AppError('JIRA_UNAVAILABLE', 'Jira did not answer. Try again in a moment.');
        }
        await sleep(wait);
        continue;
      }
      const accepted = (status >= 200 && status < 300) || (call.accept ?? []).includes(status);
      if (!accepted || response === undefined) throw errorFor(status);
      const text = status === 204 ? '' : await response.text();
      if (text === '') return { status, json: null };
      try {
        return { status, json: JSON.parse(text) as unknown };
      } catch {
        throw new AppError('JIRA_UNAVAILABLE', 'Jira sent an answer the app could not read. Try again in a moment.');
      }
    }
  }
  return { request };
}

export type JiraClient = ReturnType<typeof createJiraClient>;

function errorFor(status: number): AppError {
  switch (status) {
    case 400:
      // Our own request was wrong: a bug, not the user's fault. Jira's body is not passed on.
      return new AppError('INTERNAL', 'Jira refused a request from the app. Please report this to your Jira administrator.');
    case 401:
    case 403:
      return new AppError('FORBIDDEN', 'You do not have permission to do this in Jira.');
    case 404:
      return new AppError('NOT_FOUND', 'The issue does not exist or you do not have permission to see it.');
    case 409:
      return new AppError('CONFLICT', 'Jira reported a conflicting change. Reload and try again.');
    default:
      return new AppError('JIRA_UNAVAILABLE', `Jira answered with an unexpected status (${status}). Try again in a moment.`);
  }
}
