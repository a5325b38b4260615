/**
 * The one wrapper around every resolver: validate the payload against its schema, run the handler, and
 * answer the envelope. Expected failures become `{ok:false, error}`; anything unexpected is logged and
 * reported as INTERNAL with a generic message, so no stack trace or Jira body reaches a person.
 */
import type Resolver from '@forge/resolver';
import type { ApiError, Envelope, PayloadOf, ResolverKey, ResponseOf } from '../contract';
import { describeInvalid, PAYLOADS, type ParsedPayload } from '../contract/schemas';
import { AppError, forgePlatformError, type Result } from '../domain/errors';

export interface Caller {
  accountId: string;
  /** The issue or project the surface shows, as Jira put it in the context. */
  extension: Record<string, unknown>;
}

export type Handler<K extends ResolverKey> = (
  payload: ParsedPayload<K>,
  caller: Caller,
) => Promise<Result<ResponseOf<K>> | ResponseOf<K>>;

function isResult<T>(value: unknown): value is Result<T> {
  return typeof value === 'object' && value !== null && 'ok' in value && typeof (value as { ok: unknown }).ok === 'boolean'
    && ('value' in value || 'error' in value);
}

/** Runs one resolver call and always answers the envelope. */
export async function runResolver<K extends ResolverKey>(
  key: K,
  rawPayload: unknown,
  rawContext: unknown,
  handler: Handler<K>,
): Promise<Envelope<ResponseOf<K>>> {
  try {
    const context = (typeof rawContext === 'object' && rawContext !== null ? rawContext : {}) as Record<string, unknown>;
    const accountId = context.accountId;
    if (typeof accountId !== 'string' || accountId === '') {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'Sign in to Jira to use this app.' } };
    }
    const parsed = PAYLOADS[key].safeParse(rawPayload);
    if (!parsed.success) return { ok: false, error: describeInvalid(parsed.error) };
    const extension = (typeof context.extension === 'object' && context.extension !== null ? context.extension : {}) as Record<string, unknown>;
    const result = await handler(parsed.data as ParsedPayload<K>, { accountId, extension });
    if (isResult<ResponseOf<K>>(result)) {
      return result.ok ? { ok: true, data: result.value } : { ok: false, error: result.error };
    }
    return { ok: true, data: result };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toInfo() };
    // Forge shows the user its consent screen for this error, but only if it leaves the resolver.
    if (forgePlatformError(error) === 'consent') throw error;
    console.error(`resolver ${key} failed`, error instanceof Error ? (error.stack ?? error.message) : error);
    return { ok: false, error: { code: 'INTERNAL', message: 'Something went wrong in the app. Try again; if it keeps happening, tell your Jira administrator.' } };
  }
}

// The keys each Resolver was given through `define`, so `definitions` can refuse every other key.
const definedKeys = new WeakMap<Resolver, Set<string>>();

/** Registers `key` on a Resolver with the envelope wrapper. */
export function define<K extends ResolverKey>(resolver: Resolver, key: K, handler: Handler<K>): void {
  resolver.define(key, (request: { payload: PayloadOf<K>; context: unknown }) => runResolver(key, request.payload, request.context, handler));
  const keys = definedKeys.get(resolver) ?? new Set<string>();
  keys.add(key);
  definedKeys.set(resolver, keys);
}

/** What the app answers for a resolver key this surface does not define. */
export const UNKNOWN_KEY_ERROR: ApiError = { code: 'NOT_FOUND', message: 'This part of the app has no such action. Reload the page; if it keeps happening, tell your Jira administrator.' };

/**
 * The function handler for a surface: `resolver.getDefinitions()`, except that a key the surface does not
 * define answers the envelope (NOT_FOUND) instead of throwing. `@forge/resolver` throws for an unknown key,
 * and looks keys up with `in`, so `toString` or `__proto__` would reach `Object.prototype`; the key is not
 * echoed, since it is whatever the caller sent.
 */
export function definitions(resolver: Resolver): ReturnType<Resolver['getDefinitions']> {
  const handler = resolver.getDefinitions();
  return async (request, runtime) => {
    const key: unknown = (request as { call?: { functionKey?: unknown } } | null)?.call?.functionKey;
    if (typeof key !== 'string' || !(definedKeys.get(resolver)?.has(key) ?? false)) {
      return { ok: false, error: UNKNOWN_KEY_ERROR } satisfies Envelope<never>;
    }
    return handler(request, runtime);
  };
}
