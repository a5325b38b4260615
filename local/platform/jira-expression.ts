/**
 * A small, strict evaluator for the subset of Jira expressions the manifest uses (formatter, `edit.validation`,
 * `jiraExpression` display conditions). Jira evaluates these on its side; the local platform must evaluate them
 * the same way or refuse them, never guess. So anything outside the subset is refused when the manifest loads:
 * other syntax (`let`, calls, arrow functions, lists, maps, templates, `<`, `-`), context variables the module
 * does not get, and properties of Jira's types the local platform does not model (`issue.summary`).
 *
 * Grammar: `c ? a : b`, `||`, `&&`, `==`, `!=`, `+`, `!`, `x.name`, `x?.name`, `( )`, `null`, `true`, `false`,
 * numbers, '...' / "..." strings, context variables.
 *
 * Semantics, as strict as Jira's or stricter (see docs/platform-facts.md): `.` on null fails, and so does `.`
 * of a key a map (an object field's value) does not hold; `?.` gives null in both cases. `&&`, `||`, `!` and
 * `?:` take booleans only. `+` adds two numbers or joins two strings (a string and a number too); anything
 * with null fails.
 */

/** A failure while evaluating: Jira fails the expression (a formatter shows nothing, a condition is false). */
export class JiraExpressionError extends Error {}

/** What a context variable or property holds, for the load-time check: a Jira type's modelled properties, a
 *  scalar, or a map (an object field's value: any key). */
export type Shape = 'scalar' | 'map' | { readonly [property: string]: Shape };

const ISSUE_TYPE: Shape = { id: 'scalar', name: 'scalar', hierarchyLevel: 'scalar' };
const ISSUE: Shape = { id: 'scalar', key: 'scalar', issueType: ISSUE_TYPE };
const PROJECT: Shape = { id: 'scalar', key: 'scalar' };
const USER: Shape = { accountId: 'scalar' };

/** Context variables per use, as Forge documents them, limited to the properties modelled here. */
export const EXPRESSION_CONTEXTS = {
  /** `jiraExpression` display conditions on issue view modules. */
  displayCondition: { user: USER, issue: ISSUE, project: PROJECT },
  /** A custom field's `edit.validation.expression`. */
  validation: { user: USER, issue: ISSUE, project: PROJECT, fieldId: 'scalar', value: 'map' },
  /** A custom field's `view.formatter.expression` (an `object` field: `value` is a map). */
  formatter: { user: USER, issue: ISSUE, project: PROJECT, fieldId: 'scalar', value: 'map' },
} as const satisfies Record<string, Record<string, Shape>>;

type Node =
  | { k: 'lit'; value: null | boolean | number | string }
  | { k: 'var'; name: string }
  | { k: 'member'; object: Node; name: string; optional: boolean }
  | { k: 'not'; operand: Node }
  | { k: 'bin'; op: '==' | '!=' | '&&' | '||' | '+'; left: Node; right: Node }
  | { k: 'cond'; test: Node; then: Node; else: Node };

type Token = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 'id'; v: string } | { t: 'op'; v: string };

const OPERATORS = ['?.', '==', '!=', '&&', '||', '(', ')', '?', ':', '.', '!', '+'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i += 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ t: 'id', v: m[0] });
      i += m[0].length;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\') throw new SyntaxError('escapes in strings are outside the subset');
        v += source[j];
        j += 1;
      }
      if (j >= source.length) throw new SyntaxError('unterminated string');
      tokens.push({ t: 'str', v });
      i = j + 1;
    } else {
      // `==` must not swallow the `=` of `===`, which Jira expressions do not have.
      const op = OPERATORS.find((o) => source.startsWith(o, i) && !(o === '==' || o === '!=' ? source[i + 2] === '=' : false));
      if (!op) throw new SyntaxError(`'${source.slice(i, i + 3)}' is outside the subset`);
      tokens.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  return tokens;
}

