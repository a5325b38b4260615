/**
 * The JQL fragment `issue in destinationWork(...)` stands for, from the stored rollups: for a destination,
 * every in-scope epic pointing at it and their child issues; with no argument or `"none"`, off-route work
 * (in-flight standard issues with no epic, or whose epic is not aligned to a live destination), as the
 * portfolio's off-route figure counts it. Issues are named by id (keys change when an issue moves).
 *
 * Jira replaces the function clause with this fragment and allows at most 1,000 right-hand side values in it
 * (docs/platform-facts.md, "JQL that Jira accepts").
 */
import { alignEpic } from '../domain/alignment';
import { isLive } from '../domain/epic-figures';
import { scopeOf } from '../domain/portfolio';
import type { Destination, EpicEntry } from '../domain/types';
import { DESTINATION_WORK_FUNCTION, IN_PROGRESS_CATEGORY_ID, jqlList } from '../domain/jql';

export const FUNCTION_NAME = DESTINATION_WORK_FUNCTION;
/** Right-hand side values Jira accepts in a function's fragment. */
export const MAX_RIGHT_HAND_VALUES = 1000;
/** The argument (besides none at all) that asks for off-route work. */
export const OFF_ROUTE_ARGUMENT = 'none';
/** JQL that matches no issue (every issue has a project). */
export const MATCHES_NOTHING = 'project is EMPTY';

export interface DestinationWorkFacts {
  /** Stored epics (deleted ones are left out here). An array: it is read once per precomputation. */
  epics: readonly EpicEntry[];
  destinations: readonly Destination[];
  standardTypeIds: readonly string[];
  /** Projects in the app's scope; empty = every project. */
  projectKeys: readonly string[];
}

export type FragmentResult = { jql: string } | { error: string };

function ids(epics: EpicEntry[]): string[] {
  return epics.map((e) => e.id).sort((a, b) => Number(a) - Number(b));
}

function tooMany(what: string, values: number): FragmentResult {
  return { error: `${what} needs ${values} values in JQL; Jira allows ${MAX_RIGHT_HAND_VALUES}. Narrow the search with the portfolio page instead.` };
}

function destinationFragment(destinationId: string, epics: EpicEntry[]): FragmentResult {
  if (epics.length === 0) return { jql: MATCHES_NOTHING };
  const list = jqlList(ids(epics));
  const values = 2 * epics.length;
  if (values > MAX_RIGHT_HAND_VALUES) return tooMany(`The work of destination ${destinationId} (${epics.length} epics)`, values);
  return { jql: `issue in ${list} OR parent in ${list}` };
}

function offRouteFragment(facts: DestinationWorkFacts, inScope: EpicEntry[], aligned: EpicEntry[]): FragmentResult {
  if (facts.standardTypeIds.length === 0) return { jql: MATCHES_NOTHING };
  const scope = facts.projectKeys.length === 0 ? '' : ` AND project in ${jqlList(facts.projectKeys)}`;
  const base = `issuetype in ${jqlList(facts.standardTypeIds)} AND statusCategory = ${IN_PROGRESS_CATEGORY_ID}`;
  const fixed = facts.standardTypeIds.length + facts.projectKeys.length + 1;
  const alignedKeys = new Set(aligned.map((e) => e.key));
  const off = inScope.filter((e) => !alignedKeys.has(e.key));
  // Exact: orphans in scope, and the children of each in-scope epic that is not aligned.
  if (fixed + off.length <= MAX_RIGHT_HAND_VALUES) {
    if (off.length === 0) return { jql: `${base} AND parent is EMPTY${scope}` };
    return { jql: `${base} AND ((parent is EMPTY${scope}) OR parent in ${jqlList(ids(off))})` };
  }
  // Shorter when most epics are off-route: every in-flight issue in scope whose epic is not aligned.
  if (fixed + aligned.length <= MAX_RIGHT_HAND_VALUES) {
    return { jql: `${base} AND (parent is EMPTY OR parent not in ${jqlList(ids(aligned))})${scope}` };
  }
  return tooMany(`Off-route work (${off.length} epics off route, ${aligned.length} aligned)`, fixed + Math.min(off.length, aligned.length));
}

/** The fragment for `destinationWork(argument)` used with `operator` (`in` or `not in`). */
export function destinationWorkJql(argument: string | undefined, operator: string, facts: DestinationWorkFacts): FragmentResult {
  const byId = new Map(facts.destinations.map((d) => [d.id, d]));
  const { inScope } = scopeOf({ projectKeys: [...facts.projectKeys] });
  const live = facts.epics.filter((e) => isLive(e) && e.id !== '' && inScope(e.projectKey));
  const arg = argument?.trim() ?? '';
  let result: FragmentResult;
  if (arg === '' || arg.toLowerCase() === OFF_ROUTE_ARGUMENT) {
    const aligned = live.filter((e) => alignEpic(e.destinationId, byId).kind === 'aligned');
    result = offRouteFragment(facts, live, aligned);
  } else {
    const destination = byId.get(arg);
    if (!destination) return { error: `There is no business destination "${arg}". Use its id, such as D-1, or "none" for off-route work.` };
    result = destinationFragment(destination.id, live.filter((e) => e.destinationId === destination.id));
  }
  if ('error' in result) return result;
  // Parenthesised, so the fragment means the same whatever surrounds the clause it replaces.
  const jql = `(${result.jql})`;
  return { jql: operator.toLowerCase() === 'not in' ? `NOT ${jql}` : jql };
}
