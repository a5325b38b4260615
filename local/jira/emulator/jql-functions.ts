/**
 * App JQL functions (`jira:jqlFunction`) as Jira runs them: a search whose JQL calls an app function has each
 * such clause replaced by the JQL fragment of its precomputation, one per (function, field, operator,
 * arguments); when there is none, Jira calls the app's function, stores what it returns, and uses it. The
 * app keeps its precomputations current through `GET`/`POST /rest/api/3/jql/function/computation`.
 *
 * Facts (https://developer.atlassian.com/cloud/jira/platform/jql-functions/, docs/platform-facts.md): the
 * function gets `{precomputationId, clause: {field, type, operator, functionName, arguments}}` and answers
 * `{jql}` or `{error, storeErrorAsPrecomputation?}`; a fragment holds at most 1,000 right-hand side values;
 * precomputations unused for 7 days are removed; the precomputation API is for apps only, and an app sees
 * only its own functions.
 */
import { randomUUID } from 'node:crypto';
import type { AppJqlFunction, AppJqlFunctionHost, ProductResponse } from '../../types';
import { JqlError, parseJqlCached, type Clause, type Operand } from '../jql/parse';
import { HttpError, bodyObject, intParam, isObject, json, noContent, type AddRoute, type Caller } from './http';
import type { EmulatorOptions } from './state';

/** Right-hand side values a returned fragment may hold. */
export const MAX_FRAGMENT_VALUES = 1000;
/** Precomputations not used for this long are removed. */
const TTL_MS = 7 * 86_400_000;
/** Fields of type `issue` in JQL, named as a precomputation records them. */
const ISSUE_FIELDS = new Set(['issue', 'issuekey', 'key', 'id']);

export interface Precomputation {
  id: string;
  functionKey: string;
  functionName: string;
  field: string;
  operator: string;
  arguments: string[];
  value?: string;
  error?: string;
  created: number;
  updated: number;
  used: number;
}

interface FunctionCall {
  fn: AppJqlFunction;
  field: string;
  operator: string;
  args: string[];
  position: [number, number];
}

function jiraTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function terms(clause: Clause | null, out: Array<Extract<Clause, { kind: 'term' }>> = []): Array<Extract<Clause, { kind: 'term' }>> {
  if (clause === null) return out;
  if (clause.kind === 'term') out.push(clause);
  else if (clause.kind === 'not') terms(clause.clause, out);
  else clause.clauses.forEach((c) => terms(c, out));
  return out;
}

function functionsIn(operand: Operand): Array<Extract<Operand, { kind: 'function' }>> {
  if (operand.kind === 'function') return [operand];
  if (operand.kind === 'list') return operand.values.flatMap(functionsIn);
  return [];
}

/** Right-hand side values of a parsed fragment: every value in a clause's operand, lists counted item by item. */
export function rightHandValues(clause: Clause | null): number {
  const count = (o: Operand): number => (o.kind === 'list' ? o.values.reduce((n, v) => n + count(v), 0) : 1);
  return terms(clause).reduce((n, t) => n + count(t.operand), 0);
}

export class AppJqlFunctions {
  private host: AppJqlFunctionHost | undefined;
  readonly precomputations = new Map<string, Precomputation>();
  private readonly prefix: string;

