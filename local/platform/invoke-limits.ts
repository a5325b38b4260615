/**
 * What Forge refuses before a resolver runs, and the typed refusal the local platform answers with. Sources
 * and choices are in docs/decisions/0008-invoke-limits.md.
 */
import { LocalError } from '../errors';
import type { Manifest, ManifestFunction } from './manifest';

/** Real ms each storage call takes on the local platform unless told otherwise (see `storageLatencyMs`). */
export const DEFAULT_STORAGE_LATENCY_MS = 20;

/** Forge's runtime limit for resolvers, triggers and every function not reserved for long work. */
export const RESOLVER_TIMEOUT_SECONDS = 25;
/** A function referenced only by consumers or scheduled triggers: 55 s unless `timeoutSeconds` says more. */
export const LONG_FUNCTION_DEFAULT_SECONDS = 55;
export const LONG_FUNCTION_MAX_SECONDS = 900;

/**
 * The limit Forge stops `fn` at ("Invocation limits"): `timeoutSeconds` (default 55, at most 900) for a
 * function that only consumers and scheduled triggers reference; 25 s for any other (resolvers, triggers),
 * whatever `timeoutSeconds` says.
 */
export function functionTimeoutSeconds(manifest: Manifest, fn: ManifestFunction): number {
  const users = Object.entries(manifest.modules).flatMap(([type, modules]) =>
    modules.filter((m) => m.function === fn.key || m.resolver?.function === fn.key).map(() => type),
  );
  const longOnly = users.length > 0 && users.every((type) => type === 'consumer' || type === 'scheduledTrigger');
  if (!longOnly) return RESOLVER_TIMEOUT_SECONDS;
  return Math.min(fn.timeoutSeconds ?? LONG_FUNCTION_DEFAULT_SECONDS, LONG_FUNCTION_MAX_SECONDS);
}

/**
 * What Forge makes of a scheduled trigger's reply ("Scheduled triggers" function reference): it must be an
 * object with an integer `statusCode`; 204 is success, a 5xx an error, and a reply without that structure is
 * recorded as 424 Failed dependency. Anything but 204 is a failure here. Returns why, or undefined when fine.
 */
export function checkScheduledReply(reply: unknown): string | undefined {
  const statusCode = typeof reply === 'object' && reply !== null ? (reply as { statusCode?: unknown }).statusCode : undefined;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode)) {
    return `answered ${JSON.stringify(reply)?.slice(0, 120) ?? 'nothing'}; Forge needs {statusCode: 204} and records 424 Failed dependency`;
  }
  if (statusCode !== 204) return `answered statusCode ${statusCode}; Forge counts only 204 as success`;
  return undefined;
}

/** Forge's limit on a front-end invocation request (`invoke` from `@forge/bridge`): 500 KB. */
export const MAX_INVOKE_REQUEST_BYTES = 500 * 1024;
/** Forge's limit on a front-end invocation response: 5 MB. */
export const MAX_INVOKE_RESPONSE_BYTES = 5 * 1024 * 1024;
/**
 * How deep a payload may nest (objects and arrays). Forge documents no depth limit; the app's deepest
 * payload is 3 levels (`settings/save`: payload, settings, estimateField). 64 leaves room for any honest
 * caller and keeps every recursive reader (JSON, zod, structured clone) far from the call stack's end.
 */
export const MAX_PAYLOAD_DEPTH = 64;

export function tooLarge(bytes: number): LocalError {
  return new LocalError(413, 'INVALID_INPUT', `The request is ${Math.ceil(bytes / 1024)} KB; Forge accepts at most ${MAX_INVOKE_REQUEST_BYTES / 1024} KB for an invoke.`);
}

export function tooDeep(): LocalError {
  return new LocalError(400, 'INVALID_INPUT', `The request nests deeper than ${MAX_PAYLOAD_DEPTH} levels.`);
}

/** Depth of a parsed value, walked without recursion; stops counting past `limit`. */
export function valueDepthExceeds(value: unknown, limit = MAX_PAYLOAD_DEPTH): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { v, d } = stack.pop() as { v: unknown; d: number };
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > limit) return true;
    // A cycle cannot cross JSON; treat it as too deep rather than loop.
    if (seen.has(v)) return true;
    seen.add(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push({ v: child, d: d + 1 });
  }
  return false;
}

/** Depth of JSON text (brackets outside strings), in one pass, so an over-deep body is refused before `JSON.parse`. */
export function jsonTextDepthExceeds(text: string, limit = MAX_PAYLOAD_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * Checks a payload as Forge would receive it: at most `MAX_PAYLOAD_DEPTH` deep (checked first, since
 * measuring the size serialises it) and at most 500 KB as JSON. Returns the payload as it arrives after
 * going through JSON, as Forge delivers it.
 */
export function checkInvokePayload(payload: unknown): unknown {
  if (valueDepthExceeds(payload)) throw tooDeep();
  let text: string | undefined;
  try {
    text = JSON.stringify(payload);
  } catch {
    throw new LocalError(400, 'INVALID_INPUT', 'The request cannot be sent as JSON.');
  }
  if (text === undefined) return undefined;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_INVOKE_REQUEST_BYTES) throw tooLarge(bytes);
  return JSON.parse(text) as unknown;
}
