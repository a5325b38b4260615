/**
 * The Jira port: every query the app makes, built on one client (retries, errors) and one pager.
 */
import { getAppContext, route } from '@forge/api';
import { AppError } from '../../domain/errors';
import type { Epic, WorkItem } from '../../domain/types';
import { MODULE_KEYS } from '../../contract';
import type { EffectiveEstimate, IssueSummary, JiraPort, ProjectRef, SiteMeta } from '../../services/ports';
import { createJiraClient, type JiraClient, RESOLVER_RETRY, type RetryPolicy } from './jira-client';
import {
  countSchema,
  fieldListSchema,
  issueSchema,
  issueTypeListSchema,
  type IssueDto,
  parseJira,
  permissionCheckSchema,
  projectPageSchema,
  statusCategoryOf,
  userListSchema,
  userPageSchema,
} from './jira-dto';
import { childFields, epicOf, workItemOf } from './issue-mapping';
import { searchAll } from './search-jql';
import { childrenJql, epicsJql, epicsOfDestinationJql, inFlightOrphansJql, standardIssuesJql } from './jql';

/** `parent in (...)` batch: keeps JQL short and pages full. */
const PARENT_BATCH = 50;
const STORY_POINTS_TYPES = ['com.pyxis.greenhopper.jira:jsw-story-points', 'com.atlassian.jira.plugin.system.customfieldtypes:float'];
const META_TTL_MS = 10 * 60 * 1000;

let metaCache: { meta: SiteMeta; fieldName: string; at: number } | undefined;

/** Forget cached site facts (tests load a new site into the same process). */
export function resetSiteMetaCache(): void {
  metaCache = undefined;
}

