/**
 * `displayConditions` of issue view modules (issue panel, custom field), as Jira evaluates them on the issue
 * view (client side: never a security check). Only the conditions the local platform can honour are accepted;
 * any other key, even one Jira documents, is refused when the manifest loads, so a condition is never silently
 * taken as true.
 */
import { isRecord } from '../types';
import { compileJiraExpression, EXPRESSION_CONTEXTS } from './jira-expression';

/** What a condition sees: the issue on screen, its project, the viewer. */
export interface IssueViewContext {
  issue: { id: string; key: string; issueType: { id: string; name: string; hierarchyLevel: number } };
  project: { id: string; key: string };
  user: { accountId: string };
}

export type DisplayCondition = (context: IssueViewContext) => boolean;

const SUPPORTED = ['issueType', 'jiraExpression', 'and', 'or', 'not'];

/** Compile `displayConditions` (conditions at one level are and-ed, as Forge documents). */
export function compileDisplayConditions(raw: unknown, where: string): DisplayCondition {
  if (!isRecord(raw)) throw new Error(`${where}: displayConditions must be a mapping`);
  const parts: DisplayCondition[] = Object.entries(raw).map(([key, value]) => condition(key, value, `${where}.${key}`));
  return (context) => parts.every((p) => p(context));
}

function children(value: unknown, where: string): DisplayCondition[] {
  // Jira takes one condition object or a list of them under and/or/not.
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new Error(`${where}: needs at least one condition`);
  return list.map((item, i) => compileDisplayConditions(item, Array.isArray(value) ? `${where}[${i}]` : where));
}

function condition(key: string, value: unknown, where: string): DisplayCondition {
  switch (key) {
    case 'issueType': {
      // Matches the *name* of the issue type, as Jira documents: a renamed or localised type no longer matches.
      const names = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null;
      if (!names || names.length === 0) throw new Error(`${where}: must be a type name or a list of them`);
      return (c) => names.includes(c.issue.issueType.name);
    }
    case 'jiraExpression': {
      if (typeof value !== 'string') throw new Error(`${where}: must be a Jira expression (a string)`);
      const expression = compileJiraExpression(value, EXPRESSION_CONTEXTS.displayCondition, where);
      return (c) => {
        try {
          // Only `true` shows the module; a failed evaluation hides it.
          return expression.evaluate({ ...c }) === true;
        } catch {
          return false;
        }
      };
    }
    case 'and': {
      const all = children(value, where);
      return (c) => all.every((p) => p(c));
    }
    case 'or': {
      const any = children(value, where);
      return (c) => any.some((p) => p(c));
    }
    case 'not': {
      const none = children(value, where);
      return (c) => !none.some((p) => p(c));
    }
    default:
      throw new Error(`${where}: '${key}' is not a display condition the local platform evaluates (it evaluates ${SUPPORTED.join(', ')})`);
  }
}
