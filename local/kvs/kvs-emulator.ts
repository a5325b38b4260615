/**
 * In-memory Forge KVS and Custom Entity Store, answering the wire API that `@forge/kvs` 1.6 sends through
 * `__forge_fetch__({type:'kvs'}, path, {method:'POST', body})`. Read `node_modules/@forge/kvs/out/storage-api.js`
 * for the request and response shapes this mirrors.
 *
 * Values are kept as JSON text, so a caller can never mutate the store through an object it passed in or got
 * back. Limits and error codes follow Forge's documentation ("Error handling for the Key-Value Store",
 * "KVS and Custom Entity Store limits"); where the documentation names no code, the code used here is marked
 * *unverified* next to it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { LocalError } from '../errors';
import { isRecord } from '../types';

/** What one wire call answers: a status and a JSON body (null when the SDK expects no body). */
export interface KvsWireResponse {
  status: number;
  body: string | null;
}

export interface KvsFault {
  /** Forge error code the SDK will surface as `ForgeKvsAPIError.code`. */
  code: string;
  /** HTTP status; default 500. */
  status?: number;
  message?: string;
}

/** One wire call, as fault predicates see it. `body` is the parsed JSON request. */
export interface KvsWireCall {
  /** e.g. `/api/v1/set`. */
  path: string;
  body: unknown;
  /** 1-based sequence number of this call since the emulator was created (or stats were reset). */
  seq: number;
}

export type KvsFaultPredicate = (call: KvsWireCall) => KvsFault | undefined | null | false;

export interface KvsStats {
  /** Every wire call (what a benchmark calls "storage calls"), including failed ones. */
  total: number;
  /** Per wire path, e.g. `{'/api/v1/get': 3}`. */
  byPath: Record<string, number>;
  /** UTF-8 bytes of the answers to reads (what read units are counted on). */
  bytesRead: number;
  /** UTF-8 bytes of the requests of writes (what write units are counted on). */
  bytesWritten: number;
  /** Units charged, as Forge counts them: one per started 10 KB of a request (at least one). */
  readUnits: number;
  writeUnits: number;
  /** Calls refused with 429 `RATE_LIMIT_EXCEEDED`. */
  rateLimited: number;
}

/** A custom entity definition, as the manifest's `app.storage.entities` declares it. */
export interface EntityDefinition {
  name: string;
  attributes: Record<string, { type: string }>;
  indexes?: Array<string | { name: string; range: string; partition?: string[] }>;
}

interface StoredItem {
  /** JSON text of the value: parsing on every read is the deep copy. */
  json: string;
  createdAt: number;
  updatedAt: number;
  /** Epoch ms; absent = no TTL. */
  expiresAt?: number;
}

interface NormalisedIndex {
  name: string;
  range: string;
  partition: string[];
}

/** Serialisable content of the store, for `snapshot()` / `restore()`. */
export interface KvsSnapshot {
  version: 1;
  plain: Record<string, StoredItem>;
  secret: Record<string, StoredItem>;
  entities: Record<string, Record<string, StoredItem>>;
}

/**
 * Forge limits this emulator enforces (sources in docs/platform-facts.md, "Forge limits in the local
 * platform"). Every size is in UTF-8 bytes, as Forge measures: a CJK character is 3 bytes.
 */
export const KVS_LIMITS = {
  /** Forge says "500 characters"; keys are ASCII by their pattern except `\s`, which admits Unicode spaces:
   *  counting bytes is the strict reading. */
  maxKeyBytes: 500,
  /** 240 KiB of JSON ("in RAW"). */
  maxValueBytes: 240 * 1024,
  /** The limits page says 31, the error table "(32)": the stricter one. */
  maxDepth: 31,
  maxOpsPerTransaction: 25,
  /** "Each transaction is limited to a payload size of 4MB"; MB read as 10^6 bytes (the strict reading). */
  maxTransactionBytes: 4_000_000,
  maxItemsPerBatch: 25,
  /** "A single kvs.batchSet operation can be a payload of 4MB, similar to transactions." */
  maxBatchBytes: 4_000_000,
  maxQueryLimit: 100,
  /** Conditions in one custom entity query (range + filters). */
  maxQueryConditions: 100,
  /** A read or write unit is a request of up to 10 KB; KB read as 1,000 bytes (the strict reading). */
  unitBytes: 10_000,
  /** Forge documents no default page size for `getMany()` without `limit`; 10 is what the service is
   *  commonly reported to use. *unverified* */
  defaultQueryLimit: 10,
} as const;

/** Allowed key characters, from Forge's KVS error table (`INVALID_KEY`). The documented class `\s-#`
 *  is a literal hyphen in JavaScript, so it is spelt `#-` here. */
const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s#-]+$/;

