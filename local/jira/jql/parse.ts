/**
 * JQL text -> a small plain IR, using Atlassian's own parser (`@atlaskit/jql-ast`). The IR holds no parent
 * links (the AST's nodes do, so it cannot be cached as JSON or compared), and field names are already mapped
 * back from the placeholders used to get `"Quoted name".prop` and `cf[N].prop` past the parser.
 */
import { JastBuilder } from '@atlaskit/jql-ast';

export class JqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JqlError';
  }
}

export type Operand =
  | { kind: 'value'; value: string }
  | { kind: 'list'; values: Operand[] }
  | { kind: 'empty' }
  | { kind: 'function'; name: string; args: string[] };

export type Clause =
  | { kind: 'and' | 'or'; clauses: Clause[] }
  | { kind: 'not'; clause: Clause }
  | { kind: 'term'; field: string; property: string | null; operator: string; operand: Operand };

export interface OrderField {
  field: string;
  direction: 'asc' | 'desc';
}

export interface ParsedJql {
  where: Clause | null;
  orderBy: OrderField[];
}

interface AliasRef {
  field: string;
  property: string;
}

/**
 * The parser rejects a property after a quoted field name or after `cf[N]`; swap each such reference for a
 * plain identifier it accepts, remembering what it stood for. String literals are skipped so that a value
 * such as `"a".b` inside quotes is never touched.
 */
export function rewriteAliases(jql: string): { text: string; aliases: Map<string, AliasRef> } {
  const aliases = new Map<string, AliasRef>();
  let out = '';
  let i = 0;
  while (i < jql.length) {
    const ch = jql[i] as string;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < jql.length && jql[j] !== ch) j += jql[j] === '\\' ? 2 : 1;
      const literal = jql.slice(i, j + 1);
      const prop = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(jql.slice(j + 1));
      if (prop && j < jql.length) {
        const placeholder = `__jqlalias${aliases.size}__`;
        aliases.set(placeholder.toLowerCase(), { field: literal.slice(1, -1).replace(/\\(.)/g, '$1'), property: prop[1] as string });
        out += placeholder;
        i = j + 1 + prop[0].length;
      } else {
        out += literal;
        i = j + 1;
      }
      continue;
    }
    const cf = /^cf\[(\d+)\]\.([A-Za-z_][A-Za-z0-9_]*)/i.exec(jql.slice(i));
    const prevIsWord = i > 0 && /[A-Za-z0-9_]/.test(jql[i - 1] as string);
    if (cf && !prevIsWord) {
      const placeholder = `__jqlalias${aliases.size}__`;
      aliases.set(placeholder.toLowerCase(), { field: `cf[${cf[1]}]`, property: cf[2] as string });
      out += placeholder;
      i += cf[0].length;
      continue;
    }
    out += ch;
    i += 1;
  }
  return { text: out, aliases };
}

/* The AST types are wide unions with parent links; read them through this narrow structural view. */
interface AstNode {
  clauseType?: string;
  operator?: { value?: string };
  clauses?: AstNode[];
  clause?: AstNode;
  field?: { value?: string; text?: string };
  operand?: AstOperand;
}
interface AstOperand {
  operandType?: string;
  value?: string;
  values?: AstOperand[];
  function?: { value?: string };
  arguments?: Array<{ value?: string }>;
}

function toOperand(op: AstOperand | undefined): Operand {
  switch (op?.operandType) {
    case 'value':
      return { kind: 'value', value: op.value ?? '' };
    case 'keyword':
      return { kind: 'empty' };
    case 'list':
      return { kind: 'list', values: (op.values ?? []).map(toOperand) };
    case 'function':
      return { kind: 'function', name: op.function?.value ?? '', args: (op.arguments ?? []).map((a) => a.value ?? '') };
    case undefined:
    default:
      throw new JqlError('Error in the JQL Query: a clause is missing its value.');
  }
}

function toClause(node: AstNode, aliases: Map<string, AliasRef>): Clause {
  switch (node.clauseType) {
    case 'compound': {
      const kind = node.operator?.value === 'or' ? 'or' : 'and';
      return { kind, clauses: (node.clauses ?? []).map((c) => toClause(c, aliases)) };
    }
    case 'not':
      if (!node.clause) throw new JqlError('Error in the JQL Query: NOT needs a clause.');
      return { kind: 'not', clause: toClause(node.clause, aliases) };
    case 'terminal': {
      const name = node.field?.value ?? '';
      const alias = aliases.get(name.toLowerCase());
      const operator = (node.operator?.value ?? '').toLowerCase();
      if (!operator) throw new JqlError(`Error in the JQL Query: the clause on '${name}' has no operator.`);
      return {
        kind: 'term',
        field: alias ? alias.field : name,
        property: alias ? alias.property : null,
        operator,
        operand: toOperand(node.operand),
      };
    }
    case undefined:
    default:
      throw new JqlError(`Error in the JQL Query: unsupported clause '${String(node.clauseType)}'.`);
  }
}

interface ParserError {
  message?: string;
}

/** Parse JQL with a fresh `JastBuilder` (an instance caches on its input). Throws `JqlError`. */
export function parseJql(jql: string): ParsedJql {
  const { text, aliases } = rewriteAliases(jql);
  const jast = new JastBuilder().build(text);
  const errors = jast.errors as unknown as ParserError[];
  if (errors.length > 0) {
    let message = errors[0]?.message ?? 'syntax error';
    for (const [placeholder, ref] of aliases) {
      message = message.split(placeholder).join(`${ref.field}.${ref.property}`);
    }
    throw new JqlError(`Error in the JQL Query: ${message}`);
  }
  const query = jast.query as unknown as { where?: AstNode; orderBy?: { fields?: Array<{ field?: { value?: string }; direction?: { value?: string } }> } };
  if (!query) return { where: null, orderBy: [] };
  const where = query.where ? toClause(query.where, aliases) : null;
  const orderBy = (query.orderBy?.fields ?? []).map((f) => ({
    field: f.field?.value ?? '',
    direction: (f.direction?.value ?? '').toLowerCase() === 'desc' ? ('desc' as const) : ('asc' as const),
  }));
  return { where, orderBy };
}

const cache = new Map<string, ParsedJql>();
const CACHE_LIMIT = 500;

/** `parseJql` with a bounded cache: parsing costs about half a millisecond and hot paths repeat queries. */
export function parseJqlCached(jql: string): ParsedJql {
  const hit = cache.get(jql);
  if (hit) return hit;
  const parsed = parseJql(jql);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(jql, parsed);
  return parsed;
}
