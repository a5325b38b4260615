/** Issues: read, edit, create, delete and transition, with Jira's permission answers. */
import { BASE_URL, type IssueRecord } from '../store';
import { HttpError, bodyObject, isObject, json, noContent, toStringList, type AddRoute } from './http';
import { checkAppFieldEdit } from './app-field';
import type { SiteState } from './state';

export function issueRoutes(s: SiteState, route: AddRoute): void {
  route('GET', '/rest/api/3/issue/{issueIdOrKey}', (ctx) => {
    const rec = s.visibleIssue(ctx.caller, ctx.params[0] as string);
    const requested = ctx.query.getAll('fields');
    return json(200, s.issueBean(rec, s.selectFields(requested.length ? requested : undefined, ['*all'])));
  });

  // Bulk fetch: issues the caller may not see (or that do not exist) are left out without an error, as Jira does.
  route('POST', '/rest/api/3/issue/bulkfetch', (ctx) => {
    const b = bodyObject(ctx);
    const refs = b.issueIdsOrKeys;
    if (!Array.isArray(refs) || refs.length === 0 || !refs.every((r) => typeof r === 'string' && r !== '')) {
      throw new HttpError(400, ["'issueIdsOrKeys' must be a non-empty list of issue ids or keys."]);
    }
    if (refs.length > 100) throw new HttpError(400, ['At most 100 issues can be fetched in one request.']);
    const requested = toStringList(b.fields, 'fields');
    const fields = s.selectFields(requested, ['*navigable']);
    const seen = new Map<string, IssueRecord>();
    for (const ref of refs as string[]) {
      const rec = s.findIssue(ref);
      if (rec && s.canSeeIssue(ctx.caller, rec)) seen.set(rec.id, rec);
    }
    const issues = [...seen.values()].sort((a, b2) => Number(a.id) - Number(b2.id)).map((rec) => s.issueBean(rec, fields));
    return json(200, { issues, issueErrors: [] });
  });

  route('PUT', '/rest/api/3/issue/{issueIdOrKey}', (ctx) => {
    const rec = s.visibleIssue(ctx.caller, ctx.params[0] as string);
    if (!s.canEdit(ctx.caller, rec.projectKey)) throw new HttpError(403, ['You do not have permission to edit issues in this project.']);
    const b = bodyObject(ctx);
    const fields = b.fields === undefined ? {} : b.fields;
    if (!isObject(fields)) throw new HttpError(400, ["'fields' must be an object."]);
    if (b.update !== undefined && !(isObject(b.update) && Object.keys(b.update).length === 0)) {
      throw new HttpError(400, ['The emulator supports edits through "fields" only, not "update" operations.']);
    }
    const change = s.fieldChanges(fields, rec, ctx.caller);
    checkAppFieldEdit(s, change, { id: rec.id, key: rec.key, typeName: rec.type, projectKey: rec.projectKey }, ctx.caller);
    s.applyUpdate(rec, change, ctx.caller);
    return noContent();
  });

  route('POST', '/rest/api/3/issue', (ctx) => {
    const b = bodyObject(ctx);
    const fields = b.fields;
    if (!isObject(fields)) throw new HttpError(400, ["'fields' must be an object."]);
    const projectKey = s.refKey(fields.project ?? null, 'project');
    const project = projectKey ? s.cat.project(projectKey) : undefined;
    if (!project || !s.canBrowse(ctx.caller, project.key)) throw new HttpError(400, [], { project: 'Specify a valid project ID or key' });
    if (!s.canEdit(ctx.caller, project.key)) throw new HttpError(403, ['You do not have permission to create issues in this project.']);
    const typeRef = isObject(fields.issuetype) ? (fields.issuetype.id ?? fields.issuetype.name) : undefined;
    const type = typeof typeRef === 'string' ? s.cat.issueType(typeRef) : undefined;
    if (!type) throw new HttpError(400, [], { issuetype: 'Specify an issue type' });
    const change = s.fieldChanges(fields, null, ctx.caller);
    if (!change.summary) throw new HttpError(400, [], { summary: 'You must specify a summary of the issue.' });
    checkAppFieldEdit(s, change, { id: null, key: null, typeName: type.name, projectKey: project.key }, ctx.caller);
    const initial = s.cat.statuses.find((st) => st.category === 'new') ?? s.cat.statuses[0];
    const rec = s.insertIssue(
      {
        project: project.key,
        type: type.name,
        summary: change.summary,
        status: initial?.name ?? '',
        parent: change.parentKey ?? null,
        points: change.points ?? null,
        originalEstimate: change.originalEstimate ?? null,
      },
      ctx.caller,
      change.appValue,
    );
    return json(201, { id: rec.id, key: rec.key, self: `${BASE_URL}/rest/api/3/issue/${rec.id}` });
  });

  route('DELETE', '/rest/api/3/issue/{issueIdOrKey}', (ctx) => {
    const rec = s.visibleIssue(ctx.caller, ctx.params[0] as string);
    if (!s.canEdit(ctx.caller, rec.projectKey)) throw new HttpError(403, ['You do not have permission to delete issues in this project.']);
    s.removeIssue(rec, ctx.caller, ctx.query.get('deleteSubtasks') === 'true');
    return noContent();
  });

  route('GET', '/rest/api/3/issue/{issueIdOrKey}/transitions', (ctx) => {
    const rec = s.visibleIssue(ctx.caller, ctx.params[0] as string);
    const allowed = s.canEdit(ctx.caller, rec.projectKey);
    const transitions = allowed
      ? s.cat.statuses
          .filter((st) => st.name !== rec.status)
          .map((st) => ({ id: st.id, name: st.name, to: s.cat.statusBean(st.name), hasScreen: false, isGlobal: true, isInitial: false, isAvailable: true, isConditional: false, isLooped: false }))
      : [];
    return json(200, { expand: 'transitions', transitions });
  });

  route('POST', '/rest/api/3/issue/{issueIdOrKey}/transitions', (ctx) => {
    const rec = s.visibleIssue(ctx.caller, ctx.params[0] as string);
    if (!s.canEdit(ctx.caller, rec.projectKey)) throw new HttpError(403, ['You do not have permission to transition this issue.']);
    const b = bodyObject(ctx);
    const id = isObject(b.transition) ? b.transition.id : undefined;
    const target = typeof id === 'string' || typeof id === 'number' ? s.cat.statuses.find((st) => st.id === String(id)) : undefined;
    if (!target) throw new HttpError(400, [`Transition id '${String(id)}' is not valid for this issue.`]);
    const change: Partial<IssueRecord> = { status: target.name };
    if (isObject(b.fields)) Object.assign(change, s.fieldChanges(b.fields, rec, ctx.caller));
    checkAppFieldEdit(s, change, { id: rec.id, key: rec.key, typeName: rec.type, projectKey: rec.projectKey }, ctx.caller);
    s.applyUpdate(rec, change, ctx.caller);
    return noContent();
  });
}
