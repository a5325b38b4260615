/**
 * Binds parsed JQL to one site and one caller, giving a predicate and a comparator. Everything the emulator
 * does not understand is refused with Jira's kind of 400 message: a silently wrong result would let the app
 * ship JQL that real Jira answers differently.
 */
import { JqlError, parseJqlCached, type Clause, type Operand, type OrderField } from './parse';

export type CategoryKey = 'new' | 'indeterminate' | 'done';

/** The view of an issue that JQL needs. */
export interface JqlIssue {
  id: string;
  key: string;
  projectId: string;
  projectKey: string;
  typeId: string;
  hierarchyLevel: number;
  statusId: string;
  categoryKey: CategoryKey;
  parentId: string | null;
  parentKey: string | null;
  summary: string;
  /** Epoch milliseconds. */
  created: number;
  updated: number;
  resolved: number | null;
  points: number | null;
  /** The app field's stored value: usually `{id, name}`, or null. */
  appValue: unknown;
}

export interface JqlSchema {
  /** Projects the caller may browse (others are "unknown", as in Jira). */
  projects: Array<{ id: string; key: string; name: string }>;
  issueTypes: Array<{ id: string; name: string; hierarchyLevel: number }>;
  statuses: Array<{ id: string; name: string; categoryKey: CategoryKey }>;
  categories: Array<{ id: string; key: CategoryKey; name: string }>;
  /** Resolve an issue key or id to its id, for `parent`/`key` values; undefined when unknown. */
  issueId(keyOrId: string): string | undefined;
  appField: { id: string; name: string };
  storyPointsField: { id: string; name: string };
  /** "Now" in epoch ms (the site's emulated clock). */
  now: number;
}

export interface BoundQuery {
  matches(issue: JqlIssue): boolean;
  compare(a: JqlIssue, b: JqlIssue): number;
  /** False when the query has no restriction clause (Jira refuses those on /search/jql). */
  bounded: boolean;
}

type Predicate = (issue: JqlIssue) => boolean;

const EQUALITY = new Set(['=', '!=', 'in', 'not in', 'is', 'is not']);
const ORDERING = new Set(['<', '<=', '>', '>=']);
const DAY = 86_400_000;

function fieldNotFound(name: string): JqlError {
  return new JqlError(`Field '${name}' does not exist or you do not have permission to view it.`);
}

function unsupportedOperator(op: string, field: string): JqlError {
  return new JqlError(`The operator '${op.toUpperCase()}' is not supported by the '${field}' field.`);
}

function customId(fieldId: string): string {
  return fieldId.replace(/^customfield_/, '');
}

/** Leaf values of an operand (functions are evaluated by the caller that knows their type). */
function operandValues(operand: Operand): Operand[] {
  return operand.kind === 'list' ? operand.values : [operand];
}

function checkOperandShape(op: string, operand: Operand, field: string): void {
  const isList = operand.kind === 'list';
  if ((op === 'in' || op === 'not in') && !isList && operand.kind !== 'function') {
    throw new JqlError(`The operator '${op.toUpperCase()}' for field '${field}' requires a list of values.`);
  }
  if ((op === 'is' || op === 'is not') && operand.kind !== 'empty') {
    throw new JqlError(`The operator '${op.toUpperCase()}' for field '${field}' only supports EMPTY or NULL.`);
  }
  if (operand.kind === 'empty' && op !== 'is' && op !== 'is not' && op !== '=' && op !== '!=') {
    throw new JqlError(`The operator '${op.toUpperCase()}' for field '${field}' does not support EMPTY.`);
  }
  if (isList && !(op === 'in' || op === 'not in')) {
    throw new JqlError(`The operator '${op.toUpperCase()}' for field '${field}' does not support a list of values.`);
  }
}

/**
 * A field that compares by identity (project, status, type...): each written value maps to a set of ids.
 * `=`/`IN` match when the issue's id is among them; `!=`/`NOT IN` match non-empty values not among them,
 * as Jira leaves empty values out of negative comparisons.
 */