  constructor(options: EmulatorOptions) {
    const appUuid = options.appId.replace(/^ari:cloud:ecosystem::app\//, '');
    this.prefix = `ari:cloud:ecosystem::extension/${appUuid}/${options.environmentId}/static/`;
  }

  /** The local platform plugs the app's `jira:jqlFunction` modules in; returns a function that unplugs them. */
  connect(host: AppJqlFunctionHost): () => void {
    this.host = host;
    return () => {
      if (this.host === host) this.host = undefined;
    };
  }

  functionKey(fn: AppJqlFunction): string {
    return `${this.prefix}${fn.key}`;
  }

  private byName(name: string): AppJqlFunction | undefined {
    return this.host?.functions.find((f) => f.name.toLowerCase() === name.toLowerCase());
  }

  private prune(now: number): void {
    for (const [id, p] of this.precomputations) if (now - p.used > TTL_MS) this.precomputations.delete(id);
  }

  /**
   * The JQL with every app function clause replaced by its fragment (in parentheses). Throws HttpError 400 for
   * JQL the parser refuses, a function used against a field type or operator it does not declare, missing
   * arguments, an app error, or a fragment Jira would refuse.
   */
  async resolve(jql: string): Promise<string> {
    if (!this.host) return jql;
    let parsed;
    try {
      // Cached: a paged search sends the same (often 2 KB) JQL for every page, and parsing it took 30-80 ms.
      parsed = parseJqlCached(jql);
    } catch (e) {
      if (e instanceof JqlError) throw new HttpError(400, [e.message]);
      throw e;
    }
    const calls: FunctionCall[] = [];
    for (const term of terms(parsed.where)) {
      for (const f of functionsIn(term.operand)) {
        const fn = this.byName(f.name);
        if (!fn) continue;
        if (term.operand.kind !== 'function') throw new HttpError(400, [`The function '${f.name}' cannot be used inside a list.`]);
        calls.push({ fn, field: term.field, operator: term.operator, args: f.args, position: term.position });
      }
    }
    if (calls.length === 0) return jql;
    const fragments: string[] = [];
    for (const call of calls) fragments.push(await this.fragmentFor(call));
    // Replace from the end so earlier positions stay valid.
    let out = jql;
    const order = calls.map((c, i) => ({ c, f: fragments[i] as string })).sort((a, b) => b.c.position[0] - a.c.position[0]);
    for (const { c, f } of order) out = `${out.slice(0, c.position[0])}(${f})${out.slice(c.position[1])}`;
    return out;
  }

  private check(call: FunctionCall): string {
    const { fn } = call;
    const field = call.field.toLowerCase();
    const type = ISSUE_FIELDS.has(field) ? 'issue' : null;
    if (type === null || !fn.types.includes(type)) {
      throw new HttpError(400, [`Function '${fn.name}' is not supported for the field '${call.field}'.`]);
    }
    if (!fn.operators.map((o) => o.toLowerCase()).includes(call.operator)) {
      throw new HttpError(400, [`Function '${fn.name}' does not support the operator '${call.operator.toUpperCase()}'.`]);
    }
    const required = fn.arguments.filter((a) => a.required).length;
    if (call.args.length < required || call.args.length > fn.arguments.length) {
      throw new HttpError(400, [`Function '${fn.name}' expects ${required === fn.arguments.length ? required : `${required} to ${fn.arguments.length}`} argument(s) but got ${call.args.length}.`]);
    }
    return type;
  }

  private async fragmentFor(call: FunctionCall): Promise<string> {
    const field = this.check(call);
    const now = Date.now();
    this.prune(now);
    const functionKey = this.functionKey(call.fn);
    const sameArgs = (p: Precomputation) => p.arguments.length === call.args.length && p.arguments.every((a, i) => a === call.args[i]);
    let stored = [...this.precomputations.values()].find((p) => p.functionKey === functionKey && p.field === field && p.operator === call.operator && sameArgs(p));
    if (!stored) {
      const id = randomUUID();
      let answer: unknown;
      try {
        answer = await (this.host as AppJqlFunctionHost).evaluate(call.fn.key, {
          precomputationId: id,
          clause: { field, type: [field], operator: call.operator, functionName: call.fn.name, arguments: call.args },
        });
      } catch {
        // The app failed (threw, timed out): Jira answers the search with an error, not with a guess.
        throw new HttpError(400, [`The JQL function '${call.fn.name}' could not be evaluated. Try again later.`]);
      }
      const result = isObject(answer) ? answer : {};
      if (typeof result.jql === 'string') {
        this.validFragment(call.fn.name, result.jql);
        stored = { id, functionKey, functionName: call.fn.name, field, operator: call.operator, arguments: [...call.args], value: result.jql, created: now, updated: now, used: now };
        this.precomputations.set(id, stored);
      } else if (typeof result.error === 'string') {
        if (result.storeErrorAsPrecomputation === true) {
          this.precomputations.set(id, { id, functionKey, functionName: call.fn.name, field, operator: call.operator, arguments: [...call.args], error: result.error, created: now, updated: now, used: now });
        }
        throw new HttpError(400, [result.error]);
      } else {
        throw new HttpError(400, [`Function '${call.fn.name}' returned neither a JQL fragment nor an error.`]);
      }
    }
    stored.used = now;
    if (stored.error !== undefined || stored.value === undefined) throw new HttpError(400, [stored.error ?? `Function '${call.fn.name}' has no value.`]);
    return stored.value;
  }

  /** A fragment Jira would store: parseable, no app function inside, at most 1,000 right-hand side values. */
  private validFragment(name: string, fragment: string): void {
    let parsed;
    try {
      parsed = parseJqlCached(fragment);
    } catch (e) {
      if (e instanceof JqlError) throw new HttpError(400, [`Function '${name}' returned JQL that is not valid: ${e.message}`]);
      throw e;
    }
    if (parsed.orderBy.length > 0 || parsed.where === null) throw new HttpError(400, [`Function '${name}' must return a JQL clause without ORDER BY.`]);
    for (const t of terms(parsed.where)) {
      for (const f of functionsIn(t.operand)) {
        if (this.byName(f.name)) throw new HttpError(400, [`Function '${name}' returned JQL that calls the app function '${f.name}'.`]);
      }
    }
    const values = rightHandValues(parsed.where);
    if (values > MAX_FRAGMENT_VALUES) {
      throw new HttpError(400, [`Function '${name}' returned JQL with ${values} right-hand side values; the limit is ${MAX_FRAGMENT_VALUES}.`]);
    }
  }

  routes(route: AddRoute): void {
    const appOnly = (caller: Caller) => {
      if (caller.kind !== 'app') throw new HttpError(403, ['This API is only accessible to apps.']);
    };
    route('GET', '/rest/api/3/jql/function/computation', (ctx): ProductResponse => {
      appOnly(ctx.caller);
      this.prune(Date.now());
      const startAt = intParam(ctx.query, 'startAt', 0, Number.MAX_SAFE_INTEGER);
      const maxResults = Math.max(1, intParam(ctx.query, 'maxResults', 100, 100));
      const keys = ctx.query.getAll('functionKey').flatMap((k) => k.split(',')).filter(Boolean);
      const orderBy = ctx.query.get('orderBy') ?? 'functionKey';
      const sortKey = orderBy.replace(/^[-+]/, '');
      if (!['functionKey', 'used', 'created', 'updated'].includes(sortKey)) throw new HttpError(400, [`Invalid orderBy '${orderBy}'.`]);
      const sign = orderBy.startsWith('-') ? -1 : 1;
      const mine = [...this.precomputations.values()].filter((p) => p.functionKey.startsWith(this.prefix) && (keys.length === 0 || keys.includes(p.functionKey)));
      mine.sort((a, b) => {
        const x = a[sortKey as keyof Precomputation];
        const y = b[sortKey as keyof Precomputation];
        const c = String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
        return sign * (typeof x === 'number' && typeof y === 'number' ? x - y : c) || (a.id < b.id ? -1 : 1);
      });
      const page = mine.slice(startAt, startAt + maxResults);
      return json(200, {
        isLast: startAt + page.length >= mine.length,
        maxResults,
        startAt,
        total: mine.length,
        values: page.map((p) => ({
          id: p.id,
          functionKey: p.functionKey,
          functionName: p.functionName,
          field: p.field,
          operator: p.operator,
          arguments: p.arguments,
          ...(p.value !== undefined ? { value: p.value } : {}),
          ...(p.error !== undefined ? { error: p.error } : {}),
          created: jiraTime(p.created),
          updated: jiraTime(p.updated),
          used: jiraTime(p.used),
        })),
      });
    });
    route('POST', '/rest/api/3/jql/function/computation', (ctx): ProductResponse => {
      appOnly(ctx.caller);
      const body = bodyObject(ctx);
      if (!Array.isArray(body.values)) throw new HttpError(400, ["'values' must be a list of precomputation updates."]);
      const skipNotFound = ctx.query.get('skipNotFoundPrecomputations') === 'true';
      const updates = body.values.map((v: unknown) => {
        if (!isObject(v) || typeof v.id !== 'string') throw new HttpError(400, ['Each precomputation update needs a string id.']);
        if (v.value !== undefined && typeof v.value !== 'string') throw new HttpError(400, [`Precomputation ${v.id}: 'value' must be a string.`]);
        if (v.error !== undefined && typeof v.error !== 'string') throw new HttpError(400, [`Precomputation ${v.id}: 'error' must be a string.`]);
        return { id: v.id, value: v.value as string | undefined, error: v.error as string | undefined };
      });
      const notFound = updates.filter((u) => {
        const p = this.precomputations.get(u.id);
        return !p || !p.functionKey.startsWith(this.prefix);
      });
      if (notFound.length > 0 && !skipNotFound) {
        return json(404, { errorMessages: ['Some precomputations were not found.'], notFoundPrecomputationIDs: notFound.map((u) => u.id) });
      }
      // Check every update before applying any: nothing half-written.
      for (const u of updates) {
        const p = this.precomputations.get(u.id);
        if (p && u.value !== undefined) this.validFragment(p.functionName, u.value);
      }
      const now = Date.now();
      for (const u of updates) {
        const p = this.precomputations.get(u.id);
        if (!p || !p.functionKey.startsWith(this.prefix)) continue;
        if (u.error !== undefined) {
          p.error = u.error;
          delete p.value;
        } else if (u.value !== undefined) {
          p.value = u.value;
          delete p.error;
        }
        p.updated = now;
      }
      // Jira's OpenAPI: 204 when every update applied, 200 naming the ids it skipped.
      return notFound.length > 0 ? json(200, { notFoundPrecomputationIDs: notFound.map((u) => u.id) }) : noContent();
    });
  }
}
