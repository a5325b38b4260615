/**
 * The local Forge platform, Node side: reads `manifest.yml`, loads the app's handlers from `src/`, installs
 * Forge's runtime seams and the site clock, and invokes functions the way Forge does (resolvers, triggers,
 * queue consumers, scheduled triggers). Production code runs unmodified on it.
 */
import { randomUUID } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { IssueEvent, JiraEmulator } from '../types';
import { KvsEmulator } from '../kvs/kvs-emulator';
import { installClock } from './clock';
import { findModule, modulesOf, readManifest, type Manifest, type ManifestFunction, type ManifestModule } from './manifest';
import { MAX_RETRIES, QueueEmulator, retryRequested, type QueueEvent } from './queue';
import { LocalError } from '../errors';
import { checkInvokePayload, checkScheduledReply, DEFAULT_STORAGE_LATENCY_MS, functionTimeoutSeconds, MAX_INVOKE_RESPONSE_BYTES, RESOLVER_TIMEOUT_SECONDS } from './invoke-limits';
import { ForegroundGate, FunctionTimeoutError, installForgeRuntime, runInvocation, runTimedInvocation } from './runtime';
import { PlatformClock, Scheduler } from './scheduler';

export { KvsEmulator } from '../kvs/kvs-emulator';
export { installForgeRuntime, runInvocation, currentInvocation, FunctionTimeoutError, ForegroundGate } from './runtime';
export { PlatformClock } from './scheduler';
export { advanceClock, advanceClockTo, clockInstalled, installClock, rewindClock, uninstallClock } from './clock';
export { readManifest } from './manifest';
export type { Manifest } from './manifest';
export type { QueueEvent, JobStats } from './queue';
export { LocalError } from '../errors';
export { MAX_INVOKE_REQUEST_BYTES, MAX_PAYLOAD_DEPTH, DEFAULT_STORAGE_LATENCY_MS, functionTimeoutSeconds, checkScheduledReply } from './invoke-limits';

export interface LocalPlatformOptions {
  /** Project root holding `manifest.yml` and `src/`; default `process.cwd()`. */
  root?: string;
  jira: JiraEmulator;
  kvs?: KvsEmulator;
  /** Site calendar day `YYYY-MM-DD`; default `jira.today`. Set `clock: false` to leave `Date` alone. */
  today?: string;
  clock?: boolean;
  cloudId?: string;
  siteUrl?: string;
  /** Multiplier on Forge time for delays and retries: 1 = real time (default), 0.001 = 1 s takes 1 ms. */
  timeScale?: number;
  /** Load every handler at creation and fail fast (default true). `false` loads each on first use, so the shell
   *  can start while `src/` exports only some of the manifest's handlers. */
  strictHandlers?: boolean;
  /** Where handler errors and retries are reported; default `console.error`. */
  log?: (message: string, error?: unknown) => void;
  /** Real ms each storage call takes (half before it is applied, half before it answers); default 20, so
   *  storage time is real in `npm start` and the benchmark. Not scaled by `timeScale`. Jest suites that make
   *  thousands of calls pass 0 (the test helper does). */
  storageLatencyMs?: number;
}

/** Who calls a resolver and from where, as the browser bridge knows it. */
export interface InvokeContext {
  accountId: string;
  moduleKey?: string;
  extension?: Record<string, unknown>;
  localId?: string;
}

export interface LocalPlatform {
  readonly root: string;
  readonly manifest: Manifest;
  readonly kvs: KvsEmulator;
  readonly jira: JiraEmulator;
  readonly queue: QueueEmulator;
  /** Forge time for the limits: storage windows and function deadlines. Tests `advance()` it. */
  readonly clock: PlatformClock;
  readonly cloudId: string;
  readonly siteUrl: string;
  /** Handler failures seen by triggers and consumers (also passed to `log`). */
  readonly errors: Array<{ message: string; error?: unknown }>;
  /** Call resolver `resolverKey` of function `functionKey` as user `ctx.accountId`; the result goes through JSON. */
  invoke(functionKey: string, resolverKey: string, payload: unknown, ctx: InvokeContext): Promise<unknown>;
  /** Same, with the function looked up from the module's `resolver.function` in the manifest. */
  invokeForModule(moduleKey: string, resolverKey: string, payload: unknown, ctx: Omit<InvokeContext, 'moduleKey'>): Promise<unknown>;
  /** The app is installed on the site: `avi:forge:installed:app` goes to the triggers that listen for it
   *  (delivered in the background, like every event). Boot does this once, as Forge does at install. */
  install(installerAccountId?: string): void;
  /** Fire a `scheduledTrigger` by hand (as the app); resolves to the handler's reply, which must be
   *  `{statusCode: 204}` (anything else is logged and rejects, as Forge records a failure). */
  runScheduledTrigger(key: string): Promise<unknown>;
  /** Resolves when every pending trigger delivery, queue event and retry is done (with `horizonSeconds`:
   *  every one due within that many Forge seconds; later ones run on their own when due). */
  settle(horizonSeconds?: number): Promise<void>;
  runAsApp<T>(fn: () => T | Promise<T>): Promise<T>;
  runAsUser<T>(accountId: string, fn: () => T | Promise<T>): Promise<T>;
  /** Stop deliveries, uninstall the seams and the clock. */
  close(): void;
}

