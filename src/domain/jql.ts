/**
 * JQL text the app writes, in the one form Atlassian's parser (`@atlaskit/jql-parser`) and Jira accept:
 * quoted values, status categories by id, the app's own `destinationWork` function. Used by the searches the
 * app sends (`infra/jira/jql.ts`), the links it shows (`services/portfolio-service.ts`) and the fragments its
 * JQL function returns (`jql-function/`). See docs/decisions/0004-jql-the-app-sends.md.
 */

export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function jqlList(values: readonly string[]): string {
  return `(${values.map(jqlString).join(', ')})`;
}

/**
 * Status categories by id: ids are fixed on every site (2 To Do, 4 In Progress, 3 Done), while the names are
 * display text that a site's language changes.
 */
export const IN_PROGRESS_CATEGORY_ID = 4;
export const DONE_CATEGORY_ID = 3;

/** The app's JQL function (manifest `jira:jqlFunction`): `issue in destinationWork("D-1")`, `destinationWork()`. */
export const DESTINATION_WORK_FUNCTION = 'destinationWork';

/**
 * Several queries as one: each clause in brackets, joined with OR (their ORDER BY dropped, since JQL allows
 * one). `undefined` when there is nothing to join.
 */
export function unionJql(parts: ReadonlyArray<string | undefined>): string | undefined {
  const clauses = parts.filter((p): p is string => !!p).map((p) => p.replace(/\s+order\s+by\s+[\s\S]*$/i, '').trim());
  if (clauses.length === 0) return undefined;
  return clauses.length === 1 ? clauses[0] : clauses.map((c) => `(${c})`).join(' OR ');
}
