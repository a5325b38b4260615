/**
 * The Jira queries behind stored rollups, always as the app (triggers and consumers have no user). Fields are
 * limited to what a rollup uses; children come in `parent in (...)` batches; one issue is re-read by id.
 */
import { route } from '@forge/api';
import type { ChildFacts, EpicEntry, IssueFacts, RollupJira } from '../../services/rollup-ports';
import type { EffectiveEstimate, SiteMeta } from '../../services/ports';
import { emptyProgress } from '../../domain/progress';
import { BACKGROUND_RETRY, createJiraClient, type RetryPolicy } from './jira-client';
import { issueSchema, type IssueDto, parseJira, searchPageSchema } from './jira-dto';
import { createJiraGateway } from './jira-gateway';
import { childFields, epicOf, estimateFields, workItemOf } from './issue-mapping';
import { childrenJql, epicsJql, inFlightOrphansJql } from './jql';

/** Jira caps search pages that carry fields at 100 issues. */
const PAGE_WITH_FIELDS = 100;
const MAX_PAGES = 10_000;

export function createRollupJira(policy: RetryPolicy = BACKGROUND_RETRY): RollupJira {
  const client = createJiraClient(policy);
  const gateway = createJiraGateway(policy);
  let sent = 0;

  async function searchPage(body: Record<string, unknown>, accept: number[] = []) {
    sent += 1;
    const answer = await client.request('app', route`/rest/api/3/search/jql`, { method: 'POST', body, accept });
    if (answer.status !== 200) return null;
    return parseJira(searchPageSchema, answer.json, 'search results');
  }

  async function searchAll(jql: string, fields: string[], reconcileIssues: string[] = [], accept: number[] = []): Promise<IssueDto[] | null> {
    const out: IssueDto[] = [];
    let nextPageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body: Record<string, unknown> = { jql, fields, maxResults: PAGE_WITH_FIELDS };
      if (nextPageToken !== undefined) body.nextPageToken = nextPageToken;
      if (reconcileIssues.length > 0) body.reconcileIssues = reconcileIssues.slice(0, 50).map(Number);
      const parsed = await searchPage(body, accept);
      if (parsed === null) return null;
      out.push(...parsed.issues);
      if (parsed.isLast === true || !parsed.nextPageToken) return out;
      nextPageToken = parsed.nextPageToken;
    }
    return out;
  }


  return {
    siteMeta: () => gateway.siteMeta(),
    fieldName: () => gateway.fieldName(),
    requests: () => sent,

    async epicPage(meta, token) {
      if (meta.epicTypeIds.length === 0) return { epics: [], next: undefined };
      const body: Record<string, unknown> = { jql: epicsJql(meta.epicTypeIds, []), fields: ['summary', 'status', 'project', meta.appFieldId], maxResults: PAGE_WITH_FIELDS };
      if (token !== undefined) body.nextPageToken = token;
      const page = await searchPage(body);
      const at = Date.now();
      const epics = (page?.issues ?? []).map((issue) => epicEntryOf(issue, meta, at));
      return { epics, next: page?.isLast === true || !page?.nextPageToken ? undefined : page.nextPageToken };
    },

    async childrenOf(_meta, epicKeys, estimate, reconcileIssueIds = []) {
      if (epicKeys.length === 0) return [];
      // 400: one of the keys names an issue that no longer exists (an epic deleted meanwhile).
      const issues = await searchAll(childrenJql(epicKeys), childFields(estimate), reconcileIssueIds, [400]);
      return issues === null ? null : issues.map((issue) => childOf(issue, estimate));
    },

    async inFlightOrphans(meta, estimate) {
      if (meta.standardTypeIds.length === 0) return [];
      const issues = await searchAll(inFlightOrphansJql(meta.standardTypeIds, []), childFields(estimate));
      return (issues ?? []).map((issue) => childOf(issue, estimate));
    },

    async issue(meta, issueId, estimate) {
      const fields = ['summary', 'status', 'project', 'issuetype', 'parent', 'resolutiondate', meta.appFieldId, ...estimateFields(estimate)].join(',');
      sent += 1;
      const answer = await client.request('app', route`/rest/api/3/issue/${issueId}?fields=${fields}`, { accept: [404] });
      if (answer.status === 404) return null;
      const issue = parseJira(issueSchema, answer.json, 'an issue');
      const level = issue.fields?.issuetype?.hierarchyLevel ?? 0;
      if (level === 1) {
        const { fAt: _f, progress: _p, doneDays: _d, unestimatedKeys: _u, pAt: _a, ...epic } = epicEntryOf(issue, meta, 0);
        return { level: 1, epic } satisfies IssueFacts;
      }
      if (level === 0) return { level: 0, child: childOf(issue, estimate) };
      return { level: -1 };
    },
  };
}

function epicEntryOf(issue: IssueDto, meta: SiteMeta, at: number): EpicEntry {
  return { ...epicOf(issue, meta), fAt: at, progress: emptyProgress(), doneDays: {}, unestimatedKeys: [], pAt: 0 };
}

function childOf(issue: IssueDto, estimate: EffectiveEstimate): ChildFacts {
  const { epicKey, ...facts } = workItemOf(issue, estimate);
  return { ...facts, parentKey: epicKey };
}
