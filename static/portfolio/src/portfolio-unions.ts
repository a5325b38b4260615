/** JQL for several destinations at once: their queries joined with OR (ORDER BY dropped, since JQL allows one). */
export function unionJql(parts: Array<string | undefined>): string | undefined {
  const clauses = parts.filter((p): p is string => !!p).map((p) => p.replace(/\s+order\s+by\s+[\s\S]*$/i, '').trim());
  if (clauses.length === 0) return undefined;
  return clauses.length === 1 ? clauses[0] : clauses.map((c) => `(${c})`).join(' OR ');
}

/** Status category "Done" by id: ids are the same on every site, names follow the site's language. */
const DONE_CATEGORY_ID = 3;

/** The done issues among a query's results (ORDER BY dropped, since the clause is added after it). */
export function doneJql(jql: string | undefined): string | undefined {
  const base = unionJql([jql]);
  return base === undefined ? undefined : `(${base}) AND statusCategory = ${DONE_CATEGORY_ID}`;
}
