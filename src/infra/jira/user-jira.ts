/**
 * Jira for one person (`UserJira`): the projects they may browse, an issue read as them, their permissions
 * (checked by the app for their account id), and the people search, which runs as them.
 */
import { route } from '@forge/api';
import { AppError } from '../../domain/errors';
import type { Clock, IssueSummary, UserJira } from '../../services/ports';
import { createJiraClient, type RetryPolicy } from './jira-client';
import { issueSchema, parseJira, permissionCheckSchema, statusCategoryOf, userListSchema } from './jira-dto';
import { listProjects } from './app-jira';

export function createUserJira({ policy, clock }: { policy: RetryPolicy; clock: Clock }): UserJira {
  const client = createJiraClient(policy, clock);

  async function checkPermissions(body: Record<string, unknown>) {
    const answer = await client.request('app', route`/rest/api/3/permissions/check`, { method: 'POST', body });
    return parseJira(permissionCheckSchema, answer.json, 'a permission check');
  }

  return {
    async visibleProjects(accountId) {
      const projects = await listProjects(client);
      const allowed = new Set<string>();
      const byId = new Map(projects.map((p) => [Number(p.id), p.key]));
      const ids = [...byId.keys()];
      for (let i = 0; i < ids.length; i += 1000) {
        const result = await checkPermissions({
          accountId,
          projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], projects: ids.slice(i, i + 1000) }],
        });
        for (const grant of result.projectPermissions ?? []) {
          if (grant.permission !== 'BROWSE_PROJECTS') continue;
          for (const id of grant.projects ?? []) {
            const key = byId.get(id);
            if (key !== undefined) allowed.add(key);
          }
        }
      }
      return allowed;
    },
    async issueAsUser(meta, issueKey) {
      const fields = ['summary', 'status', 'project', 'issuetype', meta.appFieldId].join(',');
      const answer = await client.request('user', route`/rest/api/3/issue/${issueKey}?fields=${fields}`, { accept: [404] });
      if (answer.status === 404) return null;
      const issue = parseJira(issueSchema, answer.json, 'an issue');
      const f = issue.fields ?? {};
      if (!f.project || !f.issuetype) throw new AppError('JIRA_UNAVAILABLE', `Jira sent issue ${issue.key} without its project or type.`);
      const summary: IssueSummary = {
        id: issue.id,
        key: issue.key,
        summary: f.summary ?? '',
        projectId: f.project.id,
        projectKey: f.project.key,
        hierarchyLevel: f.issuetype.hierarchyLevel ?? 0,
        statusCategory: statusCategoryOf(issue),
        destinationValue: f[meta.appFieldId] ?? null,
      };
      return summary;
    },
    async isAdmin(accountId) {
      const result = await checkPermissions({ accountId, globalPermissions: ['ADMINISTER'] });
      return (result.globalPermissions ?? []).includes('ADMINISTER');
    },
    async canEditIssue(accountId, issueId) {
      const result = await checkPermissions({
        accountId,
        projectPermissions: [{ permissions: ['EDIT_ISSUES'], issues: [Number(issueId)] }],
      });
      return (result.projectPermissions ?? []).some((g) => g.permission === 'EDIT_ISSUES' && (g.issues ?? []).includes(Number(issueId)));
    },
    async searchUsers(query) {
      const answer = await client.request('user', route`/rest/api/3/user/search?query=${query}&maxResults=${20}`);
      return parseJira(userListSchema, answer.json, 'a user list').map((u) => ({
        accountId: u.accountId,
        displayName: u.displayName ?? u.accountId,
      }));
    },
  };
}