function parse(source: string): Node {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const isOp = (v: string): boolean => peek()?.t === 'op' && peek()?.v === v;
  const expect = (v: string): void => {
    if (!isOp(v)) throw new SyntaxError(`'${v}' expected`);
    at += 1;
  };
  const conditional = (): Node => {
    const test = binary(0);
    if (!isOp('?')) return test;
    at += 1;
    const then = conditional();
    expect(':');
    return { k: 'cond', test, then, else: conditional() };
  };
  const LEVELS: string[][] = [['||'], ['&&'], ['==', '!='], ['+']];
  const binary = (level: number): Node => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const op = (LEVELS[level] as string[]).find(isOp);
      if (!op) return left;
      at += 1;
      left = { k: 'bin', op: op as '==', left, right: binary(level + 1) };
    }
  };
  const unary = (): Node => {
    if (!isOp('!')) return member();
    at += 1;
    return { k: 'not', operand: unary() };
  };
  const member = (): Node => {
    let node = primary();
    while (isOp('.') || isOp('?.')) {
      const optional = isOp('?.');
      at += 1;
      const name = peek();
      if (name?.t !== 'id') throw new SyntaxError('property name expected');
      at += 1;
      node = { k: 'member', object: node, name: name.v, optional };
    }
    if (isOp('(')) throw new SyntaxError('calls are outside the subset');
    return node;
  };
  const primary = (): Node => {
    const token = peek();
    if (!token) throw new SyntaxError('unexpected end');
    at += 1;
    if (token.t === 'num' || token.t === 'str') return { k: 'lit', value: token.v };
    if (token.t === 'id') {
      if (token.v === 'null') return { k: 'lit', value: null };
      if (token.v === 'true' || token.v === 'false') return { k: 'lit', value: token.v === 'true' };
      if (['let', 'new', 'typeof', 'undefined'].includes(token.v)) throw new SyntaxError(`'${token.v}' is outside the subset`);
      return { k: 'var', name: token.v };
    }
    if (token.v === '(') {
      const inner = conditional();
      expect(')');
      return inner;
    }
    throw new SyntaxError(`'${token.v}' unexpected`);
  };
  const node = conditional();
  if (at < tokens.length) throw new SyntaxError(`'${String(tokens[at]?.v)}' unexpected`);
  return node;
}

/** The load-time check: variables the use offers, properties the local platform models. */
function check(node: Node, context: Record<string, Shape>): Shape {
  switch (node.k) {
    case 'lit':
      return 'scalar';
    case 'var': {
      const shape = context[node.name];
      if (!shape) throw new SyntaxError(`'${node.name}' is not a context variable here (available: ${Object.keys(context).join(', ')})`);
      return shape;
    }
    case 'member': {
      const shape = check(node.object, context);
      if (shape === 'map') return 'scalar';
      if (shape === 'scalar') throw new SyntaxError(`property '${node.name}' of a scalar is outside the subset`);
      const inner = shape[node.name];
      if (!inner) throw new SyntaxError(`property '${node.name}' is outside the modelled subset (${Object.keys(shape).join(', ')})`);
      return inner;
    }
    case 'not':
      check(node.operand, context);
      return 'scalar';
    case 'bin':
      check(node.left, context);
      check(node.right, context);
      return 'scalar';
    case 'cond': {
      check(node.test, context);
      const a = check(node.then, context);
      const b = check(node.else, context);
      return a === b ? a : 'scalar';
    }
  }
}

function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new JiraExpressionError(`${what} needs a Boolean, got ${value === null ? 'null' : typeof value}`);
  return value;
}

function run(node: Node, vars: Record<string, unknown>): unknown {
  switch (node.k) {
    case 'lit':
      return node.value;
    case 'var':
      return vars[node.name] ?? null;
    case 'member': {
      const object = run(node.object, vars);
      if (object === null || object === undefined) {
        if (node.optional) return null;
        throw new JiraExpressionError(`cannot read '${node.name}' of null`);
      }
      if (typeof object !== 'object' || !Object.prototype.hasOwnProperty.call(object, node.name)) {
        if (node.optional) return null;
        throw new JiraExpressionError(`'${node.name}' does not exist on the value`);
      }
      return (object as Record<string, unknown>)[node.name] ?? null;
    }
    case 'not':
      return !bool(run(node.operand, vars), '!');
    case 'cond':
      return bool(run(node.test, vars), '?:') ? run(node.then, vars) : run(node.else, vars);
    case 'bin': {
      if (node.op === '&&') return bool(run(node.left, vars), '&&') && bool(run(node.right, vars), '&&');
      if (node.op === '||') return bool(run(node.left, vars), '||') || bool(run(node.right, vars), '||');
      const left = run(node.left, vars);
      const right = run(node.right, vars);
      if (node.op === '==') return left === right;
      if (node.op === '!=') return left !== right;
      if (typeof left === 'number' && typeof right === 'number') return left + right;
      const joinable = (v: unknown) => typeof v === 'string' || typeof v === 'number';
      if (joinable(left) && joinable(right) && (typeof left === 'string' || typeof right === 'string')) return String(left) + String(right);
      throw new JiraExpressionError(`cannot add ${left === null ? 'null' : typeof left} and ${right === null ? 'null' : typeof right}`);
    }
  }
}

export interface JiraExpression {
  readonly source: string;
  /** Throws `JiraExpressionError` where Jira's evaluation would fail. */
  evaluate(vars: Record<string, unknown>): unknown;
}

/**
 * Parse and check an expression for one use; throws (with `where` in the message) when it is outside the subset,
 * so the manifest fails to load rather than being half-honoured.
 */
export function compileJiraExpression(source: string, context: Record<string, Shape>, where: string): JiraExpression {
  let node: Node;
  try {
    node = parse(source);
    check(node, context);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${where}: the Jira expression ${JSON.stringify(source)} is outside what the local platform evaluates: ${reason}`, { cause: error });
  }
  return { source, evaluate: (vars) => run(node, vars) };
}
