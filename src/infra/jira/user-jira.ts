/**
 * Jira for one person (`UserJira`): the projects and issues they may browse, an issue read as them, their
 * permissions and the people search. Everything runs *as the user* (`asUser()`): Jira lets an app check
 * another account's permissions only if the app holds Administer Jira, and as the user Jira applies
 * everything it knows (project permissions, issue security, app access rules) without the app restating it.
 * The `accountId` parameters therefore must be the calling user's; they key caches, never the request.
 */
import { route } from '@forge/api';
import { AppError } from '../../domain/errors';
import type { Clock, IssueSummary, UserJira } from '../../services/ports';
import { createJiraClient, type RetryPolicy } from './jira-client';
import { bulkFetchSchema, issueSchema, myPermissionsSchema, parseJira, permissionCheckSchema, statusCategoryOf, userListSchema } from './jira-dto';
import { listProjects } from './app-jira';

export function createUserJira({ policy, clock }: { policy: RetryPolicy; clock: Clock }): UserJira {
  const client = createJiraClient(policy, clock);

  /** The bulk check without `accountId`, as the user: it answers for the caller, no admin permission needed. */
  async function checkPermissions(body: Record<string, unknown>) {
    const answer = await client.request('user', route`/rest/api/3/permissions/check`, { method: 'POST', body });
    return parseJira(permissionCheckSchema, answer.json, 'a permission check');
  }

  return {
    async visibleProjects() {
      const projects = await listProjects(client);
      const allowed = new Set<string>();
      const byId = new Map(projects.map((p) => [Number(p.id), p.key]));
      const ids = [...byId.keys()];
      for (let i = 0; i < ids.length; i += 1000) {
        const result = await checkPermissions({
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
    async browsableIssues(_accountId, issueIds) {
      // Per issue, so Jira applies issue security levels (and anything else it knows) to each one.
      const allowed = new Set<string>();
      await inBatches(issueIds, 1000, async (ids) => {
        const result = await checkPermissions({ projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], issues: ids.map(Number) }] });
        for (const grant of result.projectPermissions ?? []) {
          if (grant.permission === 'BROWSE_PROJECTS') for (const id of grant.issues ?? []) allowed.add(String(id));
        }
      });
      return allowed;
    },
    async browsableKeys(_accountId, issueKeys) {
      // Bulk fetch as the user leaves out, without an error, every issue they may not see.
      const allowed = new Set<string>();
      await inBatches(issueKeys, 100, async (batch) => {
        const answer = await client.request('user', route`/rest/api/3/issue/bulkfetch`, { method: 'POST', body: { issueIdsOrKeys: batch, fields: ['issuetype'] } });
        const found = new Set(parseJira(bulkFetchSchema, answer.json, 'a bulk issue fetch').issues.map((issue) => issue.key));
        // A moved issue comes back under its new key: only the keys asked for, as given, count as seen.
        for (const key of batch) if (found.has(key)) allowed.add(key);
      });
      return allowed;
    },
    async isAdmin() {
      const answer = await client.request('user', route`/rest/api/3/mypermissions?permissions=${'ADMINISTER'}`);
      return parseJira(myPermissionsSchema, answer.json, 'a permission check').permissions.ADMINISTER?.havePermission === true;
    },
    async canEditIssue(_accountId, issueId) {
      const result = await checkPermissions({
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

/** Requests a view waits on side by side: enough that 10,000 epics' checks take one round trip, not one each. */
const VIEW_CONCURRENCY = 10;

/** `items` in batches of `size`, at most `VIEW_CONCURRENCY` at a time. */
async function inBatches<T>(items: readonly T[], size: number, each: (batch: T[]) => Promise<void>): Promise<void> {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < batches.length) {
      const batch = batches[next++] as T[];
      await each(batch).catch((error: unknown) => {
        failed = true;
        throw error;
      });
    }
  };
  // Every request ends before the answer does (none outlives the invocation), the first failure reported.
  const results = await Promise.allSettled(Array.from({ length: Math.min(VIEW_CONCURRENCY, batches.length) }, worker));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure) throw failure.reason;
}
