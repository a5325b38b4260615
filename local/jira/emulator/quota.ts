/**
 * Jira Cloud's rate limits for apps, as three independent checks (see docs/platform-facts.md, "Points quota"):
 * - the hourly points quota: every request costs 1 point plus 1 per object it returns (writes: 1 point),
 *   counted against the app's tier-1 pool (shared by every site the app is installed on) or its tier-2 pool
 *   (one per site). Past it, 429 `jira-quota-*-based` with a `Retry-After` up to the end of the hour;
 * - a burst limit per endpoint and method, per second (`jira-burst-based`);
 * - a per-issue write limit over short sliding windows (`jira-per-issue-on-write`).
 * Every answer carries the quota headers Jira sends (`Beta-RateLimit-Policy`, `Beta-RateLimit`), so an app can
 * pace itself. Time comes from the emulator's clock, so tests can move past the hour.
 */
import type { ProductResponse } from '../../types';
import type { SiteQuota } from '../site';
import { countedObjects, json, objectsIn } from './http';

const HOUR_MS = 3_600_000;

/**
 * The tier-1 pool: one budget for every site the app is installed on. Emulators of several sites share one
 * by passing the same pool (`EmulatorOptions.globalPool`); a site without one gets a pool of its own.
 */
export class GlobalQuotaPool {
  private window = -1;
  private used = 0;
  constructor(readonly pointsPerHour: number) {}

  spent(now: number): number {
    this.roll(now);
    return this.used;
  }

  charge(points: number, now: number): void {
    this.roll(now);
    this.used += points;
  }

  private roll(now: number): void {
    const window = Math.floor(now / HOUR_MS);
    if (window !== this.window) {
      this.window = window;
      this.used = 0;
    }
  }
}

/** One request as the limits see it. */
export interface QuotaRequest {
  /** `METHOD /template`, the request log's key. */
  endpoint: string;
  /** Ids of the issues the request writes (empty for reads and for writes that touch no existing issue). */
  writesIssues: string[];
}

export interface PointsSpent {
  total: number;
  byEndpoint: Record<string, number>;
}

/** The limits of one site: its pool (tier 2) or its share of the app's pool (tier 1), bursts, issue writes. */
export class QuotaLimiter {
  private readonly pool: GlobalQuotaPool;
  private readonly policyName: string;
  private readonly reason: string;
  private burstSecond = -1;
  private readonly burstCounts = new Map<string, number>();
  private readonly issueWrites = new Map<string, number[]>();
  private spentBy: Record<string, number> = {};

  constructor(
    readonly settings: SiteQuota,
    globalPool: GlobalQuotaPool | undefined,
  ) {
    if (settings.tier === 'global') {
      this.pool = globalPool ?? new GlobalQuotaPool(settings.pointsPerHour);
      this.policyName = 'global-app-quota';
      this.reason = 'jira-quota-global-based';
    } else {
      this.pool = new GlobalQuotaPool(settings.pointsPerHour);
      this.policyName = 'tenant-app-quota';
      this.reason = 'jira-quota-tenant-based';
    }
  }

  private get limit(): number {
    return this.pool.pointsPerHour;
  }

  /** Seconds until the hourly window ends (at least 1). */
  private secondsToReset(now: number): number {
    return Math.max(1, Math.ceil((HOUR_MS - (now % HOUR_MS)) / 1000));
  }

