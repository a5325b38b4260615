/**
 * The Jira Cloud site emulator: answers the REST endpoints the app calls, with Jira's semantics (paging,
 * permissions, error shapes, eventual consistency), and fires `avi:jira:*:issue` events for every change.
 * The site's state is `state.ts`; the routes are one file per group, on a small router.
 */
import type { JiraEmulator, ProductRequest, ProductResponse } from '../../types';
import { isRealDate, type Site } from '../site';
import { BASE_URL, clone, parseSiteInstant, type IssueRecord } from '../store';
import { appFieldRoutes } from './app-field';
import { HttpError, JSON_HEADERS, json, type AddRoute, type Caller, type Handler } from './http';
import { issueRoutes } from './issues';
import { AppJqlFunctions } from './jql-functions';
import { metaRoutes } from './meta';
import { permissionRoutes } from './permissions';
import { pointsFor, type PointsSpent } from './quota';
import { searchRoutes } from './search';
import { SiteState, type EmulatorOptions } from './state';
import { userRoutes } from './users';

export type { EmulatorOptions } from './state';
export { GlobalQuotaPool, type PointsSpent } from './quota';

/** Members beyond the shared interface, for tests and the shell. */
export interface JiraSiteEmulator extends JiraEmulator {
  /** The account id Jira gives the app's own user (events the app causes carry it as `atlassianId`). */
  readonly appAccountId: string;
  /** Let the search index catch up with every write (only matters while `faults.staleIndex` is on). */
  syncIndex(): void;
  /** Move an issue to another project (new key, same id), firing one update event as Jira does. */
  moveIssue(key: string, projectKey: string, actor: string): { key: string };
  /** A copy of an issue's current state with its REST fields (as `GET issue` with `*all`), or undefined. */
  issue(keyOrId: string): IssueSnapshot | undefined;
  /**
   * Delay chosen requests: `beforeMs` before Jira applies the request, `afterMs` between applying it and
   * answering (a write that lands at once but whose answer is slow). Returns a function that removes it.
   */
  delayWhen(choose: (req: { method: string; path: string; body: unknown }) => RequestDelay | undefined): () => void;
  /** Jira points charged since the start or the last `resetRequestLog`, in all and per endpoint (`METHOD /template`). */
  pointsSpent(): PointsSpent;
  /** Switch every quota limit and header on or off at run time (the site file's `quota.enabled`), e.g. to measure a baseline that could not run within the quota. */
  setQuotaEnabled(enabled: boolean): void;
}

/** Latency for one request, on either side of Jira applying it. */
export interface RequestDelay {
  beforeMs?: number;
  afterMs?: number;
}

/** An issue's stored state plus the fields REST would return for it. */
export type IssueSnapshot = IssueRecord & { fields: Record<string, unknown> };

/** Routes by method and path template (`{name}` matches one path segment). */
class Router {
  private readonly routes: Array<{ method: string; template: string; re: RegExp; handler: Handler }> = [];