function idClause(
  field: string,
  op: string,
  operand: Operand,
  resolve: (value: string) => string[],
  valueOf: (issue: JqlIssue) => string | null,
  functions: Record<string, () => string[]> = {},
): Predicate {
  if (ORDERING.has(op)) throw unsupportedOperator(op, field);
  if (!EQUALITY.has(op)) throw unsupportedOperator(op, field);
  checkOperandShape(op, operand, field);
  if (operand.kind === 'empty') {
    const wantEmpty = op === 'is' || op === '=';
    return (issue) => (valueOf(issue) === null) === wantEmpty;
  }
  const ids = new Set<string>();
  let listHasEmpty = false;
  for (const v of operandValues(operand)) {
    if (v.kind === 'empty') {
      listHasEmpty = true;
      continue;
    }
    if (v.kind === 'function') {
      const fn = functions[v.name.toLowerCase()];
      if (!fn) throw new JqlError(`Unable to find JQL function '${v.name}()' for field '${field}'.`);
      fn().forEach((id) => ids.add(id));
      continue;
    }
    if (v.kind !== 'value') throw new JqlError(`The field '${field}' does not support a nested list.`);
    const found = resolve(v.value);
    if (found.length === 0) throw new JqlError(`The value '${v.value}' does not exist for the field '${field}'.`);
    found.forEach((id) => ids.add(id));
  }
  const positive = op === '=' || op === 'in';
  return (issue) => {
    const value = valueOf(issue);
    if (value === null) return positive ? listHasEmpty : false;
    return ids.has(value) === positive;
  };
}

function compareNumbers(op: string, a: number, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return false;
  }
}

/** A numeric or date field: `=`, `!=`, ordering, `IN`, `NOT IN`, `IS [NOT] EMPTY`. */
function scalarClause(
  field: string,
  op: string,
  operand: Operand,
  toNumber: (value: Operand) => number,
  valueOf: (issue: JqlIssue) => number | null,
): Predicate {
  if (!EQUALITY.has(op) && !ORDERING.has(op)) throw unsupportedOperator(op, field);
  checkOperandShape(op, operand, field);
  if (operand.kind === 'empty') {
    const wantEmpty = op === 'is' || op === '=';
    return (issue) => (valueOf(issue) === null) === wantEmpty;
  }
  if (op === 'in' || op === 'not in') {
    const values = operandValues(operand).map(toNumber);
    const positive = op === 'in';
    return (issue) => {
      const v = valueOf(issue);
      return v !== null && values.includes(v) === positive;
    };
  }
  const target = toNumber(operand);
  return (issue) => {
    const v = valueOf(issue);
    return v !== null && compareNumbers(op, v, target);
  };
}

const RELATIVE_RE = /^([+-]?)\s*((?:\d+\s*[wdhm]\s*)+)$/i;

