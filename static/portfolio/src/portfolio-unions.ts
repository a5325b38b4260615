/** JQL for several destinations at once: their queries joined with OR (ORDER BY dropped, since JQL allows one). */
export function unionJql(parts: Array<string | undefined>): string | undefined {
  const clauses = parts.filter((p): p is string => !!p).map((p) => p.replace(/\s+order\s+by\s+[\s\S]*$/i, '').trim());
  if (clauses.length === 0) return undefined;
  return clauses.length === 1 ? clauses[0] : clauses.map((c) => `(${c})`).join(' OR ');
}