  readonly add: AddRoute = (method, template, handler) => void this.routes.push({ method, template, re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`), handler });

  /** The route answering `method` on `path`, and the template the path matches under any method (for the request log). */
  find(method: string, path: string): { match?: { handler: Handler; params: string[] }; template?: string } {
    const candidates = this.routes.filter((r) => r.re.test(path));
    const route = candidates.find((r) => r.method === method);
    const params = route && (route.re.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
    return { match: route && params && { handler: route.handler, params }, template: (route ?? candidates[0])?.template };
  }
}

export function createJiraEmulator(site: Site, options: EmulatorOptions): JiraSiteEmulator {
  const s = new SiteState(site, options);
  const router = new Router();
  const jqlFunctions = new AppJqlFunctions(options);
  for (const group of [metaRoutes, userRoutes, issueRoutes, appFieldRoutes, permissionRoutes]) group(s, router.add);
  searchRoutes(s, router.add, (jql) => jqlFunctions.resolve(jql));
  jqlFunctions.routes(router.add);


  function resolveCaller(req: ProductRequest): Caller {
    if (req.as.kind === 'app') return { kind: 'app' };
    const accountId = req.as.accountId;
    const user = s.findUser(accountId);
    if (!user) throw new HttpError(401, ['Client must be authenticated to access this resource.']);
    return { kind: 'user', user };
  }

  let delays: Array<(req: { method: string; path: string; body: unknown }) => RequestDelay | undefined> = [];
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function handle(req: ProductRequest): Promise<ProductResponse> {
    let delay: RequestDelay | undefined;
    if (delays.length > 0) {
      let body: unknown;
      try {
        body = req.body ? JSON.parse(req.body) : undefined;
      } catch {
        body = undefined;
      }
      const seen = { method: req.method.toUpperCase(), path: req.path, body };
      for (const choose of delays) delay ??= choose(seen);
    }
    if (delay?.beforeMs) await sleep(delay.beforeMs);
    const response = await answer(req);
    if (delay?.afterMs) await sleep(delay.afterMs);
    return response;
  }

  async function answer(req: ProductRequest): Promise<ProductResponse> {
    const url = new URL(req.path, BASE_URL);
    const method = req.method.toUpperCase();
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const { match, template } = router.find(method, path);
    const logKey = `${method} ${template ?? path}`;
    s.log[logKey] = (s.log[logKey] ?? 0) + 1;
    const now = s.now();
    const refused = s.quota.admit({ endpoint: logKey, writesIssues: writtenIssues(method, template, match?.params ?? [], req.body) }, now);
    if (refused) return refused;
    const response = await routed(req, method, path, url, match, template);
    s.quota.charge(logKey, pointsFor(logKey, response), now);
    return { ...response, headers: { ...response.headers, ...s.quota.headers(now) } };
  }

  /** Ids of the existing issues a request writes, for the per-issue write limit. */
  function writtenIssues(method: string, template: string | undefined, params: string[], rawBody: string | undefined): string[] {
    if (template === '/rest/api/3/issue/{issueIdOrKey}' && (method === 'PUT' || method === 'DELETE')) {
      const rec = s.findIssue(params[0] ?? '');
      return rec ? [rec.id] : [];
    }
    if (template === '/rest/api/3/app/field/{fieldIdOrKey}/value' && method === 'PUT') {
      try {
        const body = JSON.parse(rawBody ?? '') as { updates?: Array<{ issueIds?: unknown[] }> };
        return [...new Set((body.updates ?? []).flatMap((u) => (u.issueIds ?? []).map(String)))];
      } catch {
        return [];
      }
    }
    return [];
  }

  async function routed(req: ProductRequest, method: string, path: string, url: URL, match: ReturnType<Router['find']>['match'], template: string | undefined): Promise<ProductResponse> {

    const fault = s.dice.roll(s.faults);
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    switch (fault.kind) {
      case '429':
        return json(429, { errorMessages: ['Rate limit exceeded.'], errors: {} }, { 'retry-after': String(fault.retryAfterSeconds), 'ratelimit-reason': 'jira-burst-based', 'x-ratelimit-reason': 'jira-burst-based' });
      case '5xx':
        return json(fault.status, { errorMessages: ['Internal server error (injected fault).'], errors: {} });
      case 'garbage':
        return { status: 200, headers: { ...JSON_HEADERS }, body: '<html><body>upstream connect error or disconnect/reset before headers' };
      case 'none':
        break;
    }

    try {
      if (template === undefined) throw new HttpError(404, [`No emulated endpoint for ${method} ${path}.`]);
      if (!match) throw new HttpError(405, [`Method ${method} is not allowed for ${path}.`]);
      const caller = resolveCaller(req);
      let body: unknown = undefined;
      if (req.body !== undefined && req.body !== '') {
        try {
          body = JSON.parse(req.body);
        } catch {
          throw new HttpError(400, ['Unexpected character in the request body: it is not valid JSON.']);
        }
      }
      return await match.handler({ caller, query: url.searchParams, body, params: match.params });
    } catch (e) {
      if (e instanceof HttpError) return json(e.status, { errorMessages: e.errorMessages, errors: e.errors }, e.headers);
      // An emulator bug answers 500 like Jira's own failures would, so a server in front of it keeps running;
      // the log keeps the stack for whoever debugs it.
      console.error(`jira emulator failed on ${method} ${path}`, e);
      return json(500, { errorMessages: [`Internal emulator error: ${(e as Error).message}`], errors: {} });
    }
  }


  function actorCaller(actor: string): Caller {
    if (actor === 'app' || actor === s.appAccountId) return { kind: 'app' };
    const user = s.findUser(actor);
    if (!user) throw new Error(`unknown actor "${actor}"`);
    return { kind: 'user', user };
  }

  function unwrap<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof HttpError) throw new Error(Object.entries(e.errors).map(([k, v]) => `${k}: ${v}`).concat(e.errorMessages).join('; '), { cause: e });
      throw e;
    }
  }

  const emulator: JiraSiteEmulator = {
    handle,
    delayWhen(choose) {
      delays.push(choose);
      return () => {
        delays = delays.filter((c) => c !== choose);
      };
    },
    requestLog: () => ({ ...s.log }),
    resetRequestLog: () => {
      s.log = {};
      s.quota.resetSpent();
    },
    pointsSpent: () => s.quota.spent(),
    setQuotaEnabled(enabled) {
      s.quota.settings.enabled = enabled;
    },
    faults: s.faults,
    onIssueEvent(listener) {
      s.listeners.add(listener);
      return () => s.listeners.delete(listener);
    },
    today: s.site.today,
    appFieldId: s.appFieldId,
    appAccountId: s.appAccountId,
    users: () => s.site.users.map((u) => ({ accountId: u.accountId, displayName: u.displayName, admin: u.admin })),
    epics: () =>
      [...s.records.values()]
        .filter((r) => s.cat.issueType(r.type)?.hierarchyLevel === 1)
        .map((r) => ({ key: r.key, summary: r.summary, projectKey: r.projectKey })),
    createIssue(input, actor) {
      return unwrap(() => {
        if (input.created && !isRealDate(input.created)) throw new HttpError(400, [], { created: `not a real ISO date: ${input.created}` });
        const rec = s.insertIssue(input, actorCaller(actor));
        return { id: rec.id, key: rec.key };
      });
    },
    updateIssue(key, patch, actor) {
      unwrap(() => {
        const rec = s.findIssue(key);
        if (!rec) throw new HttpError(404, [`Issue ${key} not found.`]);
        const change: Partial<IssueRecord> = {};
        if (patch.summary !== undefined) change.summary = patch.summary;
        if (patch.type !== undefined) {
          const t = s.cat.issueType(patch.type);
          if (!t) throw new HttpError(400, [], { type: `unknown issue type "${patch.type}"` });
          change.type = t.name;
        }
        if (patch.status !== undefined) {
          const status = s.cat.status(patch.status);
          if (!status) throw new HttpError(400, [], { status: `unknown status "${patch.status}"` });
          change.status = status.name;
        }
        if (patch.parent !== undefined) {
          Object.assign(change, s.fieldChanges({ parent: patch.parent === null ? null : { key: patch.parent } }, { ...rec, type: change.type ?? rec.type }, { kind: 'app' }));
        }
        if (patch.points !== undefined) change.points = patch.points;
        if (patch.originalEstimate !== undefined) change.originalEstimate = patch.originalEstimate;
        if (patch.security !== undefined) change.security = patch.security === null ? null : s.levelName(rec.projectKey, patch.security);
        if (patch.destination !== undefined) change.appValue = patch.destination === null ? null : s.cat.destinationValue(patch.destination);
        if (patch.created !== undefined) change.created = parseSiteInstant(patch.created);
        if (patch.resolved !== undefined) change.resolved = patch.resolved === null ? null : parseSiteInstant(patch.resolved);
        s.applyUpdate(rec, change, actorCaller(actor));
      });
    },
    deleteIssue(key, actor) {
      unwrap(() => {
        const rec = s.findIssue(key);
        if (!rec) throw new HttpError(404, [`Issue ${key} not found.`]);
        s.removeIssue(rec, actorCaller(actor), true);
      });
    },
    connectJqlFunctions: (host) => jqlFunctions.connect(host),
    syncIndex() {
      s.catchUpIndex(true);
    },
    moveIssue(key, projectKey, actor) {
      return unwrap(() => {
        const rec = s.findIssue(key);
        if (!rec) throw new HttpError(404, [`Issue ${key} not found.`]);
        s.moveIssue(rec, projectKey, actorCaller(actor));
        return { key: rec.key };
      });
    },
    issue(keyOrId) {
      const rec = s.findIssue(keyOrId);
      return rec ? { ...clone(rec), fields: s.renderFields(rec, new Set(s.ALL_FIELDS)) } : undefined;
    },
  };
  return emulator;
}
