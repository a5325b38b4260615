/**
 * The Jira queries behind stored rollups, always as the app (triggers and consumers have no user). Fields are
 * limited to what a rollup uses; children come in `parent in (...)` batches; one issue is re-read by id.
 */
import { route } from '@forge/api';
import type { ChildFacts, EpicEntry, IssueFacts, RollupJira } from '../../services/rollup-ports';
import type { EffectiveEstimate, SiteMeta } from '../../services/ports';
import { emptyProgress } from '../../domain/progress';
import { BACKGROUND_RETRY, createJiraClient, type RetryPolicy } from './jira-client';
import { issueSchema, type IssueDto, parseJira } from './jira-dto';
import { createJiraGateway } from './jira-gateway';
import { PAGE_WITH_FIELDS, searchAll, searchPage } from './search-jql';
import { childFields, epicOf, estimateFields, workItemOf } from './issue-mapping';
import { childrenJql, epicsJql, inFlightOrphansJql } from './jql';

export function createRollupJira(policy: RetryPolicy = BACKGROUND_RETRY): RollupJira {
  const client = createJiraClient(policy);
  const gateway = createJiraGateway(policy);
  let sent = 0;

  const counted = { onRequest: () => { sent += 1; } };

  return {
    siteMeta: () => gateway.siteMeta(),
    fieldName: () => gateway.fieldName(),
    requests: () => sent,

    async epicPage(meta, token) {
      if (meta.epicTypeIds.length === 0) return { epics: [], next: undefined };
      const body: Record<string, unknown> = { jql: epicsJql(meta.epicTypeIds, []), fields: ['summary', 'status', 'project', meta.appFieldId], maxResults: PAGE_WITH_FIELDS };
      if (token !== undefined) body.nextPageToken = token;
      const page = await searchPage(client, body, counted);
      const at = Date.now();
      const epics = (page?.issues ?? []).map((issue) => epicEntryOf(issue, meta, at));
      return { epics, next: page?.isLast === true || !page?.nextPageToken ? undefined : page.nextPageToken };
    },

    async childrenOf(_meta, epicKeys, estimate, reconcileIssueIds = []) {
      if (epicKeys.length === 0) return [];
      // 400: one of the keys names an issue that no longer exists (an epic deleted meanwhile).
      const issues = await searchAll(client, childrenJql(epicKeys), childFields(estimate), { ...counted, reconcileIssues: reconcileIssueIds, accept: [400] });
      return issues === null ? null : issues.map((issue) => childOf(issue, estimate));
    },

    async inFlightOrphans(meta, estimate) {
      if (meta.standardTypeIds.length === 0) return [];
      const issues = await searchAll(client, inFlightOrphansJql(meta.standardTypeIds, []), childFields(estimate), counted);
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
        return { level: 1, epic: epicOf(issue, meta) } satisfies IssueFacts;
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