type Handler = (...args: unknown[]) => unknown;

function throughJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** A key the caller sent, shown on one line and short: it can hold anything. */
function quoted(key: string): string {
  return `'${JSON.stringify(key.slice(0, 80)).slice(1, -1)}'`;
}

/** Load `handler: file.export` from `<root>/src/file`. `require` (not `import()`) so that jest's transform and
 *  tsx's hook both compile the TypeScript, and so a handler module is loaded once per process like in Forge. */
function loadHandler(root: string, fn: ManifestFunction): Handler {
  const dot = fn.handler.lastIndexOf('.');
  if (dot <= 0) throw new Error(`manifest.yml function '${fn.key}': handler '${fn.handler}' is not of the form file.export`);
  const file = join(root, 'src', fn.handler.slice(0, dot));
  const exportName = fn.handler.slice(dot + 1);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the comment above
  const mod = require(file) as Record<string, unknown>;
  const handler = mod[exportName];
  if (typeof handler !== 'function') {
    throw new Error(`manifest.yml function '${fn.key}': ${file} has no exported function '${exportName}' (handler '${fn.handler}')`);
  }
  return handler as Handler;
}

export async function createLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const root = options.root === undefined ? process.cwd() : isAbsolute(options.root) ? options.root : join(process.cwd(), options.root);
  const manifest = readManifest(root);
  const jira = options.jira;
  const clock = new PlatformClock();
  const kvs = options.kvs ?? new KvsEmulator();
  kvs.defineEntities(manifest.entities);
  kvs.useClock(() => clock.now());
  kvs.latencyMs = options.storageLatencyMs ?? DEFAULT_STORAGE_LATENCY_MS;
  const cloudId = options.cloudId ?? '00000000-0000-4000-8000-00000000c10d';
  const siteUrl = options.siteUrl ?? 'https://local-site.atlassian.net';
  const installContext = `ari:cloud:jira::site/${cloudId}`;
  const errors: Array<{ message: string; error?: unknown }> = [];
  const log = (message: string, error?: unknown): void => {
    errors.push({ message, error });
    (options.log ?? ((m: string, e?: unknown) => console.error(`[local forge] ${m}`, e ?? '')))(message, error);
  };
  const scheduler = new Scheduler(1000 * (options.timeScale ?? 1), (e) => log('background task failed', e), clock);

  const functionByKey = new Map(manifest.functions.map((f) => [f.key, f]));
  const handlers = new Map<string, Handler>();
  function handlerFor(functionKey: string): { fn: ManifestFunction; handler: Handler } {
    const fn = functionByKey.get(functionKey);
    if (!fn) throw new Error(`Function '${functionKey}' is not declared in ${join(root, 'manifest.yml')} (modules.function)`);
    let handler = handlers.get(functionKey);
    if (!handler) {
      handler = loadHandler(root, fn);
      handlers.set(functionKey, handler);
    }
    return { fn, handler };
  }

  const consumers = modulesOf(manifest, 'consumer');
  const queue = new QueueEmulator({
    scheduler,
    hasConsumer: (name) => consumers.some((c) => c.queue === name),
    deliver: async (event: QueueEvent) => {
      const consumer = consumers.find((c) => c.queue === event.queueName);
      if (!consumer?.function) throw new Error(`No consumer for queue '${event.queueName}'`);
      return callAsApp(consumer.function, consumer.key, [event, { installContext }], true);
    },
    log,
  });

  const today = options.today ?? jira.today;
  const uninstallClock = options.clock !== false && today ? installClock(today) : undefined;
  // Each platform is its own installation: invocations it starts reach only its own seams.
  const installationId = randomUUID();
  // Resolvers go first: background invocations wait for them at their next storage or Jira call.
  const foreground = new ForegroundGate();
  const uninstallRuntime = installForgeRuntime({ kvs, jira, stargate: queue, cloudId, appId: manifest.appId?.split('/').pop(), scopes: manifest.scopes, installationId, clock, foreground });

  // Load every handler now, so a broken export or a manifest typo fails at start-up, not at first click.
  if (options.strictHandlers !== false) {
    try {
      for (const fn of manifest.functions) handlerFor(fn.key);
    } catch (e) {
      uninstallRuntime();
      uninstallClock?.();
      throw e;
    }
  }

  /**
   * A trigger, consumer, scheduled trigger or JQL function, as the app, stopped at the function's Forge limit.
   * `background`: nobody waits for it (not a JQL function, which a search waits for), so it gives way to resolvers.
   */
  async function callAsApp(functionKey: string, moduleKey: string, args: unknown[], background: boolean): Promise<unknown> {
    const { fn, handler } = handlerFor(functionKey);
    const timeoutSeconds = functionTimeoutSeconds(manifest, fn);
    return runTimedInvocation({ moduleKey, timeoutSeconds, installationId, background }, clock, async () => throughJson(await handler(...args)));
  }

  async function deliverTrigger(trigger: ManifestModule, event: Record<string, unknown>, retryCount: number): Promise<void> {
    if (!trigger.function) return;
    let result: unknown;
    try {
      result = await callAsApp(trigger.function, trigger.key, [event, { installContext }], true);
    } catch (e) {
      // Forge retries a trigger only when it asks to (InvocationError); a throw is logged and the event is lost.
      log(`trigger '${trigger.key}' threw on ${String(event.eventType)}`, e);
      return;
    }
    const retry = retryRequested(result);
    if (!retry) return;
    if (retryCount >= MAX_RETRIES) {
      log(`trigger '${trigger.key}' still asked to retry after ${MAX_RETRIES} retries; event dropped`);
      return;
    }
    const next = { ...event, retryContext: { retryCount: retryCount + 1, retryReason: retry.retryReason, ...(retry.retryData !== undefined ? { retryData: retry.retryData } : {}) } };
    scheduler.schedule(retry.retryAfter, () => deliverTrigger(trigger, next, retryCount + 1));
  }

  function fire(eventType: string, payload: Record<string, unknown>, selfGenerated = false): void {
    for (const trigger of modulesOf(manifest, 'trigger')) {
      if (!trigger.events?.includes(eventType)) continue;
      if (selfGenerated && trigger.filter?.ignoreSelf) continue;
      // Deep copy per trigger and asynchronous, as Forge delivers events after the change, never inline.
      const delivered = { ...(throughJson(payload) as Record<string, unknown>), context: { cloudId, moduleKey: trigger.key } };
      scheduler.schedule(0, () => deliverTrigger(trigger, delivered, 0));
    }
  }

  // Jira calls a `jira:jqlFunction` as the app, with the clause as the first argument, when a search needs a
  // precomputation it does not have (see local/jira/emulator/jql-functions.ts).
  const jqlFunctionModules = modulesOf(manifest, 'jira:jqlFunction');
  const disconnectJqlFunctions = jira.connectJqlFunctions?.({
    functions: jqlFunctionModules.map((m) => ({
      key: m.key,
      name: String(m.name ?? ''),
      types: Array.isArray(m.types) ? m.types.map(String) : [],
      operators: Array.isArray(m.operators) ? m.operators.map(String) : [],
      arguments: Array.isArray(m.arguments) ? (m.arguments as Array<{ name?: unknown; required?: unknown }>).map((a) => ({ name: String(a.name ?? ''), required: a.required === true })) : [],
    })),
    evaluate: async (moduleKey, payload) => {
      const module = jqlFunctionModules.find((m) => m.key === moduleKey);
      if (!module?.function) throw new Error(`jira:jqlFunction '${moduleKey}' has no function in manifest.yml`);
      return callAsApp(module.function, moduleKey, [payload, { installContext }], false);
    },
  });

  const unsubscribe = jira.onIssueEvent((event: IssueEvent) => {
    const { selfGenerated, ...payload } = event;
    fire(event.eventType, payload, selfGenerated);
  });

  /**
   * Forge's checks before a resolver runs. Refusals are `LocalError`s (a status and a code from the app's
   * list), never a plain Error: the caller made the mistake, so it gets a 4xx, and nothing is logged.
   */
  async function invoke(functionKey: string, resolverKey: string, payload: unknown, ctx: InvokeContext): Promise<unknown> {
    if (!functionByKey.has(functionKey)) throw new LocalError(404, 'NOT_FOUND', `Function ${quoted(functionKey)} is not declared in manifest.yml.`);
    const { fn, handler } = handlerFor(functionKey);
    const delivered = checkInvokePayload(payload);
    const context = {
      accountId: ctx.accountId,
      cloudId,
      siteUrl,
      moduleKey: ctx.moduleKey,
      localId: ctx.localId,
      extension: ctx.extension ?? {},
      environmentType: 'DEVELOPMENT',
      installContext,
    };
    let result: unknown;
    const done = foreground.enter();
    try {
      // A resolver gets 25 s whatever its function declares: `timeoutSeconds` extends only functions that
      // consumers and scheduled triggers alone reference.
      result = await runTimedInvocation({ accountId: ctx.accountId, moduleKey: ctx.moduleKey, timeoutSeconds: RESOLVER_TIMEOUT_SECONDS, installationId }, clock, () =>
        handler({ call: { functionKey: resolverKey, payload: delivered }, context }, { principal: { accountId: ctx.accountId }, installContext, license: undefined, installation: undefined }),
      );
    } catch (e) {
      if (e instanceof FunctionTimeoutError) {
        // The app's fault: logged like a failed trigger, and the caller's invoke fails (never a hang).
        log(`resolver '${resolverKey}' of '${fn.key}' ran past ${RESOLVER_TIMEOUT_SECONDS} s and was stopped`, e);
        throw new LocalError(500, 'INTERNAL', `The resolver '${resolverKey}' ran past Forge's ${RESOLVER_TIMEOUT_SECONDS} s limit and was stopped.`);
      }
      // `@forge/resolver` throws this for a key nobody defined: the caller asked for something that is not there.
      if (e instanceof Error && e.message.startsWith('Resolver has no definition for ')) {
        throw new LocalError(404, 'NOT_FOUND', `Function ${quoted(functionKey)} has no definition for ${quoted(resolverKey)}.`);
      }
      throw e;
    } finally {
      done();
    }
    const text = result === undefined ? undefined : JSON.stringify(result);
    if (text !== undefined && Buffer.byteLength(text) > MAX_INVOKE_RESPONSE_BYTES) {
      // The app's fault, not the caller's: Forge fails the invocation.
      throw new LocalError(500, 'INTERNAL', `The answer is ${Math.ceil(Buffer.byteLength(text) / 1024)} KB; Forge returns at most 5 MB from an invoke.`);
    }
    return text === undefined ? undefined : JSON.parse(text);
  }

  return {
    root,
    manifest,
    kvs,
    jira,
    queue,
    clock,
    cloudId,
    siteUrl,
    errors,
    invoke,
    invokeForModule(moduleKey, resolverKey, payload, ctx) {
      const found = findModule(manifest, moduleKey);
      if (!found) throw new LocalError(404, 'NOT_FOUND', `Module ${quoted(moduleKey)} is not declared in manifest.yml.`);
      const functionKey = found.module.resolver?.function;
      if (!functionKey) throw new LocalError(404, 'NOT_FOUND', `Module ${quoted(moduleKey)} (${found.type}) has no resolver.function in manifest.yml.`);
      return invoke(functionKey, resolverKey, payload, { ...ctx, moduleKey });
    },
    install(installerAccountId) {
      const appId = manifest.appId ?? '';
      fire('avi:forge:installed:app', { eventType: 'avi:forge:installed:app', id: installationId, ...(installerAccountId ? { installerAccountId } : {}), app: { id: appId.split('/').pop() ?? appId, version: '1' } });
    },
    async runScheduledTrigger(key) {
      const module = modulesOf(manifest, 'scheduledTrigger').find((m) => m.key === key);
      if (!module?.function) throw new Error(`scheduledTrigger '${key}' is not declared in manifest.yml (or has no function)`);
      let reply: unknown;
      try {
        reply = await callAsApp(module.function, key, [{ context: { cloudId, moduleKey: key } }, { installContext }], true);
      } catch (e) {
        log(`scheduled trigger '${key}' failed`, e);
        throw e;
      }
      const refusal = checkScheduledReply(reply);
      if (refusal) {
        log(`scheduled trigger '${key}': ${refusal}`);
        throw new Error(`scheduled trigger '${key}': ${refusal}`);
      }
      return reply;
    },
    settle: (horizonSeconds?: number) => scheduler.settle(horizonSeconds),
    runAsApp: async (fn) => runInvocation({ installationId }, fn),
    runAsUser: async (accountId, fn) => runInvocation({ accountId, installationId }, fn),
    close() {
      unsubscribe();
      disconnectJqlFunctions?.();
      scheduler.close();
      uninstallRuntime();
      uninstallClock?.();
    },
  };
}