/**
 * Operation limits per installation ("KVS and Custom Entity Store limits", Dec 2025): past any of them a call
 * answers 429 `RATE_LIMIT_EXCEEDED`. Windows slide (never laxer than Forge's fixed windows, whatever their
 * alignment) and run on the platform's clock, so a retry that waits a minute of Forge time finds them refilled.
 */
export interface KvsRateLimits {
  requestsPerSecond: number;
  readUnitsPerMinute: number;
  writeUnitsPerMinute: number;
}

export const KVS_RATE_LIMITS: KvsRateLimits = { requestsPerSecond: 1000, readUnitsPerMinute: 4000, writeUnitsPerMinute: 4000 };

const READ_PATHS = new Set(['/api/v1/get', '/api/v1/query', '/api/v1/secret/get', '/api/v1/entity/get', '/api/v1/entity/query', '/api/v1/batch/get']);
const WRITE_PATHS = new Set([
  '/api/v1/set',
  '/api/v1/delete',
  '/api/v1/secret/set',
  '/api/v1/secret/delete',
  '/api/v1/entity/set',
  '/api/v1/entity/delete',
  '/api/v1/batch/set',
  '/api/v1/batch/delete',
  '/api/v1/transaction',
]);
/** Paths whose whole request is capped in bytes (batches and transactions). */
const PAYLOAD_CAPS: Record<string, number> = {
  '/api/v1/batch/set': KVS_LIMITS.maxBatchBytes,
  '/api/v1/batch/get': KVS_LIMITS.maxBatchBytes,
  '/api/v1/batch/delete': KVS_LIMITS.maxBatchBytes,
  '/api/v1/transaction': KVS_LIMITS.maxTransactionBytes,
};

/** Units of a request of `bytes`: one per started 10 KB, at least one. */
export function unitsFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / KVS_LIMITS.unitBytes));
}

/** Amounts charged in the last `spanMs` of a clock. */
class SlidingWindow {
  private entries: Array<{ at: number; n: number }> = [];
  private head = 0;
  private sum = 0;

  constructor(private readonly spanMs: number) {}

  used(now: number): number {
    while (this.head < this.entries.length && (this.entries[this.head] as { at: number }).at <= now - this.spanMs) {
      this.sum -= (this.entries[this.head] as { n: number }).n;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return this.sum;
  }

  add(now: number, n: number): void {
    this.entries.push({ at: now, n });
    this.sum += n;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.sum = 0;
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, unknown>;

function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + value.reduce<number>((m, v) => Math.max(m, depthOf(v)), 0);
  if (isRecord(value)) return 1 + Object.values(value).reduce<number>((m, v) => Math.max(m, depthOf(v)), 0);
  return 0;
}

function validateKey(key: unknown): string {
  if (typeof key !== 'string' || key.length === 0) throw new LocalError(400, 'KEY_TOO_SHORT', 'The provided key needs to be more than one character.');
  if (Buffer.byteLength(key) > KVS_LIMITS.maxKeyBytes) throw new LocalError(400, 'KEY_TOO_LONG', `The provided key has exceeded the maximum ${KVS_LIMITS.maxKeyBytes} characters.`);
  if (!KEY_PATTERN.test(key)) throw new LocalError(400, 'INVALID_KEY', 'The provided key does not match the regex: /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/');
  return key;
}

function encodeValue(value: unknown): string {
  if (value === undefined) throw new LocalError(400, 'BAD_REQUEST', 'Provided request body is invalid: value is missing');
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json);
  if (bytes > KVS_LIMITS.maxValueBytes) throw new LocalError(400, 'MAX_SIZE', `The provided value has exceeded the maximum size limit (${bytes} bytes; at most ${KVS_LIMITS.maxValueBytes}).`);
  if (depthOf(value) > KVS_LIMITS.maxDepth) throw new LocalError(400, 'MAX_DEPTH', `The provided value has exceeded the maximum object depth (${KVS_LIMITS.maxDepth}) limit.`);
  return json;
}

const TTL_UNIT_MS: Record<string, number> = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

function ttlExpiry(options: unknown, now: number): number | undefined {
  if (!isRecord(options) || !isRecord(options.ttl)) return undefined;
  const unit = TTL_UNIT_MS[String(options.ttl.unit)];
  const value = options.ttl.value;
  if (unit === undefined || typeof value !== 'number' || value <= 0) throw new LocalError(400, 'BAD_REQUEST', 'Provided request body is invalid: ttl');
  return now + value * unit;
}

/** A cursor carries the sort position of the last item returned, so paging stays correct when items are
 *  added or deleted between pages. */
function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: unknown): unknown[] | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(String(cursor), 'base64url').toString('utf8'));
    if (Array.isArray(parsed)) return parsed;
  } catch {
    // fall through to the error below: a cursor we did not issue
  }
  throw new LocalError(400, 'INVALID_CURSOR', 'The provided cursor is invalid.'); // code *unverified*
}

