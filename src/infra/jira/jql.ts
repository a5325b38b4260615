/**
 * JQL the app sends. Only documented JQL that Atlassian's parser (`@atlaskit/jql-parser`) accepts: `issuetype
 * in (ids)` rather than hierarchy levels, `parent in (...)` for children, status categories by id. Nothing
 * searches the app's field: `"Field name".Alias` is refused by the parser, so counts come from the stored
 * rollups instead (docs/decisions/0004-jql-the-app-sends.md). `test/checks/jql-the-app-sends.test.ts` parses
 * every string these builders make.
 */
import { IN_PROGRESS_CATEGORY_ID, jqlList } from '../../domain/jql';

export { DONE_CATEGORY_ID, IN_PROGRESS_CATEGORY_ID, jqlList, jqlString } from '../../domain/jql';

/** `project in (...)` when the scope is limited, nothing when every project is in scope. */
export function projectClause(projectKeys: readonly string[]): string {
  return projectKeys.length === 0 ? '' : ` AND project in ${jqlList(projectKeys)}`;
}

export function epicsJql(epicTypeIds: readonly string[], projectKeys: readonly string[]): string {
  return `issuetype in ${jqlList(epicTypeIds)}${projectClause(projectKeys)} ORDER BY key ASC`;
}

export function childrenJql(epicKeys: readonly string[]): string {
  return `parent in ${jqlList(epicKeys)} ORDER BY key ASC`;
}

export function inFlightOrphansJql(standardTypeIds: readonly string[], projectKeys: readonly string[]): string {
  return `issuetype in ${jqlList(standardTypeIds)} AND parent is EMPTY AND statusCategory = ${IN_PROGRESS_CATEGORY_ID}${projectClause(projectKeys)} ORDER BY key ASC`;
}

/** Epics and standard issues changed in the last `hours` (relative dates are documented JQL), oldest first. */
export function changedSinceJql(typeIds: readonly string[], hours: number): string {
  return `issuetype in ${jqlList(typeIds)} AND updated >= -${Math.max(1, Math.ceil(hours))}h ORDER BY updated ASC, key ASC`;
}