  /** A 429 for the first limit the request breaks, or undefined when it may go ahead. */
  admit(req: QuotaRequest, now: number): ProductResponse | undefined {
    if (!this.settings.enabled) return undefined;
    const remaining = this.limit - this.pool.spent(now);
    if (remaining <= 0) {
      const retryAfter = this.secondsToReset(now);
      return this.refuse(this.reason, retryAfter, now, 'The app has used its hourly points quota on this site.');
    }
    const second = Math.floor(now / 1000);
    if (second !== this.burstSecond) {
      this.burstSecond = second;
      this.burstCounts.clear();
    }
    const burst = this.burstCounts.get(req.endpoint) ?? 0;
    if (burst >= this.settings.burstPerSecond) return this.refuse('jira-burst-based', 1, now, 'Too many requests to this endpoint.');
    for (const issueId of req.writesIssues) {
      const times = (this.issueWrites.get(issueId) ?? []).filter((t) => now - t < this.longestWriteWindowMs());
      this.issueWrites.set(issueId, times);
      for (const window of this.settings.issueWrites) {
        const inWindow = times.filter((t) => now - t < window.seconds * 1000);
        if (inWindow.length >= window.count) {
          const oldest = inWindow[0] as number;
          const retryAfter = Math.max(1, Math.ceil((oldest + window.seconds * 1000 - now) / 1000));
          return this.refuse('jira-per-issue-on-write', retryAfter, now, 'Too many writes to this issue.');
        }
      }
    }
    this.burstCounts.set(req.endpoint, burst + 1);
    for (const issueId of req.writesIssues) this.issueWrites.get(issueId)?.push(now);
    return undefined;
  }

  /** Charge an answered request: 1 point, plus 1 per object a read returns. Returns the points. */
  charge(endpoint: string, points: number, now: number): number {
    if (!this.settings.enabled) return 0;
    this.pool.charge(points, now);
    this.spentBy[endpoint] = (this.spentBy[endpoint] ?? 0) + points;
    return points;
  }

  /** The quota headers Jira puts on every answer to an app. */
  headers(now: number): Record<string, string> {
    if (!this.settings.enabled) return {};
    const remaining = Math.max(0, this.limit - this.pool.spent(now));
    const out: Record<string, string> = {
      'beta-ratelimit-policy': `"${this.policyName}";q=${this.limit};w=3600`,
      'beta-ratelimit': `"${this.policyName}";r=${remaining};t=${this.secondsToReset(now)}`,
    };
    // Developers report the near-limit flag once less than 20% of the budget is left.
    if (remaining < this.limit * 0.2) out['x-beta-ratelimit-nearlimit'] = 'true';
    return out;
  }

  spent(): PointsSpent {
    const byEndpoint = { ...this.spentBy };
    return { total: Object.values(byEndpoint).reduce((a, b) => a + b, 0), byEndpoint };
  }

  resetSpent(): void {
    this.spentBy = {};
  }

  private longestWriteWindowMs(): number {
    return Math.max(0, ...this.settings.issueWrites.map((w) => w.seconds * 1000));
  }

  private refuse(reason: string, retryAfterSeconds: number, now: number, message: string): ProductResponse {
    const reset = new Date(now + retryAfterSeconds * 1000).toISOString().slice(0, 16) + 'Z';
    return json(429, { errorMessages: [`Rate limit exceeded. ${message}`], errors: {} }, {
      ...this.headers(now),
      'retry-after': String(retryAfterSeconds),
      'ratelimit-reason': reason,
      'x-beta-ratelimit-reason': reason,
      'x-ratelimit-reset': reset,
    });
  }
}

/** POSTs that read (they cost objects like a GET); every other POST, PUT and DELETE is a write. */
const READ_POSTS = new Set(['POST /rest/api/3/search/jql', 'POST /rest/api/3/search/approximate-count', 'POST /rest/api/3/permissions/check', 'POST /rest/api/3/jql/parse']);

/** Objects a read returned: issues of a search page, values of a paged list, items of a list, else one. */
export function objectsReturned(body: string | null): number {
  if (body === null || body === '') return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 0;
  }
  return objectsIn(parsed);
}

/** Points for an answered request: writes cost the base point; reads 1 + objects returned (errors: 1). */
export function pointsFor(endpoint: string, response: ProductResponse): number {
  const method = endpoint.slice(0, endpoint.indexOf(' '));
  const isRead = method === 'GET' || READ_POSTS.has(endpoint);
  if (!isRead || response.status < 200 || response.status >= 300) return 1;
  // An answer `json()` built was counted then; any other (an injected fault's body) is read here.
  return 1 + (countedObjects(response) ?? objectsReturned(response.body));
}
