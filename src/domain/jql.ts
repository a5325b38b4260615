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
