/**
 * What Forge refuses before a resolver runs, and the typed refusal the local platform answers with. Sources
 * and choices are in docs/decisions/0008-invoke-limits.md.
 */
import { LocalError } from '../errors';

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
