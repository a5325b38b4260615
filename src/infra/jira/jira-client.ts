/**
 * The one way the app talks to Jira: `requestJira` with `route`, JSON in and out, retries for the failures
 * Jira asks us to retry (429 with a short `Retry-After`, 5xx), and a typed `AppError` for everything else. A
 * failed call never turns into an empty answer: callers either get Jira's JSON or an error.
 *
 * Jira's hourly points quota (docs/platform-facts.md): every answer says how much is left
 * (`Beta-RateLimit`). The client remembers it, holds back before the quota runs out (background work keeps a
 * reserve for people's page views), and turns a wait longer than the caller can sleep into a
 * `RateLimitedError` carrying the time to come back, instead of sleeping through a step's whole budget.
 */
import api, { type Route } from '@forge/api';
import { AppError, forgePlatformError, RateLimitedError } from '../../domain/errors';
import { BACKGROUND_QUOTA_RESERVE } from '../../domain/reconcile-run';
import type { Clock, JiraQuota } from '../../services/ports';

/** Who the request runs as. `user` is only valid inside a user-triggered resolver. */
export type Actor = 'app' | 'user';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff for 5xx, doubled each retry. */
  baseDelayMs: number;
  /** Total time the caller can afford to wait across retries (resolvers have 25 s in all). */
  budgetMs: number;
  /** Longest single wait the caller sleeps through; Jira asking for longer throws `RateLimitedError`. */
  maxWaitMs: number;
  /** Share of the hourly quota this caller leaves to others: it stops (or waits) when no more is left. */
  reserveShare: number;
}

// Page views may use the quota to its last point; background work leaves 5% of it for them.
export const RESOLVER_RETRY: RetryPolicy = { maxRetries: 4, baseDelayMs: 200, budgetMs: 8_000, maxWaitMs: 5_000, reserveShare: 0 };
export const BACKGROUND_RETRY: RetryPolicy = { maxRetries: 6, baseDelayMs: 500, budgetMs: 120_000, maxWaitMs: 60_000, reserveShare: BACKGROUND_QUOTA_RESERVE };

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

/** The hourly points quota as Jira last reported it. */
export type QuotaSnapshot = JiraQuota;

/** The most a request of the app costs: a search page of 100 issues with fields, plus the request. */
const MAX_POINTS_PER_REQUEST = 101;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(header: string | null, now: number): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

type Headers = { get(name: string): string | null };

/** `"tenant-app-quota";q=100000;w=3600` -> {q: 100000, w: 3600}: the numeric parameters of a structured header. */
function params(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of (header ?? '').matchAll(/;\s*([a-z]+)=(\d+)/g)) out[m[1] as string] = Number(m[2]);
  return out;
}

/** The quota from an answer's headers (beta names first, then the final standard names), if it has them. */
export function quotaFrom(headers: Headers, now: number, previous: QuotaSnapshot | undefined): QuotaSnapshot | undefined {
  const state = params(headers.get('beta-ratelimit') ?? headers.get('ratelimit'));
  if (state.r === undefined || state.t === undefined) return previous;
  const policy = params(headers.get('beta-ratelimit-policy') ?? headers.get('ratelimit-policy'));
  // Developers report that a 429 may come without the policy header: keep the last one seen.
  const limit = policy.q ?? previous?.limit;
  if (limit === undefined) return previous;
  return { limit, windowSeconds: policy.w ?? previous?.windowSeconds ?? 3600, remaining: state.r, resetAt: now + state.t * 1000 };
}

/**
 * What a Jira 4xx said, for the log: its `errorMessages` (Jira's own sentences) and the names of the fields in
 * `errors`, never their texts, which can quote what a person typed.
 */
export function describeJiraError(text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessages?: unknown; errors?: unknown };
    const messages = Array.isArray(body.errorMessages) ? body.errorMessages.filter((m): m is string => typeof m === 'string').slice(0, 3).map((m) => m.slice(0, 200)) : [];
    const fields = typeof body.errors === 'object' && body.errors !== null ? Object.keys(body.errors).slice(0, 10) : [];
    return `errorMessages=${JSON.stringify(messages)} errors=${JSON.stringify(fields)}`;
  } catch {
    return 'a body that is not JSON';
  }
}

export function createJiraClient(policy: RetryPolicy, clock: Clock) {
  const now = () => clock.now().getTime();
  let quota: QuotaSnapshot | undefined;

  /**
   * Holds back when what is left would not keep the reserve after one more request (Jira charges a request
   * after answering it, so a search page can take up to 101 points past the last check): sleeps to the reset
   * if that is short, else throws.
   */
  async function pace(): Promise<void> {
    if (!quota || now() >= quota.resetAt) return;
    const keep = policy.reserveShare > 0 ? quota.limit * policy.reserveShare + MAX_POINTS_PER_REQUEST : 0;
    if (quota.remaining > keep) return;
    const wait = quota.resetAt - now();
    if (wait > policy.maxWaitMs) throw new RateLimitedError(quota.resetAt, 'paced');
    await sleep(wait);
    quota = undefined;
  }

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
      await pace();
      let response: Awaited<ReturnType<typeof requester.requestJira>> | undefined;
      try {
        response = await requester.requestJira(path, init);
      } catch (error) {
        // Consent and proxy refusals are the platform's to handle (a consent screen); retrying cannot help.
        if (forgePlatformError(error) !== undefined) throw error;
        // A transport failure is as transient as a 503.
        response = undefined;
      }
      if (response) quota = quotaFrom(response.headers, now(), quota);
      const status = response?.status ?? 503;
      if (status === 429 || status >= 500) {
        const elapsed = now() - started;
        const asked = status === 429 ? retryAfterMs(response?.headers.get('Retry-After') ?? null, now()) : null;
        const wait = asked ?? (status === 429 ? policy.baseDelayMs * 2 ** attempt : policy.baseDelayMs * 2 ** attempt * (0.75 + Math.random() * 0.5));
        if (status === 429 && (wait > policy.maxWaitMs || attempt >= policy.maxRetries || elapsed + wait > policy.budgetMs)) {
          const reason = response?.headers.get('RateLimit-Reason') ?? response?.headers.get('X-RateLimit-Reason') ?? 'unknown';
          throw new RateLimitedError(now() + wait, reason);
        }
        if (attempt >= policy.maxRetries || elapsed + wait > policy.budgetMs) {
          throw new AppError('JIRA_UNAVAILABLE', 'Jira did not answer. Try again in a moment.');
        }
        await sleep(wait);
        continue;
      }
      if (response === undefined) throw errorFor(status);
      const accepted = (status >= 200 && status < 300) || (call.accept ?? []).includes(status);
      const text = status === 204 ? '' : await response.text();
      // Our own request was refused: say what Jira said (without user data), so it can be diagnosed.
      if (status >= 400 && status !== 404) console.warn(`jira answered ${status} to ${method} ${pathOf(path)}: ${describeJiraError(text)}`);
      if (!accepted) throw errorFor(status);
      if (text === '') return { status, json: null };
      try {
        return { status, json: JSON.parse(text) as unknown };
      } catch {
        throw new AppError('JIRA_UNAVAILABLE', 'Jira sent an answer the app could not read. Try again in a moment.');
      }
    }
  }
  return {
    request,
    /** The quota as Jira last reported it to this client (undefined before the first answer). */
    quota: (): QuotaSnapshot | undefined => (quota ? { ...quota } : undefined),
  };
}

/** The path of a route without its query (which can carry JQL or account ids). */
function pathOf(path: Route): string {
  return String(path.value ?? '').split('?')[0] ?? '';
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
