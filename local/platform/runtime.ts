/**
 * The backend seams of Forge's runtime: `global.__forge_fetch__` and `global.__forge_runtime__`. The real
 * `@forge/api`, `@forge/kvs` and `@forge/events` send every request through the first and read the second,
 * so production code runs unmodified once these two are defined (see docs FORGE-NOTES "The runtime seams").
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { JiraEmulator, Principal } from '../types';
import type { KvsEmulator } from '../kvs/kvs-emulator';
import { PlatformClock } from './scheduler';

/** Who the current invocation runs for. The SDK's `asUser()` names no user, so the platform remembers it. */
export interface InvocationState {
  /** Account of the user whose action caused the invocation; undefined for triggers, consumers, schedules. */
  accountId?: string;
  moduleKey?: string;
  invocationId: string;
  /** `PlatformClock.runtimeNow()` ms after which Forge stops the function. */
  deadline: number;
  /** The installation (platform) that started it. */
  installationId?: string;
  /** Set when the function ran past its deadline: Forge has stopped it, so nothing it still sends arrives. */
  timedOut?: boolean;
  /** A trigger, consumer or scheduled trigger: on Forge it runs in its own function instance, never in the way
   *  of a view, so locally it gives way to resolvers (see `ForegroundGate`). */
  background?: boolean;
}

/**
 * Keeps background work out of a view's way. On Forge a consumer runs in its own function instance; here it
 * shares one thread with the resolvers, so a 250k-issue build made views wait 9-25 s. While any resolver is in
 * flight, a background invocation waits at its next storage or Jira call (each is I/O on Forge too), for at
 * most `maxWaitMs` per call, so a resolver that itself waits for background work cannot starve it for good.
 * Only the order changes: every call still happens, with the same arguments and answers.
 */
export class ForegroundGate {
  private inFlight = 0;
  private waiters = new Set<() => void>();

  constructor(readonly maxWaitMs = 1000) {}

  get busy(): boolean {
    return this.inFlight > 0;
  }

  /** A resolver starts; the returned function ends it (once). */
  enter(): () => void {
    this.inFlight += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight -= 1;
      if (this.inFlight === 0) for (const wake of [...this.waiters]) wake();
    };
  }

  /** Resolves when no resolver is in flight, or after `maxWaitMs`. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.maxWaitMs);
      timer.unref();
      this.waiters.add(wake);
    });
  }
}

/** The clock deadlines are read on when no platform passes its own (real time). */
const realClock = new PlatformClock();

const invocations = new AsyncLocalStorage<InvocationState>();

export function currentInvocation(): InvocationState | undefined {
  return invocations.getStore();
}

/** Run `fn` as one Forge invocation: `asUser()` inside it acts as `accountId` (or fails when undefined). */
export function runInvocation<T>(
  state: { accountId?: string; moduleKey?: string; timeoutSeconds?: number; installationId?: string; background?: boolean },
  fn: () => T,
  clock: PlatformClock = realClock,
): T {
  const timeoutMs = (state.timeoutSeconds ?? 25) * 1000;
  return invocations.run(
    {
      accountId: state.accountId,
      moduleKey: state.moduleKey,
      invocationId: randomUUID(),
      deadline: clock.runtimeNow() + timeoutMs,
      installationId: state.installationId,
      ...(state.background ? { background: true } : {}),
    },
    fn,
  );
}

/** A function stopped at its deadline, as Forge stops it. */
export class FunctionTimeoutError extends Error {
  constructor(
    readonly moduleKey: string | undefined,
    readonly timeoutSeconds: number,
  ) {
    super(`The function${moduleKey ? ` of '${moduleKey}'` : ''} ran past its ${timeoutSeconds} s limit and was stopped, as Forge stops it.`);
    this.name = 'FunctionTimeoutError';
  }
}

/**
 * `runInvocation` with Forge's deadline enforced on `clock`: past `timeoutSeconds` of runtime the call rejects
 * with `FunctionTimeoutError`, and whatever the handler still sends through the seams is refused (JavaScript
 * cannot kill it; Forge would have).
 */
