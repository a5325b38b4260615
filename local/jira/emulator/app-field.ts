/** The app's field value API: only the app that provides the field may write it, a batch at a time. */
import type { IssueRecord } from '../store';
import { HttpError, bodyObject, isObject, noContent, type AddRoute } from './http';
import type { Caller } from './http';
import type { SiteState } from './state';

/**
 * Jira runs the field's `edit.validation` whenever a user's issue edit or create sets the field (not on the
 * app field value API below). `typeName` is the issue's type (on create, the one asked for).
 */
export function checkAppFieldEdit(s: SiteState, change: Partial<IssueRecord>, issue: { id: string | null; key: string | null; typeName: string; projectKey: string }, caller: Caller): void {
  if (!('appValue' in change) || !s.validateAppField) return;
  const type = s.cat.issueType(issue.typeName);
  const project = s.cat.project(issue.projectKey);
  const message = s.validateAppField({
    value: change.appValue ?? null,
    issue: { id: issue.id === null ? null : Number(issue.id), key: issue.key, issueType: type ? { id: type.id, name: type.name, hierarchyLevel: type.hierarchyLevel } : null },
    project: project ? { id: project.id, key: project.key } : null,
    user: caller.kind === 'user' ? { accountId: caller.user.accountId } : null,
    fieldId: s.appFieldId,
  });
  if (message !== null) throw new HttpError(400, [], { [s.appFieldId]: message });
}

export function appFieldRoutes(s: SiteState, route: AddRoute): void {
  route('PUT', '/rest/api/3/app/field/{fieldIdOrKey}/value', (ctx) => {
    if (ctx.caller.kind !== 'app') throw new HttpError(403, ['Only the app that provides this field can update its value through this API.']);
    const fieldRef = decodeURIComponent(ctx.params[0] as string);
    if (fieldRef !== s.appFieldId && fieldRef !== s.appFieldKey) throw new HttpError(404, [`The custom field ${fieldRef} was not found or does not belong to this app.`]);
    const b = bodyObject(ctx);
    if (!Array.isArray(b.updates)) throw new HttpError(400, ["'updates' must be a list."]);
    const planned: Array<{ rec: IssueRecord; value: unknown }> = [];
    for (const u of b.updates as unknown[]) {
      if (!isObject(u) || !Array.isArray(u.issueIds) || !('value' in u)) throw new HttpError(400, ['Each update needs issueIds and value.']);
      const value = s.appValueFrom(u.value, s.appFieldId);
      for (const issueId of u.issueIds as unknown[]) {
        if (typeof issueId !== 'number' || !Number.isInteger(issueId)) throw new HttpError(400, ['issueIds must be integers.']);
        const rec = s.records.get(String(issueId));
        if (!rec) throw new HttpError(404, [`Issue ${issueId} not found.`]);
        planned.push({ rec, value });
      }
    }
    // Validate everything before writing anything, so a bad id in the batch leaves the site unchanged.
    for (const { rec, value } of planned) s.applyUpdate(rec, { appValue: value }, ctx.caller);
    return noContent();
  });
}
