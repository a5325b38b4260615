/**
 * JQL the app sends. Only documented JQL: `issuetype in (ids)` rather than hierarchy levels, `parent in (...)`
 * for children, and the object-field search alias form `"Field name".Alias = value`.
 */
export function jqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function jqlList(values: readonly string[]): string {
  return `(${values.map(jqlString).join(', ')})`;
}

/** `project in (...)` when the scope is limited, nothing when every project is in scope. */
export function projectClause(projectKeys: readonly string[]): string {
  return projectKeys.length === 0 ? '' : ` AND project in ${jqlList(projectKeys)}`;
}

export function epicsJql(epicTypeIds: readonly string[], projectKeys: readonly string[]): string {
  return `issuetype in ${jqlList(epicTypeIds)}${projectClause(projectKeys)} ORDER BY key ASC`;
}

export function epicsOfDestinationJql(epicTypeIds: readonly string[], fieldName: string, destinationId: string): string {
  return `issuetype in ${jqlList(epicTypeIds)} AND ${jqlString(fieldName)}.Id = ${jqlString(destinationId)} ORDER BY key ASC`;
}

export function childrenJql(epicKeys: readonly string[]): string {
  return `parent in ${jqlList(epicKeys)} ORDER BY key ASC`;
}

export function inFlightOrphansJql(standardTypeIds: readonly string[], projectKeys: readonly string[]): string {
  return `issuetype in ${jqlList(standardTypeIds)} AND parent is EMPTY AND statusCategory = "In Progress"${projectClause(projectKeys)} ORDER BY key ASC`;
}

/** Epics and standard issues changed in the last `hours` (relative dates are documented JQL), oldest first. */
export function changedSinceJql(typeIds: readonly string[], hours: number): string {
  return `issuetype in ${jqlList(typeIds)} AND updated >= -${Math.max(1, Math.ceil(hours))}h ORDER BY updated ASC, key ASC`;
}