export async function runTimedInvocation<T>(
  state: { accountId?: string; moduleKey?: string; timeoutSeconds: number; installationId?: string; background?: boolean },
  clock: PlatformClock,
  fn: () => T | Promise<T>,
): Promise<T> {
  let current: InvocationState | undefined;
  const timer = clock.after(state.timeoutSeconds * 1000);
  const work = runInvocation(
    state,
    async () => {
      current = currentInvocation();
      return fn();
    },
    clock,
  );
  const stopped = timer.promise.then(() => {
    if (current) current.timedOut = true;
    throw new FunctionTimeoutError(state.moduleKey, state.timeoutSeconds);
  });
  // The handler's own late failure, after the deadline, goes nowhere (as on Forge).
  work.catch(() => undefined);
  try {
    return await Promise.race([work, stopped]);
  } finally {
    timer.cancel();
  }
}

/** Answer of a non-Jira backend behind the seam (KVS, queue): status and JSON text (null = no body). */
export interface SeamResponse {
  status: number;
  body: string | null;
  headers?: Record<string, string>;
}

/** The queue side of `remote: 'stargate'` (`@forge/events`): `/webhook/queue/{publish|stats|cancel}/...`. */
export interface StargateHandler {
  handle(path: string, body: string | undefined): Promise<SeamResponse> | SeamResponse;
}

export interface ForgeRuntimeOptions {
  kvs: KvsEmulator;
  jira?: JiraEmulator;
  stargate?: StargateHandler;
  appId?: string;
  environmentId?: string;
  cloudId?: string;
  scopes?: string[];
  license?: unknown;
  /** Each platform is its own installation, as two sites are in Forge (default: a new id). */
  installationId?: string;
  /** The platform's clock: deadlines (`getRemainingTimeInMillis`) are read on it. */
  clock?: PlatformClock;
  /** Background invocations wait on it before each storage or Jira call while a resolver runs. */
  foreground?: ForegroundGate;
}

/** The `target` the SDKs pass as first argument of `__forge_fetch__`. */
interface FetchTarget {
  type?: string;
  provider?: string;
  remote?: string;
  accountId?: string;
  contextAri?: string;
}

type ForgeFetch = (target: FetchTarget, path: string, init?: RequestInit) => Promise<Response>;

declare global {
  // The names are Forge's; `var` is how a global is declared in TypeScript.
  var __forge_fetch__: ForgeFetch | undefined;
  var __forge_runtime__: unknown;
}

/** Statuses for which the Fetch spec forbids a body (`new Response('', {status: 204})` throws). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export function toResponse(r: SeamResponse): Response {
  const body = NULL_BODY_STATUSES.has(r.status) ? null : r.body;
  const headers = new Headers(r.headers ?? {});
  if (body !== null && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return new Response(body, { status: r.status, headers });
}

function errorResponse(status: number, code: string, message: string): Response {
  return toResponse({ status, body: JSON.stringify({ code, message }) });
}

async function bodyText(init: RequestInit | undefined): Promise<string | undefined> {
  const b = init?.body;
  if (b === undefined || b === null) return undefined;
  if (typeof b === 'string') return b;
  // Anything else fetch accepts (Buffer, URLSearchParams, streams): let Request serialise it the same way.
  return new Request('http://local.invalid/', { method: 'POST', body: b, duplex: 'half' } as RequestInit).text();
}

function headerRecord(init: RequestInit | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(init?.headers ?? {}).forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

function noop(): void {
  // metrics are not recorded locally
}

/**
 * Define `__forge_fetch__` and `__forge_runtime__`. Returns a function that restores whatever was there.
 * `runtime.kvs.url/host` are left out on purpose: `@forge/kvs` would switch to its token-based proxy mode.
 */