function compareTuples(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const c = compareScalars(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

function compareScalars(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

interface Clause {
  property?: string;
  condition: string;
  values: unknown[];
}

function matchClause(actual: unknown, clause: Clause): boolean {
  const [v0, v1] = clause.values;
  switch (clause.condition) {
    case 'EXISTS':
      return actual !== undefined;
    case 'NOT_EXISTS':
      return actual === undefined;
    case 'EQUAL_TO':
      return actual === v0;
    case 'NOT_EQUAL_TO':
      return actual !== v0;
    case 'BEGINS_WITH':
      return actual !== undefined && String(actual).startsWith(String(v0));
    case 'CONTAINS':
      return Array.isArray(actual) ? actual.includes(v0) : typeof actual === 'string' && actual.includes(String(v0));
    case 'NOT_CONTAINS':
      return Array.isArray(actual) ? !actual.includes(v0) : typeof actual === 'string' && !actual.includes(String(v0));
    case 'GREATER_THAN':
      return actual !== undefined && compareScalars(actual, v0) > 0;
    case 'GREATER_THAN_EQUAL_TO':
      return actual !== undefined && compareScalars(actual, v0) >= 0;
    case 'LESS_THAN':
      return actual !== undefined && compareScalars(actual, v0) < 0;
    case 'LESS_THAN_EQUAL_TO':
      return actual !== undefined && compareScalars(actual, v0) <= 0;
    case 'BETWEEN':
      return actual !== undefined && compareScalars(actual, v0) >= 0 && compareScalars(actual, v1) <= 0;
    default:
      throw new LocalError(400, 'INVALID_FILTER_CONDITION', `The specified condition is not supported for filters: ${clause.condition}`);
  }
}

/** `{and:[...]}` / `{or:[...]}` against an object value (a missing value has no properties). */
function matchFilters(value: unknown, filters: unknown): boolean {
  if (filters === undefined || filters === null) return true;
  if (!isRecord(filters)) throw new LocalError(400, 'BAD_REQUEST', 'Provided request body is invalid: conditions');
  const props = isRecord(value) ? value : {};
  const and = Array.isArray(filters.and) ? (filters.and as Clause[]) : undefined;
  const or = Array.isArray(filters.or) ? (filters.or as Clause[]) : undefined;
  if (and) return and.every((c) => matchClause(props[String(c.property)], c));
  if (or) return or.some((c) => matchClause(props[String(c.property)], c));
  return true;
}

/** A thrown failure as the wire answers it: `{code, message}` and the status. */
function errorAnswer(e: unknown): KvsWireResponse {
  if (e instanceof LocalError) return { status: e.status, body: JSON.stringify({ code: e.code, message: e.message }) };
  const message = e instanceof Error ? e.message : String(e);
  return { status: 500, body: JSON.stringify({ code: 'INTERNAL_SERVER_ERROR', message: `KVS emulator bug: ${message}` }) };
}

function ok(body: unknown): KvsWireResponse {
  return { status: 200, body: JSON.stringify(body) };
}

const NO_CONTENT: KvsWireResponse = { status: 204, body: null };

export interface KvsEmulatorOptions {
  entities?: EntityDefinition[];
  /** Clock for createdAt/updatedAt/TTL; defaults to `Date.now` as installed at call time (so the site clock applies). */
  now?: () => number;
  /** Monotonic clock (ms of Forge time) for the per-minute and per-second limits; default the real
   *  `performance.now()`. The local platform passes its own clock (`useClock`). */
  clock?: () => number;
  /** Operation limits per installation; default Forge's (`KVS_RATE_LIMITS`). */
  rateLimits?: Partial<KvsRateLimits>;
}

function emptyStats(): KvsStats {
  return { total: 0, byPath: {}, bytesRead: 0, bytesWritten: 0, readUnits: 0, writeUnits: 0, rateLimited: 0 };
}

export class KvsEmulator {
  private plain = new Map<string, StoredItem>();
  private secret = new Map<string, StoredItem>();
  private entityStores = new Map<string, Map<string, StoredItem>>();
  private entityDefs = new Map<string, { def: EntityDefinition; indexes: Map<string, NormalisedIndex> }>();
  private counts: KvsStats = emptyStats();
  private pendingFaults: Array<{ remaining: number; fault: KvsFault }> = [];
  private predicates: KvsFaultPredicate[] = [];
  private readonly now: () => number;
  private clock: () => number;
  readonly rateLimits: KvsRateLimits;
  private requestWindow = new SlidingWindow(1000);
  private readWindow = new SlidingWindow(60_000);
  private writeWindow = new SlidingWindow(60_000);
  /**
   * Network latency of each wire call, in ms: half before the call is applied, half before it answers (the
   * runtime seam waits it out), so concurrent callers interleave as they would against Forge's storage.
   */
  latencyMs = 0;

  constructor(options: KvsEmulatorOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.clock = options.clock ?? (() => performance.now());
    this.rateLimits = { ...KVS_RATE_LIMITS, ...options.rateLimits };
    this.defineEntities(options.entities ?? []);
  }

  /** Entity definitions come from the manifest (the SDK never sends them). */
  defineEntities(defs: EntityDefinition[]): void {
    for (const def of defs) {
      const indexes = new Map<string, NormalisedIndex>();
      for (const ix of def.indexes ?? []) {
        const n = typeof ix === 'string' ? { name: ix, range: ix, partition: [] } : { name: ix.name, range: ix.range, partition: ix.partition ?? [] };
        indexes.set(n.name, n);
      }
      this.entityDefs.set(def.name, { def, indexes });
    }
  }

  // ---- knobs -------------------------------------------------------------------------------------------

  stats(): KvsStats {
    return { ...this.counts, byPath: { ...this.counts.byPath } };
  }

  /** Zero the counters (the rate windows keep what they hold: Forge's budget does not reset with them). */
  resetStats(): void {
    this.counts = emptyStats();
  }

  /** Run the rate windows on `clock` (ms of Forge time, monotonic). Called by the platform. */
  useClock(clock: () => number): void {
    this.clock = clock;
    this.resetRateWindows();
  }

  /** Empty the rate windows, as if the installation had been idle for a minute. */
  resetRateWindows(): void {
    this.requestWindow.clear();
    this.readWindow.clear();
    this.writeWindow.clear();
  }

  /** The next `n` wire calls fail with `fault` and change nothing. */
  failNext(n: number, fault: KvsFault): void {
    this.pendingFaults.push({ remaining: n, fault });
  }

  /** Fail every wire call for which `predicate` returns a fault; returns a function that removes it. */
  failWhen(predicate: KvsFaultPredicate): () => void {
    this.predicates.push(predicate);
    return () => {
      this.predicates = this.predicates.filter((p) => p !== predicate);
    };
  }

  clearFaults(): void {
    this.pendingFaults = [];
    this.predicates = [];
  }

  clear(): void {
    this.plain.clear();
    this.secret.clear();
    this.entityStores.clear();
  }

  // ---- direct access for tests and seeding (no wire call counted) ------------------------------------------

  /** Current value of a plain key (a deep copy), or undefined. */
  peek(key: string): unknown {
    const item = this.live(this.plain, key);
    return item ? JSON.parse(item.json) : undefined;
  }

  /** All plain keys, sorted. */
  keys(): string[] {
    return [...this.plain.keys()].filter((k) => this.live(this.plain, k)).sort();
  }

  snapshot(): KvsSnapshot {
    const entities: Record<string, Record<string, StoredItem>> = {};
    for (const [name, store] of this.entityStores) entities[name] = Object.fromEntries(store);
    return {
      version: 1,
      plain: structuredClone(Object.fromEntries(this.plain)),
      secret: structuredClone(Object.fromEntries(this.secret)),
      entities: structuredClone(entities),
    };
  }

  restore(snapshot: KvsSnapshot): void {
    if (snapshot.version !== 1) throw new Error(`Unknown KVS snapshot version ${String(snapshot.version)}`);
    this.plain = new Map(Object.entries(structuredClone(snapshot.plain)));
    this.secret = new Map(Object.entries(structuredClone(snapshot.secret)));
    this.entityStores = new Map(Object.entries(structuredClone(snapshot.entities)).map(([n, s]) => [n, new Map(Object.entries(s))]));
  }

  saveTo(file: string): void {
    writeFileSync(file, JSON.stringify(this.snapshot(), null, 2));
  }

  loadFrom(file: string): void {
    this.restore(JSON.parse(readFileSync(file, 'utf8')) as KvsSnapshot);
  }

  // ---- the wire ------------------------------------------------------------------------------------------

  /** Answer one wire call. Never throws: every failure is a `{code, message}` body, as the SDK expects. */
  handle(path: string, rawBody: string | undefined): KvsWireResponse {
    this.counts.total += 1;
    this.counts.byPath[path] = (this.counts.byPath[path] ?? 0) + 1;
    try {
      let body: unknown;
      try {
        body = rawBody === undefined || rawBody === '' ? {} : JSON.parse(rawBody);
      } catch {
        throw new LocalError(400, 'BAD_REQUEST', 'Provided request body is invalid');
      }
      const fault = this.takeFault({ path, body, seq: this.counts.total });
      if (fault) throw new LocalError(fault.status ?? 500, fault.code, fault.message ?? `Injected fault: ${fault.code}`);
      return this.metered(path, body, rawBody === undefined ? 0 : Buffer.byteLength(rawBody));
    } catch (e) {
      return errorAnswer(e);
    }
  }

  /**
   * The operation limits around one call. A write is charged on its request's bytes before it is applied; a
   * read on its answer's bytes (a refused read changes nothing, so its answer is simply dropped). A refused
   * call is charged nothing.
   */
  private metered(path: string, body: unknown, requestBytes: number): KvsWireResponse {
    const cap = PAYLOAD_CAPS[path];
    if (cap !== undefined && requestBytes > cap) {
      throw new LocalError(413, 'PAYLOAD_TOO_LARGE', `The request is ${requestBytes} bytes; Forge accepts at most ${cap} bytes for a ${path === '/api/v1/transaction' ? 'transaction' : 'batch operation'}.`); // code *unverified*
    }
    const now = this.clock();
    const limits = this.rateLimits;
    if (this.requestWindow.used(now) + 1 > limits.requestsPerSecond) throw this.rateLimited(`more than ${limits.requestsPerSecond} storage requests in a second`);
    const isWrite = WRITE_PATHS.has(path);
    const writeUnits = isWrite ? unitsFor(requestBytes) : 0;
    if (isWrite && this.writeWindow.used(now) + writeUnits > limits.writeUnitsPerMinute) {
      throw this.rateLimited(`write units past ${limits.writeUnitsPerMinute} a minute (this write needs ${writeUnits})`);
    }
    let answer: KvsWireResponse;
    try {
      answer = this.route(path, body);
    } catch (e) {
      answer = errorAnswer(e);
    }
    if (READ_PATHS.has(path)) {
      const bytes = answer.body === null ? 0 : Buffer.byteLength(answer.body);
      const units = unitsFor(bytes);
      if (this.readWindow.used(now) + units > limits.readUnitsPerMinute) {
        throw this.rateLimited(`read units past ${limits.readUnitsPerMinute} a minute (this read needs ${units})`);
      }
      this.readWindow.add(now, units);
      this.counts.readUnits += units;
      this.counts.bytesRead += bytes;
    }
    if (isWrite) {
      this.writeWindow.add(now, writeUnits);
      this.counts.writeUnits += writeUnits;
      this.counts.bytesWritten += requestBytes;
    }
    this.requestWindow.add(now, 1);
    return answer;
  }

  private rateLimited(what: string): LocalError {
    this.counts.rateLimited += 1;
    return new LocalError(429, 'RATE_LIMIT_EXCEEDED', `Storage rate limit exceeded for this installation: ${what}.`);
  }

  private takeFault(call: KvsWireCall): KvsFault | undefined {
    const head = this.pendingFaults[0];
    if (head) {
      head.remaining -= 1;
      if (head.remaining <= 0) this.pendingFaults.shift();
      return head.fault;
    }
    for (const p of this.predicates) {
      const f = p(call);
      if (f) return f;
    }
    return undefined;
  }

  private route(path: string, body: unknown): KvsWireResponse {
    switch (path) {
      case '/api/v1/get':
        return this.get(this.plain, body);
      case '/api/v1/set':
        return this.set(this.plain, body);
      case '/api/v1/delete':
        return this.del(this.plain, body);
      case '/api/v1/query':
        return this.query(body);
      case '/api/v1/secret/get':
        return this.get(this.secret, body);
      case '/api/v1/secret/set':
        return this.set(this.secret, body);
      case '/api/v1/secret/delete':
        return this.del(this.secret, body);
      case '/api/v1/entity/get':
        return this.get(this.entityStore(body), body);
      case '/api/v1/entity/set':
        return this.set(this.entityStore(body), body, true);
      case '/api/v1/entity/delete':
        return this.del(this.entityStore(body), body);
      case '/api/v1/entity/query':
        return this.entityQuery(body);
      case '/api/v1/batch/get':
        return this.batchGet(body);
      case '/api/v1/batch/set':
        return this.batchSet(body);
      case '/api/v1/batch/delete':
        return this.batchDelete(body);
      case '/api/v1/transaction':
        return this.transaction(body);
      default:
        throw new LocalError(404, 'NOT_FOUND', `The KVS emulator does not implement ${path}`);
    }
  }

  private live(store: Map<string, StoredItem>, key: string): StoredItem | undefined {
    const item = store.get(key);
    if (item && item.expiresAt !== undefined && item.expiresAt <= this.now()) {
      store.delete(key);
      return undefined;
    }
    return item;
  }

  private entityStore(body: unknown, create = true): Map<string, StoredItem> {
    const name = isRecord(body) ? body.entityName : undefined;
    if (typeof name !== 'string' || !this.entityDefs.has(name)) {
      throw new LocalError(400, 'INVALID_ENTITY_NAME', `Entity '${String(name)}' is not defined in the manifest's app.storage.entities.`); // code *unverified*
    }
    let store = this.entityStores.get(name);
    if (!store) {
      store = new Map();
      if (create) this.entityStores.set(name, store);
    }
    return store;
  }

  private itemBody(key: string, item: StoredItem, entityName?: string): Obj {
    return {
      key,
      ...(entityName ? { entityName } : {}),
      value: JSON.parse(item.json) as Json,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      ...(item.expiresAt !== undefined ? { expireTime: new Date(item.expiresAt).toISOString() } : {}),
    };
  }

  private get(store: Map<string, StoredItem>, body: unknown): KvsWireResponse {
    const key = validateKey(isRecord(body) ? body.key : undefined);
    const item = this.live(store, key);
    if (!item) throw new LocalError(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
    return ok(this.itemBody(key, item));
  }

  /** Validated write, not yet applied: transactions validate everything before applying anything. */
  private prepareSet(store: Map<string, StoredItem>, body: unknown, entity: boolean): { key: string; item: StoredItem; previous?: StoredItem } {
    if (!isRecord(body)) throw new LocalError(400, 'BAD_REQUEST', 'Provided request body is invalid');
    const key = validateKey(body.key);
    if (entity && !isRecord(body.value)) throw new LocalError(400, 'BAD_REQUEST', 'An entity value must be an object of its attributes.');
    const json = encodeValue(body.value);
    const now = this.now();
    const previous = this.live(store, key);
    const options = isRecord(body.options) ? body.options : undefined;
    if (options?.keyPolicy === 'FAIL_IF_EXISTS' && previous) {
      throw new LocalError(409, 'KEY_ALREADY_EXISTS', 'The provided key already exists.'); // code *unverified*
    }
    const expiresAt = ttlExpiry(options, now);
    return { key, previous, item: { json, createdAt: previous?.createdAt ?? now, updatedAt: now, ...(expiresAt !== undefined ? { expiresAt } : {}) } };
  }

  private set(store: Map<string, StoredItem>, body: unknown, entity = false): KvsWireResponse {
    const { key, item, previous } = this.prepareSet(store, body, entity);
    store.set(key, item);
    const options = isRecord(body) && isRecord(body.options) ? body.options : undefined;
    if (options && 'returnValue' in options) {
      if (options.returnValue === 'PREVIOUS') return previous ? ok(this.itemBody(key, previous)) : { status: 200, body: '' };
      return ok(this.itemBody(key, item));
    }
    return NO_CONTENT;
  }

  private del(store: Map<string, StoredItem>, body: unknown): KvsWireResponse {
    const key = validateKey(isRecord(body) ? body.key : undefined);
    // Deleting a missing key succeeds, as in Forge (the SDK would swallow KEY_NOT_FOUND anyway).
    store.delete(key);
    return NO_CONTENT;
  }

  private checkLimit(limit: unknown): number {
    if (limit === undefined || limit === null) return KVS_LIMITS.defaultQueryLimit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw new LocalError(400, 'BAD_REQUEST', 'Provided request body is invalid: limit');
    if (limit > KVS_LIMITS.maxQueryLimit) throw new LocalError(400, 'LIST_QUERY_LIMIT_EXCEEDED', `Limit for list query should be below ${KVS_LIMITS.maxQueryLimit}.`);
    return limit;
  }

  /** `rows` are in answer order; `position` gives each row's sort tuple (ascending order of the tuple is the
   *  answer order unless `desc`). */
  private page(rows: Array<[string, StoredItem]>, position: (row: [string, StoredItem]) => unknown[], desc: boolean, limit: number, cursor: unknown, metadata: unknown, entityName?: string): KvsWireResponse {
    const after = decodeCursor(cursor);
    let start = 0;
    if (after !== undefined) {
      start = rows.findIndex((r) => (desc ? -1 : 1) * compareTuples(position(r), after) > 0);
      if (start < 0) start = rows.length;
    }
    const slice = rows.slice(start, start + limit);
    const fields = isRecord(metadata) && Array.isArray(metadata.metadataFields) ? (metadata.metadataFields as string[]) : [];
    const data = slice.map(([key, item]) => {
      const full = this.itemBody(key, item, entityName);
      return {
        key,
        value: full.value,
        ...(fields.includes('CREATED_AT') ? { createdAt: full.createdAt } : {}),
        ...(fields.includes('UPDATED_AT') ? { updatedAt: full.updatedAt } : {}),
        ...(fields.includes('EXPIRE_TIME') && full.expireTime !== undefined ? { expireTime: full.expireTime } : {}),
      };
    });
    const last = slice[slice.length - 1];
    const more = start + limit < rows.length;
    return ok({ data, ...(more && last ? { cursor: encodeCursor(position(last)) } : {}) });
  }

  private query(body: unknown): KvsWireResponse {
    const b = isRecord(body) ? body : {};
    const limit = this.checkLimit(b.limit);
    let prefix = '';
    if (b.where !== undefined) {
      if (!Array.isArray(b.where) || b.where.length !== 1) throw new LocalError(400, 'QUERY_WHERE_INVALID', 'KVS queries should contain only a single "where" clause.');
      const w = b.where[0] as Clause;
      if (w.property !== 'key') throw new LocalError(400, 'QUERY_WHERE_FIELD_INVALID', 'The specified field is not supported for filters.');
      if (w.condition !== 'BEGINS_WITH') throw new LocalError(400, 'INVALID_FILTER_CONDITION', 'The specified condition is not supported for filters.');
      if (!Array.isArray(w.values) || w.values.length !== 1) throw new LocalError(400, 'INVALID_FILTER_VALUES', 'The specified number of values are not supported by the given condition.');
      prefix = String(w.values[0]);
    }
    const entries = [...this.plain.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .flatMap((k): Array<[string, StoredItem]> => {
        const item = this.live(this.plain, k);
        return item ? [[k, item]] : [];
      });
    return this.page(entries, ([k]) => [k], false, limit, b.after, b.options);
  }

  private entityQuery(body: unknown): KvsWireResponse {
    const b = isRecord(body) ? body : {};
    const store = this.entityStore(b);
    const name = String(b.entityName);
    const def = this.entityDefs.get(name);
    const index = def?.indexes.get(String(b.indexName));
    if (!index) throw new LocalError(400, 'INVALID_INDEX', `Index '${String(b.indexName)}' is not defined for entity '${name}'.`); // code *unverified*
    const limit = this.checkLimit(b.limit);
    const partition = Array.isArray(b.partition) ? b.partition : [];
    if (partition.length !== index.partition.length) {
      throw new LocalError(400, 'INVALID_PARTITION', `Index '${index.name}' needs ${index.partition.length} partition value(s).`); // code *unverified*
    }
    const range = isRecord(b.range) ? (b.range as unknown as Clause) : undefined;
    const filterCount = isRecord(b.filters) ? [b.filters.and, b.filters.or].reduce<number>((n, list) => n + (Array.isArray(list) ? list.length : 0), 0) : 0;
    if ((range ? 1 : 0) + filterCount > KVS_LIMITS.maxQueryConditions) {
      throw new LocalError(400, 'TOO_MANY_CONDITIONS', `A query can hold at most ${KVS_LIMITS.maxQueryConditions} conditions.`); // code *unverified*
    }
    const desc = b.sort === 'DESC';
    const rows: Array<[string, StoredItem, Obj]> = [];
    for (const key of store.keys()) {
      const item = this.live(store, key);
      if (!item) continue;
      const value = JSON.parse(item.json) as Obj;
      if (!index.partition.every((attr, i) => value[attr] === partition[i])) continue;
      if (value[index.range] === undefined) continue; // items without the range attribute are not in the index
      if (range && !matchClause(value[index.range], range)) continue;
      if (!matchFilters(value, b.filters)) continue;
      rows.push([key, item, value]);
    }
    rows.sort((x, y) => {
      const c = compareScalars(x[2][index.range], y[2][index.range]) || compareScalars(x[0], y[0]);
      return desc ? -c : c;
    });
    const entries = rows.map(([k, item]): [string, StoredItem] => [k, item]);
    const rangeOf = new Map(rows.map(([k, , v]) => [k, v[index.range]]));
    const metadata = { metadataFields: b.metadataFields ?? (isRecord(b.options) ? b.options.metadataFields : undefined) };
    return this.page(entries, ([k]) => [rangeOf.get(k), k], desc, limit, b.cursor, metadata);
  }

  private batchItems(body: unknown): Obj[] {
    if (!Array.isArray(body) || body.length === 0) throw new LocalError(400, 'BAD_REQUEST', 'A batch operation needs at least one item.');
    if (body.length > KVS_LIMITS.maxItemsPerBatch) {
      throw new LocalError(400, 'TOO_MANY_ITEMS', `A batch operation can contain at most ${KVS_LIMITS.maxItemsPerBatch} keys.`); // code *unverified*
    }
    const seen = new Set<string>();
    for (const it of body) {
      const id = isRecord(it) ? `${String(it.entityName ?? '')}\u0000${String(it.key)}` : '';
      if (seen.has(id)) throw new LocalError(400, 'DUPLICATE_KEYS', 'A batch operation cannot name the same key twice.'); // code *unverified*
      seen.add(id);
    }
    return body.map((it) => (isRecord(it) ? it : {}));
  }

  private storeFor(item: Obj): Map<string, StoredItem> {
    return item.entityName === undefined || item.entityName === null ? this.plain : this.entityStore(item);
  }

  private itemError(item: Obj, e: unknown): Obj {
    if (!(e instanceof LocalError)) throw e;
    return { key: item.key, ...(item.entityName ? { entityName: item.entityName } : {}), error: { code: e.code, message: e.message } };
  }

  private batchGet(body: unknown): KvsWireResponse {
    const successfulKeys: Obj[] = [];
    const failedKeys: Obj[] = [];
    for (const it of this.batchItems(body)) {
      try {
        const key = validateKey(it.key);
        const entityName = typeof it.entityName === 'string' ? it.entityName : undefined;
        const stored = this.live(this.storeFor(it), key);
        if (!stored) throw new LocalError(404, 'KEY_NOT_FOUND', 'Key does not exist');
        successfulKeys.push(this.itemBody(key, stored, entityName));
      } catch (e) {
        failedKeys.push(this.itemError(it, e));
      }
    }
    return ok({ successfulKeys, failedKeys });
  }

  private batchSet(body: unknown): KvsWireResponse {
    const successfulKeys: Obj[] = [];
    const failedKeys: Obj[] = [];
    for (const it of this.batchItems(body)) {
      try {
        const store = this.storeFor(it);
        const { key, item } = this.prepareSet(store, it, store !== this.plain);
        store.set(key, item);
        successfulKeys.push({ key, ...(it.entityName ? { entityName: it.entityName } : {}) });
      } catch (e) {
        failedKeys.push(this.itemError(it, e));
      }
    }
    return ok({ successfulKeys, failedKeys });
  }

  private batchDelete(body: unknown): KvsWireResponse {
    const successfulKeys: Obj[] = [];
    const failedKeys: Obj[] = [];
    for (const it of this.batchItems(body)) {
      try {
        const key = validateKey(it.key);
        this.storeFor(it).delete(key);
        successfulKeys.push({ key, ...(it.entityName ? { entityName: it.entityName } : {}) });
      } catch (e) {
        failedKeys.push(this.itemError(it, e));
      }
    }
    return ok({ successfulKeys, failedKeys });
  }

  /** All or nothing: every operation is validated and every condition checked against the state before the
   *  transaction; only then are the writes applied. */
  private transaction(body: unknown): KvsWireResponse {
    const b = isRecord(body) ? body : {};
    const sets = Array.isArray(b.set) ? (b.set as unknown[]).map((x) => (isRecord(x) ? x : {})) : [];
    const deletes = Array.isArray(b.delete) ? (b.delete as unknown[]).map((x) => (isRecord(x) ? x : {})) : [];
    const checks = Array.isArray(b.check) ? (b.check as unknown[]).map((x) => (isRecord(x) ? x : {})) : [];
    const total = sets.length + deletes.length + checks.length;
    if (total === 0) throw new LocalError(400, 'BAD_REQUEST', 'A transaction needs at least one operation.');
    if (total > KVS_LIMITS.maxOpsPerTransaction) {
      throw new LocalError(400, 'TOO_MANY_OPERATIONS', `A transaction can contain at most ${KVS_LIMITS.maxOpsPerTransaction} operations.`); // code *unverified*
    }
    const seen = new Set<string>();
    const all = [...sets, ...deletes, ...checks];
    for (const op of all) {
      const id = `${String(op.entityName ?? '')}\u0000${String(op.key)}`;
      if (seen.has(id)) throw new LocalError(400, 'DUPLICATE_KEYS', 'A transaction cannot name the same key twice.'); // code *unverified*
      seen.add(id);
    }
    const conditionHolds = (op: Obj): boolean => {
      if (op.conditions === undefined || op.conditions === null) return true;
      const stored = this.live(this.storeFor(op), validateKey(op.key));
      return matchFilters(stored ? JSON.parse(stored.json) : undefined, op.conditions);
    };
    const writes: Array<() => void> = [];
    for (const op of sets) {
      const store = this.storeFor(op);
      const prepared = this.prepareSet(store, { key: op.key, value: op.value, options: op.options }, store !== this.plain);
      if (!conditionHolds(op)) throw conditionFailed(String(op.key));
      writes.push(() => store.set(prepared.key, prepared.item));
    }
    for (const op of deletes) {
      const store = this.storeFor(op);
      const key = validateKey(op.key);
      if (!conditionHolds(op)) throw conditionFailed(key);
      writes.push(() => store.delete(key));
    }
    for (const op of checks) {
      if (!conditionHolds(op)) throw conditionFailed(String(op.key));
    }
    for (const w of writes) w();
    return NO_CONTENT;
  }
}

function conditionFailed(key: string): LocalError {
  return new LocalError(409, 'CONDITION_FAILED', `Transaction cancelled: the condition on key '${key}' was not met.`); // code *unverified*
}
