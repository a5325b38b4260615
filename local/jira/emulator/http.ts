/** What every emulated route shares: the caller, Jira's error and JSON shapes, and the checks on input. */
import { isRecord as isObject, type ProductResponse } from '../../types';
import type { SiteUser } from '../site';

export type Caller = { kind: 'app' } | { kind: 'user'; user: SiteUser };

export interface Ctx {
  caller: Caller;
  query: URLSearchParams;
  body: unknown;
  params: string[];
}

/** A route's answer; a search that calls an app JQL function waits for the app, so a handler may be async. */
export type Handler = (ctx: Ctx) => ProductResponse | Promise<ProductResponse>;

/** Adds a route: a method and a path template with `{name}` parameters. */
export type AddRoute = (method: string, template: string, handler: Handler) => void;

/** Jira's error answer: `errorMessages` and field `errors`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }
}

export { isObject };

export const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };

/** Objects a read returned, for its points: issues of a search page, values of a paged list, items of a list, else one. */
export function objectsIn(parsed: unknown): number {
  if (Array.isArray(parsed)) return parsed.length;
  if (typeof parsed !== 'object' || parsed === null) return 1;
  const record = parsed as Record<string, unknown>;
  for (const list of ['issues', 'values', 'projectPermissions', 'queries']) {
    if (Array.isArray(record[list])) return (record[list] as unknown[]).length;
  }
  return 1;
}

/**
 * What `objectsIn` found in a `json()` answer's value, kept with the answer: counting it again meant parsing
 * every answer's JSON a second time (seconds of a big site's build, with the server unable to answer).
 */
const counted = new WeakMap<ProductResponse, number>();

export function countedObjects(response: ProductResponse): number | undefined {
  return counted.get(response);
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): ProductResponse {
  const response = { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
  counted.set(response, objectsIn(body));
  return response;
}

export function noContent(): ProductResponse {
  return { status: 204, headers: {}, body: null };
}

export function bodyObject(ctx: Ctx): Record<string, unknown> {
  if (!isObject(ctx.body)) throw new HttpError(400, ['The request body is missing or is not a JSON object.']);
  return ctx.body;
}

export function intParam(q: URLSearchParams, name: string, fallback: number, max: number): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, [`The '${name}' parameter must be a non-negative integer.`]);
  return Math.min(n, max);
}

export function toStringList(v: unknown, name: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new HttpError(400, [`'${name}' must be a list of strings.`]);
}