export function createJiraGateway(policy: RetryPolicy = RESOLVER_RETRY): JiraPort & { fieldName(): Promise<string> } {
  const client: JiraClient = createJiraClient(policy);

  async function loadMeta(): Promise<{ meta: SiteMeta; fieldName: string }> {
    if (metaCache && Date.now() - metaCache.at < META_TTL_MS) return metaCache;
    const [fields, types] = await Promise.all([
      client.request('app', route`/rest/api/3/field`),
      client.request('app', route`/rest/api/3/issuetype`),
    ]);
    const fieldList = parseJira(fieldListSchema, fields.json, 'a field list');
    const typeList = parseJira(issueTypeListSchema, types.json, 'an issue type list');
    const ctx = getAppContext();
    const ari = `ari:cloud:ecosystem::extension/${ctx.appAri.appId}/${ctx.environmentAri.environmentId}/static/${MODULE_KEYS.field}`;
    const appField = fieldList.find((f) => f.schema?.custom === ari);
    if (!appField) {
      throw new AppError('INTERNAL', 'The Business destination field is missing on this site. Ask a Jira administrator to reinstall the app.');
    }
    const pointsFields = fieldList
      .filter((f) => f.schema?.custom !== undefined && STORY_POINTS_TYPES.includes(f.schema.custom) && /story point/i.test(f.name))
      // Jira Software's own field first, then float fields named like story points.
      .sort((a, b) => STORY_POINTS_TYPES.indexOf(a.schema?.custom ?? '') - STORY_POINTS_TYPES.indexOf(b.schema?.custom ?? ''))
      .map((f) => ({ id: f.id, name: f.name }));
    const meta: SiteMeta = {
      appFieldId: appField.id,
      epicTypeIds: typeList.filter((t) => t.hierarchyLevel === 1).map((t) => t.id),
      standardTypeIds: typeList.filter((t) => t.hierarchyLevel === 0).map((t) => t.id),
      pointsFields,
    };
    metaCache = { meta, fieldName: appField.name, at: Date.now() };
    return metaCache;
  }

  // Without `accept`, a search either answers every page or throws.
  const search = async (jql: string, fields: string[], reconcileIssues: string[] = []): Promise<IssueDto[]> =>
    (await searchAll(client, jql, fields, { reconcileIssues })) ?? [];

  const epicFields = (meta: SiteMeta) => ['summary', 'status', 'project', meta.appFieldId];
  const toEpic = (meta: SiteMeta) => (issue: IssueDto): Epic => epicOf(issue, meta);
  const toWorkItem = (estimate: EffectiveEstimate) => (issue: IssueDto): WorkItem => workItemOf(issue, estimate);

  async function checkPermissions(body: Record<string, unknown>) {
    const answer = await client.request('app', route`/rest/api/3/permissions/check`, { method: 'POST', body });
    return parseJira(permissionCheckSchema, answer.json, 'a permission check');
  }

  return {
    async fieldName() {
      return (await loadMeta()).fieldName;
    },
    async siteMeta() {
      return (await loadMeta()).meta;
    },
    async projects() {
      const out: ProjectRef[] = [];
      for (let startAt = 0; startAt < 100_000; ) {
        const answer = await client.request('app', route`/rest/api/3/project/search?startAt=${startAt}&maxResults=${100}`);
        const page = parseJira(projectPageSchema, answer.json, 'a project list');
        out.push(...page.values.map((p) => ({ id: p.id, key: p.key, name: p.name })));
        if (page.isLast !== false || page.values.length === 0) break;
        startAt += page.values.length;
      }
      return out;
    },
    async epics(meta, projectKeys) {
      if (meta.epicTypeIds.length === 0) return [];
      const issues = await search(epicsJql(meta.epicTypeIds, projectKeys), epicFields(meta));
      return issues.map(toEpic(meta));
    },
    async epicsOfDestination(meta, destinationId, reconcileIssueIds = []) {
      if (meta.epicTypeIds.length === 0) return [];
      const { fieldName } = await loadMeta();
      const issues = await search(epicsOfDestinationJql(meta.epicTypeIds, fieldName, destinationId), epicFields(meta), reconcileIssueIds);
      return issues.map(toEpic(meta));
    },
    async children(_meta, epicKeys, estimate) {
      const batches: string[][] = [];
      for (let i = 0; i < epicKeys.length; i += PARENT_BATCH) batches.push(epicKeys.slice(i, i + PARENT_BATCH));
      const fields = childFields(estimate);
      const pages = await mapLimit(batches, 4, (batch) => search(childrenJql(batch), fields));
      return pages.flat().map(toWorkItem(estimate));
    },
    async countStandardIssues(meta, projectKeys) {
      if (meta.standardTypeIds.length === 0) return 0;
      const answer = await client.request('app', route`/rest/api/3/search/approximate-count`, {
        method: 'POST',
        body: { jql: standardIssuesJql(meta.standardTypeIds, projectKeys) },
      });
      return parseJira(countSchema, answer.json, 'an issue count').count;
    },
    async inFlightOrphans(meta, projectKeys, estimate) {
      if (meta.standardTypeIds.length === 0) return [];
      const issues = await search(inFlightOrphansJql(meta.standardTypeIds, projectKeys), childFields(estimate));
      return issues.map(toWorkItem(estimate));
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
    async writeDestinationField(meta, issueId, value) {
      await client.request('app', route`/rest/api/3/app/field/${meta.appFieldId}/value`, {
        method: 'PUT',
        body: { updates: [{ issueIds: [Number(issueId)], value }] },
      });
    },
    async isAdmin(accountId) {
      const result = await checkPermissions({ accountId, globalPermissions: ['ADMINISTER'] });
      return (result.globalPermissions ?? []).includes('ADMINISTER');
    },
    async browsableProjects(accountId, projects) {
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
    async canEditIssue(accountId, issueId) {
      const result = await checkPermissions({
        accountId,
        projectPermissions: [{ permissions: ['EDIT_ISSUES'], issues: [Number(issueId)] }],
      });
      return (result.projectPermissions ?? []).some((g) => g.permission === 'EDIT_ISSUES' && (g.issues ?? []).includes(Number(issueId)));
    },
    async userNames(accountIds) {
      const names = new Map<string, string>();
      const unique = [...new Set(accountIds.filter((id) => id !== ''))];
      for (let i = 0; i < unique.length; i += 90) {
        const query = new URLSearchParams(unique.slice(i, i + 90).map((id): [string, string] => ['accountId', id]));
        query.set('maxResults', '90');
        const answer = await client.request('app', route`/rest/api/3/user/bulk?${query}`);
        for (const user of parseJira(userPageSchema, answer.json, 'a user list').values) {
          names.set(user.accountId, user.displayName ?? user.accountId);
        }
      }
      return names;
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

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
