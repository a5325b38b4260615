/** Permissions: the bulk check and `mypermissions`, from the site's browse and edit lists. */
import { HttpError, bodyObject, isObject, json, toStringList, type AddRoute, type Caller } from './http';
import type { SiteState } from './state';

const PERMISSIONS: Record<string, { id: string; name: string; type: 'GLOBAL' | 'PROJECT'; description: string }> = {
  ADMINISTER: { id: '0', name: 'Administer Jira', type: 'GLOBAL', description: 'Create and administer projects, issue types, fields, workflows and users.' },
  BROWSE_USERS: { id: '27', name: 'Browse users and groups', type: 'GLOBAL', description: 'View and select users or groups from the user picker.' },
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', type: 'PROJECT', description: 'Ability to browse projects and the issues within them.' },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', type: 'PROJECT', description: 'Ability to create issues.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', type: 'PROJECT', description: 'Ability to edit issues.' },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', type: 'PROJECT', description: 'Ability to transition issues.' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', type: 'PROJECT', description: 'Ability to delete issues.' },
};

export function permissionRoutes(s: SiteState, route: AddRoute): void {
  route('POST', '/rest/api/3/permissions/check', (ctx) => {
    const b = bodyObject(ctx);
    let subject: Caller = ctx.caller;
    if (typeof b.accountId === 'string' && b.accountId !== '') {
      const u = s.findUser(b.accountId);
      // Jira: "Administer Jira global permission to check the permissions for other users". The exemption is
      // for Connect apps calling from their server, not Forge apps: the app needs the permission like anyone.
      const self = ctx.caller.kind === 'user' && ctx.caller.user.accountId === b.accountId;
      if (!self && !s.hasGlobalPermission(ctx.caller, 'ADMINISTER')) {
        throw new HttpError(403, ['Only Jira administrators can check permissions of other users.']);
      }
      if (!u) throw new HttpError(400, [`User with account ID ${b.accountId} does not exist.`]);
      subject = { kind: 'user', user: u };
    }
    const globals = toStringList(b.globalPermissions, 'globalPermissions') ?? [];
    for (const g of globals) if (PERMISSIONS[g]?.type !== 'GLOBAL') throw new HttpError(400, [`Unrecognized global permission: ${g}`]);
    const projectPermissions: Array<Record<string, unknown>> = [];
    const requests = b.projectPermissions === undefined ? [] : b.projectPermissions;
    if (!Array.isArray(requests)) throw new HttpError(400, ["'projectPermissions' must be a list."]);
    for (const req of requests as unknown[]) {
      if (!isObject(req)) throw new HttpError(400, ['Each projectPermissions entry must be an object.']);
      const perms = toStringList(req.permissions, 'permissions') ?? [];
      const projects = Array.isArray(req.projects) ? (req.projects as unknown[]).map(Number) : [];
      const issues = Array.isArray(req.issues) ? (req.issues as unknown[]).map(Number) : [];
      if (projects.length > 1000 || issues.length > 1000) throw new HttpError(400, ['At most 1000 projects and 1000 issues per request.']);
      for (const perm of perms) {
        if (PERMISSIONS[perm]?.type !== 'PROJECT') throw new HttpError(400, [`Unrecognized project permission: ${perm}`]);
        const askedNothing = projects.length === 0 && issues.length === 0;
        const grantedProjects = (askedNothing ? s.cat.projects.map((p) => Number(p.id)) : projects).filter((id) => {
          const p = s.cat.project(String(id));
          return !!p && s.hasProjectPermission(subject, perm, p.key);
        });
        const grantedIssues = issues.filter((id) => {
          const rec = s.records.get(String(id));
          // An issue under a security level the subject is not in grants nothing, as if it did not exist.
          return !!rec && s.canSeeIssue(subject, rec) && s.hasProjectPermission(subject, perm, rec.projectKey);
        });
        projectPermissions.push({ permission: perm, projects: grantedProjects, issues: grantedIssues });
      }
    }
    return json(200, { globalPermissions: globals.filter((g) => s.hasGlobalPermission(subject, g)), projectPermissions });
  });

  route('GET', '/rest/api/3/mypermissions', (ctx) => {
    const keys = (ctx.query.get('permissions') ?? '').split(',').map((k) => k.trim()).filter(Boolean);
    if (keys.length === 0) throw new HttpError(400, ['The permissions query parameter is required.']);
    for (const k of keys) if (!PERMISSIONS[k]) throw new HttpError(400, [`Invalid permission key: ${k}`]);
    let projectKeys: string[] = s.cat.projects.map((p) => p.key);
    const projectRef = ctx.query.get('projectKey') ?? ctx.query.get('projectId');
    const issueRef = ctx.query.get('issueKey') ?? ctx.query.get('issueId');
    if (issueRef) {
      projectKeys = [s.visibleIssue(ctx.caller, issueRef).projectKey];
    } else if (projectRef) {
      const p = s.cat.project(projectRef.toUpperCase()) ?? s.cat.project(projectRef);
      if (!p || !s.seesProject(ctx.caller, p.key)) throw new HttpError(404, [`No project could be found with key '${projectRef}'.`]);
      projectKeys = [p.key];
    }
    const permissions: Record<string, unknown> = {};
    for (const k of keys) {
      const def = PERMISSIONS[k] as (typeof PERMISSIONS)[string];
      const have = def.type === 'GLOBAL' ? s.hasGlobalPermission(ctx.caller, k) : projectKeys.some((p) => s.hasProjectPermission(ctx.caller, k, p));
      permissions[k] = { id: def.id, key: k, name: def.name, type: def.type, description: def.description, havePermission: have };
    }
    return json(200, { permissions });
  });
}
