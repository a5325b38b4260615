/**
 * JQL text -> a small plain IR, using Atlassian's own parser (`@atlaskit/jql-ast`). The IR holds no parent
 * links (the AST's nodes do, so it cannot be cached as JSON or compared). Nothing is rewritten before parsing:
 * what Atlassian's parser refuses (`"Quoted name".prop`, `cf[N].prop`) is refused here too, with Jira's 400.
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
  | { kind: 'term'; field: string; property: string | null; operator: string; operand: Operand; position: [number, number] };

export interface OrderField {
  field: string;
  direction: 'asc' | 'desc';
}

export interface ParsedJql {
  where: Clause | null;
  orderBy: OrderField[];
}

/* The AST types are wide unions with parent links; read them through this narrow structural view. */
interface AstNode {
  clauseType?: string;
  operator?: { value?: string };
  clauses?: AstNode[];
  clause?: AstNode;
  field?: { value?: string; text?: string };
  operand?: AstOperand;
  position?: [number, number];
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

function toClause(node: AstNode): Clause {
  switch (node.clauseType) {
    case 'compound': {
      const kind = node.operator?.value === 'or' ? 'or' : 'and';
      return { kind, clauses: (node.clauses ?? []).map((c) => toClause(c)) };
    }
    case 'not':
      if (!node.clause) throw new JqlError('Error in the JQL Query: NOT needs a clause.');
      return { kind: 'not', clause: toClause(node.clause) };
    case 'terminal': {
      const name = node.field?.value ?? '';
      const operator = (node.operator?.value ?? '').toLowerCase();
      if (!operator) throw new JqlError(`Error in the JQL Query: the clause on '${name}' has no operator.`);
      return {
        kind: 'term',
        field: name,
        property: null,
        operator,
        operand: toOperand(node.operand),
        position: node.position ?? [0, 0],
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
  const jast = new JastBuilder().build(jql);
  const errors = jast.errors as unknown as ParserError[];
  if (errors.length > 0) throw new JqlError(`Error in the JQL Query: ${errors[0]?.message ?? 'syntax error'}`);
  const query = jast.query as unknown as { where?: AstNode; orderBy?: { fields?: Array<{ field?: { value?: string }; direction?: { value?: string } }> } };
  if (!query) return { where: null, orderBy: [] };
  const where = query.where ? toClause(query.where) : null;
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