/** Jira's date operands: `2026-09-01`, `2026/09/01 10:00`, relative `-16w`, `-7d 4h`, and a few functions. */
export function dateOperand(operand: Operand, field: string, now: number): number {
  if (operand.kind === 'function') {
    const name = operand.name.toLowerCase();
    const base = operand.args[0] ? relativeMs(operand.args[0], field) : 0;
    const startOfToday = Math.floor(now / DAY) * DAY;
    switch (name) {
      case 'now':
        return now;
      case 'startofday':
        return Math.floor((now + base) / DAY) * DAY;
      case 'endofday':
        return Math.floor((now + base) / DAY) * DAY + DAY - 1;
      case 'startofweek': {
        // Jira's week starts on Sunday for the default locale.
        const weekday = new Date(startOfToday).getUTCDay();
        return startOfToday - weekday * DAY + base;
      }
      default:
        throw new JqlError(`Unable to find JQL function '${operand.name}()'.`);
    }
  }
  if (operand.kind !== 'value') throw new JqlError(`The field '${field}' needs a date value.`);
  const text = operand.value.trim();
  if (RELATIVE_RE.test(text)) return now + relativeMs(text, field);
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(text);
  if (m) {
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0));
    const d = new Date(t);
    if (d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])) return t;
  }
  throw new JqlError(
    `Date value '${operand.value}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
  );
}

function relativeMs(text: string, field: string): number {
  const m = RELATIVE_RE.exec(text.trim());
  if (!m) throw new JqlError(`Date value '${text}' for field '${field}' is invalid.`);
  const sign = m[1] === '-' ? -1 : 1;
  let total = 0;
  for (const part of (m[2] as string).matchAll(/(\d+)\s*([wdhm])/gi)) {
    const n = Number(part[1]);
    const unit = (part[2] as string).toLowerCase();
    total += n * (unit === 'w' ? 7 * DAY : unit === 'd' ? DAY : unit === 'h' ? 3_600_000 : 60_000);
  }
  return sign * total;
}

function numberOperand(field: string): (operand: Operand) => number {
  return (operand) => {
    if (operand.kind === 'value' && operand.value.trim() !== '' && Number.isFinite(Number(operand.value))) return Number(operand.value);
    const shown = operand.kind === 'value' ? operand.value : operand.kind;
    throw new JqlError(`The value '${shown}' is not a valid number for the field '${field}'.`);
  };
}

function lower(s: string): string {
  return s.trim().toLowerCase();
}

function appProperty(value: unknown, property: string): string | null {
  if (value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k.toLowerCase() === property.toLowerCase()) return v === null || v === undefined ? null : String(v);
  }
  return null;
}

/**
 * The app's object field as Forge documents it: the whole value is searched as text (`~`, `!~`) or for
 * emptiness, and a property only through its `searchAlias` (`Field.Alias = value`, which the parser accepts
 * for an unquoted field name only). `=`/`IN` on the whole value are not documented and are refused.
 */
function appFieldClause(field: string, property: string | null, op: string, operand: Operand): Predicate {
  const known = ['id', 'name'];
  if (property !== null && !known.includes(property.toLowerCase())) throw fieldNotFound(`${field}.${property}`);
  const shownField = property === null ? field : `${field}.${property}`;
  const candidates = (issue: JqlIssue): string[] | null => {
    if (issue.appValue === null || issue.appValue === undefined) return null;
    if (property !== null) {
      const v = appProperty(issue.appValue, property);
      return v === null ? null : [lower(v)];
    }
    return ['id', 'name'].map((p) => appProperty(issue.appValue, p)).filter((v): v is string => v !== null).map(lower);
  };
  if (op === '~' || op === '!~') {
    if (operand.kind !== 'value') throw unsupportedOperator(op, shownField);
    const needle = lower(operand.value);
    const positive = op === '~';
    return (issue) => {
      const c = candidates(issue);
      return c !== null && c.some((v) => v.includes(needle)) === positive;
    };
  }
  if (!EQUALITY.has(op)) throw unsupportedOperator(op, shownField);
  if (property === null && operand.kind !== 'empty') throw unsupportedOperator(op, shownField);
  checkOperandShape(op, operand, shownField);
  if (operand.kind === 'empty') {
    const wantEmpty = op === 'is' || op === '=';
    return (issue) => (candidates(issue) === null) === wantEmpty;
  }
  const values = new Set<string>();
  for (const v of operandValues(operand)) {
    if (v.kind !== 'value') throw new JqlError(`The field '${shownField}' does not support functions or EMPTY in a list.`);
    values.add(lower(v.value));
  }
  const positive = op === '=' || op === 'in';
  return (issue) => {
    const c = candidates(issue);
    if (c === null) return false;
    return c.some((v) => values.has(v)) === positive;
  };
}

function textClause(field: string, op: string, operand: Operand, valueOf: (issue: JqlIssue) => string): Predicate {
  if (op !== '~' && op !== '!~') throw unsupportedOperator(op, field);
  if (operand.kind !== 'value') throw new JqlError(`The operator '${op}' for field '${field}' needs a text value.`);
  const words = lower(operand.value).replace(/[*?]/g, '').split(/\s+/).filter(Boolean);
  const positive = op === '~';
  return (issue) => {
    const text = valueOf(issue).toLowerCase();
    return words.every((w) => text.includes(w)) === positive;
  };
}

type FieldKind =
  | 'project'
  | 'issuetype'
  | 'parent'
  | 'statusCategory'
  | 'status'
  | 'resolution'
  | 'resolved'
  | 'created'
  | 'updated'
  | 'key'
  | 'summary'
  | 'app'
  | 'points';

function fieldKind(schema: JqlSchema, field: string, property: string | null): FieldKind | null {
  const name = lower(field);
  const appCustom = `cf[${customId(schema.appField.id)}]`;
  const spCustom = `cf[${customId(schema.storyPointsField.id)}]`;
  if (name === appCustom || name === lower(schema.appField.name)) return 'app';
  if (property !== null) return null;
  if (name === spCustom || name === lower(schema.storyPointsField.name)) return 'points';
  switch (name) {
    case 'project':
      return 'project';
    case 'issuetype':
    case 'type':
      return 'issuetype';
    case 'parent':
      return 'parent';
    case 'statuscategory':
      return 'statusCategory';
    case 'status':
      return 'status';
    case 'resolved':
    case 'resolutiondate':
      return 'resolved';
    case 'created':
    case 'createddate':
      return 'created';
    case 'updated':
    case 'updateddate':
      return 'updated';
    case 'resolution':
      return 'resolution';
    case 'key':
    case 'issuekey':
    case 'id':
    case 'issue':
      return 'key';
    case 'summary':
      return 'summary';
    default:
      return null;
  }
}

/**
 * An issue named in `key`/`issue`/`parent`: a key the caller cannot see is refused (Jira's "does not exist"),
 * a numeric id matches nothing. App JQL functions return id lists that every user shares (precomputations are
 * not scoped to users), so an id the viewer may not browse must not fail their search; see
 * docs/platform-facts.md ("JQL that Jira accepts") for what is and is not verified about this.
 */
function issueValue(schema: JqlSchema): (value: string) => string[] {
  return (v) => {
    const id = schema.issueId(v.toUpperCase()) ?? schema.issueId(v);
    if (id !== undefined) return [id];
    return /^\d+$/.test(v.trim()) ? [`unseen:${v.trim()}`] : [];
  };
}

/** An unquoted `Name.prop` reaches us as one field name; split it when the whole name is not a field. */
function splitProperty(schema: JqlSchema, field: string, property: string | null): { field: string; property: string | null } {
  if (property !== null || fieldKind(schema, field, null) !== null) return { field, property };
  const dot = field.lastIndexOf('.');
  if (dot <= 0) return { field, property };
  return { field: field.slice(0, dot), property: field.slice(dot + 1) };
}

function termPredicate(schema: JqlSchema, term: Extract<Clause, { kind: 'term' }>): Predicate {
  const { field, property } = splitProperty(schema, term.field, term.property);
  const kind = fieldKind(schema, field, property);
  const op = term.operator;
  const operand = term.operand;
  const shown = property === null ? field : `${field}.${property}`;
  if (op === 'was' || op === 'was not' || op === 'was in' || op === 'was not in' || op === 'changed') {
    throw new JqlError(`The emulator does not support the history operator '${op.toUpperCase()}' (field '${shown}').`);
  }
  switch (kind) {
    case null:
      throw fieldNotFound(shown);
    case 'project':
      return idClause(
        'project',
        op,
        operand,
        (v) => schema.projects.filter((p) => p.id === v || p.key.toLowerCase() === lower(v) || lower(p.name) === lower(v)).map((p) => p.id),
        (i) => i.projectId,
      );
    case 'issuetype': {
      const byLevel = (keep: (level: number) => boolean) => () => schema.issueTypes.filter((t) => keep(t.hierarchyLevel)).map((t) => t.id);
      return idClause(
        'issuetype',
        op,
        operand,
        (v) => schema.issueTypes.filter((t) => t.id === v || lower(t.name) === lower(v)).map((t) => t.id),
        (i) => i.typeId,
        { standardissuetypes: byLevel((l) => l >= 0), subtaskissuetypes: byLevel((l) => l === -1) },
      );
    }
    case 'resolution': {
      // Jira's "Unresolved" is the empty resolution; every done status here resolves as "Done" (id 10000).
      const unresolved = (o: Operand): Operand => (o.kind === 'value' && lower(o.value) === 'unresolved' ? { kind: 'empty' } : o);
      let rewritten: Operand = operand.kind === 'list' ? { kind: 'list', values: operand.values.map(unresolved) } : unresolved(operand);
      let rewrittenOp = op;
      if (rewritten.kind === 'empty' && (op === '=' || op === '!=')) rewrittenOp = op === '=' ? 'is' : 'is not';
      if (rewritten.kind === 'list' && rewritten.values.every((v) => v.kind === 'empty') && rewritten.values.length === 1) {
        rewritten = { kind: 'empty' };
        rewrittenOp = op === 'in' ? 'is' : 'is not';
      }
      return idClause(
        'resolution',
        rewrittenOp,
        rewritten,
        (v) => (v === '10000' || lower(v) === 'done' ? ['10000'] : []),
        (i) => (i.resolved === null ? null : '10000'),
      );
    }
    case 'parent':
      return idClause(
        'parent',
        op,
        operand,
        issueValue(schema),
        (i) => i.parentId,
      );
    case 'statusCategory':
      return idClause(
        'statusCategory',
        op,
        operand,
        (v) => schema.categories.filter((c) => c.id === v || c.key === lower(v) || lower(c.name) === lower(v)).map((c) => c.id),
        (i) => schema.categories.find((c) => c.key === i.categoryKey)?.id ?? null,
      );
    case 'status':
      return idClause(
        'status',
        op,
        operand,
        (v) => schema.statuses.filter((s) => s.id === v || lower(s.name) === lower(v)).map((s) => s.id),
        (i) => i.statusId,
      );
    case 'resolved':
      return scalarClause(shown, op, operand, (o) => dateOperand(o, shown, schema.now), (i) => i.resolved);
    case 'created':
      return scalarClause(shown, op, operand, (o) => dateOperand(o, shown, schema.now), (i) => i.created);
    case 'updated':
      return scalarClause(shown, op, operand, (o) => dateOperand(o, shown, schema.now), (i) => i.updated);
    case 'key':
      return idClause(
        'key',
        op,
        operand,
        issueValue(schema),
        (i) => i.id,
      );
    case 'summary':
      return textClause('summary', op, operand, (i) => i.summary);
    case 'app':
      return appFieldClause(field, property, op, operand);
    case 'points':
      return scalarClause(shown, op, operand, numberOperand(shown), (i) => i.points);
  }
}

function compile(schema: JqlSchema, clause: Clause): Predicate {
  switch (clause.kind) {
    case 'and': {
      const parts = clause.clauses.map((c) => compile(schema, c));
      return (issue) => parts.every((p) => p(issue));
    }
    case 'or': {
      const parts = clause.clauses.map((c) => compile(schema, c));
      return (issue) => parts.some((p) => p(issue));
    }
    case 'not': {
      const inner = compile(schema, clause.clause);
      return (issue) => !inner(issue);
    }
    case 'term':
      return termPredicate(schema, clause);
  }
}

function keyParts(key: string): [string, number] {
  const dash = key.lastIndexOf('-');
  return [key.slice(0, dash), Number(key.slice(dash + 1))];
}

function compareKeys(a: JqlIssue, b: JqlIssue): number {
  const [pa, na] = keyParts(a.key);
  const [pb, nb] = keyParts(b.key);
  return pa < pb ? -1 : pa > pb ? 1 : na - nb;
}

function nullableCompare(a: number | null, b: number | null): number {
  // Jira sorts empty values last in ascending order.
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

const IGNORED_ORDER = new Set(['rank', 'priority', 'lastviewed']);

function comparator(schema: JqlSchema, orderBy: OrderField[]): (a: JqlIssue, b: JqlIssue) => number {
  const parts: Array<(a: JqlIssue, b: JqlIssue) => number> = [];
  for (const o of orderBy) {
    const name = lower(o.field);
    const sign = o.direction === 'desc' ? -1 : 1;
    if (IGNORED_ORDER.has(name)) continue;
    const kind = fieldKind(schema, o.field, null);
    switch (kind) {
      case 'key':
        parts.push((a, b) => sign * compareKeys(a, b));
        break;
      case 'created':
        parts.push((a, b) => sign * (a.created - b.created));
        break;
      case 'updated':
        parts.push((a, b) => sign * (a.updated - b.updated));
        break;
      case 'resolved':
        parts.push((a, b) => sign * nullableCompare(a.resolved, b.resolved));
        break;
      case 'points':
        parts.push((a, b) => sign * nullableCompare(a.points, b.points));
        break;
      case 'project':
        parts.push((a, b) => sign * (a.projectKey < b.projectKey ? -1 : a.projectKey > b.projectKey ? 1 : 0));
        break;
      case 'status':
      case 'resolution':
      case 'statusCategory':
      case 'issuetype':
      case 'parent':
      case 'summary':
      case 'app':
        throw new JqlError(`The emulator cannot order by '${o.field}'; order by key, created, resolved or the story points field.`);
      case null:
        throw new JqlError(`Not able to sort using field '${o.field}'.`);
    }
  }
  // Without an order Jira answers newest first; the id breaks ties so pages never overlap.
  if (parts.length === 0) parts.push((a, b) => b.created - a.created);
  parts.push((a, b) => Number(b.id) - Number(a.id));
  return (a, b) => {
    for (const p of parts) {
      const r = p(a, b);
      if (r !== 0) return r;
    }
    return 0;
  };
}

/** Parse (cached) and bind a query. Throws `JqlError` with a message fit for Jira's `errorMessages`. */
export function bindJql(jql: string, schema: JqlSchema): BoundQuery {
  const parsed = parseJqlCached(jql);
  const matches = parsed.where ? compile(schema, parsed.where) : () => true;
  return { matches, compare: comparator(schema, parsed.orderBy), bounded: parsed.where !== null };
}
