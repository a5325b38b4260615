/**
 * Interfaces between the parts of the local Forge platform: the Jira site emulator (`local/jira`), the KVS
 * emulator and runtime seams (`local/platform`), and the HTTP server and shell (`local/server`).
 * Nothing in `src/` or `static/` imports this: production code only sees Forge's own seams.
 */

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Who a product request runs as: the app itself (`asApp`) or a named user (`asUser`, browser). */
export type Principal = { kind: 'app' } | { kind: 'user'; accountId: string };

/** A request to the Jira REST API, as it arrives through `__forge_fetch__` or the browser bridge. */
export interface ProductRequest {
  method: string;
  /** Path with query string, e.g. `/rest/api/3/field?x=1`. */
  path: string;
  headers: Record<string, string>;
  /** Raw request body (JSON text) or undefined. */
  body?: string;
  as: Principal;
}

export interface ProductResponse {
  status: number;
  headers: Record<string, string>;
  /** Raw response body (JSON text), or null for 204. */
  body: string | null;
}

/** An `avi:jira:*:issue` event as Forge delivers it to a trigger. */
export interface IssueEvent {
  eventType: 'avi:jira:created:issue' | 'avi:jira:updated:issue' | 'avi:jira:deleted:issue';
  issue: { id: string; key: string; fields: Record<string, unknown> };
  changelog?: { items: Array<{ field: string; fieldtype?: string; fieldId?: string; from: string | null; fromString: string | null; to: string | null; toString: string | null }> };
  /** Account id of the user who made the change; for changes made by the app, `appAccountId`. */
  atlassianId?: string;
  /** True when the change was made by the app itself (a trigger with `ignoreSelf` skips these). */
  selfGenerated: boolean;
}

/** Fault and latency knobs of the Jira emulator. All rates are 0..1; randomness is seeded. */
export interface FaultKnobs {
  /** Added latency per request, in ms. */
  latencyMs: number;
  /** Extra random latency spike: with this probability add `spikeMs`. */
  spikeRate: number;
  spikeMs: number;
  /** Share of requests answered 429 with `Retry-After: retryAfterSeconds`. */
  rate429: number;
  retryAfterSeconds: number;
  /** Share of requests answered 500/502/503. */
  rate5xx: number;
  /** Share of requests answered 200 with a body that is not JSON. */
  rateGarbage: number;
  /** When true (the default, as in Jira), writes stay invisible to `/search/jql` until the index catches up
   *  (`indexLagMs` later on the emulator's write clock, or `syncIndex()`), unless the request names the
   *  changed issue ids in `reconcileIssues` (Jira's eventual consistency). */
  staleIndex: boolean;
  /** Lag of the search index on the emulator's write clock (ms; each write moves the clock 1 s). Default 60 s. */
  indexLagMs?: number;
  seed: number;
}

export interface JiraEmulator {
  /** Answer one REST request with Jira's semantics. */
  handle(req: ProductRequest): Promise<ProductResponse>;
  /** Count of requests per endpoint, e.g. `{'POST /rest/api/3/search/jql': 12}` (path templated). */
  requestLog(): Record<string, number>;
  resetRequestLog(): void;
  faults: FaultKnobs;
  /** Subscribe to issue events; returns an unsubscribe function. */
  onIssueEvent(listener: (event: IssueEvent) => void): () => void;
  /** The emulated calendar date (site file `today`), `YYYY-MM-DD`. */
  today: string;
  /** The app's custom field id on this site, e.g. `customfield_10100`. */
  appFieldId: string;
  /** Site users, for the shell's user switcher. */
  users(): Array<{ accountId: string; displayName: string; admin: boolean }>;
  /** Epics (key, summary, project) the shell's epic picker can offer. */
  epics(): Array<{ key: string; summary: string; projectKey: string }>;
  /** Direct mutations for tests and the shell (each fires the matching event, as made by `actor`). */
  createIssue(input: SiteIssueInput, actor: string): { id: string; key: string };
  updateIssue(key: string, patch: Partial<Omit<SiteIssueInput, 'key' | 'project'>>, actor: string): void;
  deleteIssue(key: string, actor: string): void;
  /** Plug in the app's `jira:jqlFunction` modules (the local platform does); returns a function that unplugs them. */
  connectJqlFunctions?(host: AppJqlFunctionHost): () => void;
}

/** One `jira:jqlFunction` module of the manifest. */
export interface AppJqlFunction {
  /** Module key. */
  key: string;
  /** The name JQL calls it by. */
  name: string;
  types: string[];
  operators: string[];
  arguments: Array<{ name: string; required: boolean }>;
}

/** How Jira reaches the app's JQL functions: the modules, and a call of one (as the app, like Forge). */
export interface AppJqlFunctionHost {
  functions: AppJqlFunction[];
  evaluate(moduleKey: string, payload: unknown): Promise<unknown>;
}

/** One issue as a site file (or a test) describes it. */
export interface SiteIssueInput {
  key?: string;
  /** Defaults to the prefix of `key`. */
  project?: string;
  type: string;
  summary: string;
  status: string;
  parent?: string | null;
  points?: number | null;
  /** Original estimate in seconds. */
  originalEstimate?: number | null;
  /** Id of a destination; the emulator stores `{id, name}` in the app's field. */
  destination?: string | null;
  /** Name of a security level of the issue's project; null = none. */
  security?: string | null;
  created?: string;
  resolved?: string | null;
}