export function installForgeRuntime(options: ForgeRuntimeOptions): () => void {
  const previousFetch = globalThis.__forge_fetch__;
  const previousRuntime = globalThis.__forge_runtime__;
  const appId = options.appId ?? '00000000-0000-4000-8000-000000000000';
  const environmentId = options.environmentId ?? '00000000-0000-4000-8000-0000000e0001';
  const cloudId = options.cloudId ?? '00000000-0000-4000-8000-00000000c10d';
  const installationId = options.installationId ?? randomUUID();
  const clock = options.clock ?? realClock;

  const forgeFetch: ForgeFetch = async (target, path, init) => {
    // An invocation of a platform closed since (a test's leftover background step) must not reach this one's
    // storage or site: it fails as an outage would.
    const started = currentInvocation()?.installationId;
    if (started !== undefined && started !== installationId) {
      return errorResponse(503, 'INSTALLATION_CLOSED', 'This invocation belongs to a local platform that has been closed.');
    }
    const timedOut = (): Response | null =>
      currentInvocation()?.timedOut ? errorResponse(503, 'FUNCTION_TIMED_OUT', 'This invocation ran past its time limit; Forge has stopped it.') : null;
    const stopped = timedOut();
    if (stopped) return stopped;
    /** Background work gives way to resolvers right before it acts, then acts unless its deadline passed meanwhile. */
    const giveWay = async (): Promise<Response | null> => {
      if (!options.foreground?.busy || !currentInvocation()?.background) return null;
      await options.foreground.idle();
      return timedOut();
    };
    if (target.type === 'kvs') {
      const body = await bodyText(init);
      const half = options.kvs.latencyMs / 2;
      if (half > 0) await new Promise((resolve) => setTimeout(resolve, half));
      const late = await giveWay();
      if (late) return late;
      const answer = options.kvs.handle(path, body);
      if (half > 0) await new Promise((resolve) => setTimeout(resolve, half));
      return toResponse(answer);
    }
    if (target.type === 'fpp' && target.remote === 'jira') {
      if (!options.jira) return errorResponse(500, 'NO_JIRA', 'The local platform has no Jira emulator installed.');
      const as = principalFor(target);
      if ('error' in as) return as.error;
      // A request to Jira is I/O: it gives the event loop a turn, as in Forge, so timers (a progress bar, a
      // deadline) still fire while a long job reads thousands of issues from the in-process emulator.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const late = await giveWay();
      if (late) return late;
      const res = await options.jira.handle({ method: (init?.method ?? 'GET').toUpperCase(), path, headers: headerRecord(init), body: await bodyText(init), as: as.principal });
      return toResponse(res);
    }
    if (target.type === 'fpp' && target.remote === 'stargate' && path.startsWith('/webhook/queue/')) {
      if (!options.stargate) return errorResponse(500, 'NO_QUEUE', 'The local platform has no queue emulator installed.');
      const late = await giveWay();
      if (late) return late;
      return toResponse(await options.stargate.handle(path, await bodyText(init)));
    }
    return errorResponse(501, 'UNSUPPORTED_TARGET', `The local Forge platform does not serve ${JSON.stringify(target)} ${path}`);
  };

  const runtime = {
    // A getter, so that `getAppContext()` sees the current invocation (module key, invocation id).
    get appContext() {
      const inv = currentInvocation();
      return {
        appId,
        appVersion: '1.0.0',
        environmentId,
        environmentType: 'DEVELOPMENT',
        invocationId: inv?.invocationId ?? 'outside-invocation',
        installationId,
        moduleKey: inv?.moduleKey,
        license: options.license,
        installation: undefined,
        permissions: { scopes: options.scopes ?? [], external: {} },
      };
    },
    lambdaContext: {
      getRemainingTimeInMillis: () => {
        const inv = currentInvocation();
        return inv ? Math.max(0, Math.round(inv.deadline - clock.runtimeNow())) : 25_000;
      },
    },
    metrics: {
      counter: () => ({ incr: noop, decr: noop }),
      timing: () => ({ measure: () => ({ stop: noop }) }),
      gauge: () => ({ set: noop }),
    },
    contextAri: `ari:cloud:jira::site/${cloudId}`,
  };

  globalThis.__forge_fetch__ = forgeFetch;
  globalThis.__forge_runtime__ = runtime;
  return () => {
    globalThis.__forge_fetch__ = previousFetch;
    globalThis.__forge_runtime__ = previousRuntime;
  };
}

/** `asApp()` (and the bare `requestJira`, provider `none`, which Forge runs as the app) or the invocation's user. */
function principalFor(target: FetchTarget): { principal: Principal } | { error: Response } {
  if (target.provider === 'user') {
    const accountId = target.accountId ?? currentInvocation()?.accountId;
    if (!accountId) {
      // Forge refuses asUser() where no user is behind the invocation (triggers, consumers, schedules).
      return { error: toResponse({ status: 401, body: JSON.stringify({ code: 'NO_USER', message: 'asUser() was called in an invocation without a user (trigger, consumer, scheduled trigger, or outside any invocation).' }), headers: { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' } }) };
    }
    return { principal: { kind: 'user', accountId } };
  }
  return { principal: { kind: 'app' } };
}
