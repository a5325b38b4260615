/**
 * Jira read in bulk as the app (`AppJira`): site facts, projects, epics, children, orphans, one issue by id,
 * names, and the field write. Built on one client (retries, errors) and one pager (`search-jql.ts`); fields
 * are limited to what the app reads; children come in `parent in (...)` batches.
 */
import { getAppContext, route } from '@forge/api';
import { AppError } from '../../domain/errors';
import { emptyProgress } from '../../domain/progress';
import { MODULE_KEYS } from '../../contract';
import { FIELD_WRITE_BATCH } from '../../domain/field-sync';
import type { AppJira, Clock, EffectiveEstimate, ProjectRef, SiteMeta } from '../../services/ports';
import type { ChildFacts, EpicEntry, IssueFacts } from '../../services/rollup-ports';
import type { StatusCategory } from '../../domain/types';
import { createJiraClient, type JiraClient, type RetryPolicy } from './jira-client';
import {
  fieldListSchema,
  issueSchema,
  issueTypeListSchema,
  isStatusCategory,
  type IssueDto,
  parseJira,
  permissionCheckSchema,
  projectPageSchema,
  statusListSchema,
  userPageSchema,
} from './jira-dto';
import { childFields, epicOf, estimateFields, workItemOf } from './issue-mapping';
import { PAGE_WITH_FIELDS, searchAll, searchPage, type SearchOptions } from './search-jql';
import { changedSinceJql, childrenJql, epicsJql, inFlightOrphansJql } from './jql';

/** `parent in (...)` batch: keeps JQL short and pages full. */
const PARENT_BATCH = 50;
const STORY_POINTS_TYPES = ['com.pyxis.greenhopper.jira:jsw-story-points', 'com.atlassian.jira.plugin.system.customfieldtypes:float'];
const META_TTL_MS = 10 * 60 * 1000;
/** The stored copy's own age limit (as well as its KVS TTL, which a clock skew could outlast). */
const SHARED_META_TTL_MS = 60 * 60 * 1000;

interface MetaEntry {
  meta: SiteMeta;
  fieldName: string;
  at: number;
}

/** Site facts kept for a while by whoever owns the cache (the composition root: one per container). */
export interface SiteMetaCache {
  entry?: MetaEntry;
}

/** Site facts as stored site-wide (`at`: when they were read from Jira, ms). */
export type StoredSiteFacts = MetaEntry;

/** Where site facts are shared between containers (storage, with its own expiry). */
export interface SiteFactsStore {
  get(): Promise<StoredSiteFacts | undefined>;
  set(facts: StoredSiteFacts): Promise<void>;
}

export interface AppJiraOptions {
  policy: RetryPolicy;
  clock: Clock;
  metaCache: SiteMetaCache;
  /** Site-wide copy of the facts; without it each container reads them from Jira. */
  siteFacts?: SiteFactsStore;
}

/** Every project of the site, as the app. */
export async function listProjects(client: JiraClient): Promise<ProjectRef[]> {
  const out: ProjectRef[] = [];
  for (let startAt = 0; startAt < 100_000; ) {
    const answer = await client.request('app', route`/rest/api/3/project/search?startAt=${startAt}&maxResults=${100}`);
    const page = parseJira(projectPageSchema, answer.json, 'a project list');
    out.push(...page.values.map((p) => ({ id: p.id, key: p.key, name: p.name })));
    if (page.isLast !== false || page.values.length === 0) break;
    startAt += page.values.length;
  }
  return out;
}

export function createAppJira({ policy, clock, metaCache, siteFacts }: AppJiraOptions): AppJira {
  const client = createJiraClient(policy, clock);
  let sent = 0;
  const counted: SearchOptions = { onRequest: () => { sent += 1; } };

  async function loadMeta(): Promise<MetaEntry> {
    const cached = metaCache.entry;
    if (cached && clock.now().getTime() - cached.at < META_TTL_MS) return cached;
    // Another container read them lately: the stored copy expires by itself (see site-facts-store.ts).
    const shared = await siteFacts?.get();
    if (shared && clock.now().getTime() - shared.at < SHARED_META_TTL_MS) {
      metaCache.entry = shared;
      return metaCache.entry;
    }
    const [fields, types, statuses] = await Promise.all([
      client.request('app', route`/rest/api/3/field`),
      client.request('app', route`/rest/api/3/issuetype`),
      client.request('app', route`/rest/api/3/status`),
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
      statusCategories: statusCategoriesOf(parseJira(statusListSchema, statuses.json, 'a status list')),
    };
    metaCache.entry = { meta, fieldName: appField.name, at: clock.now().getTime() };
    await siteFacts?.set(metaCache.entry);
    return metaCache.entry;
  }

  // Without `accept`, a search either answers every page or throws.
  const search = async (jql: string, fields: string[], reconcileIssues: string[] = []): Promise<IssueDto[]> =>
    (await searchAll(client, jql, fields, { ...counted, reconcileIssues })) ?? [];

  const epicFields = (meta: SiteMeta) => ['summary', 'status', 'project', meta.appFieldId];

  /**
   * The app field value API: as the app, skipping screens and the field's edit.validation (Jira runs that on
   * user edits only); one value for every issue listed.
   */
  const writeDestinationFields: AppJira['writeDestinationFields'] = async (meta, issueIds, value) => {
    if (issueIds.length === 0) return;
    if (issueIds.length > FIELD_WRITE_BATCH) throw new Error(`writeDestinationFields takes at most ${FIELD_WRITE_BATCH} issues a request`);
    await client.request('app', route`/rest/api/3/app/field/${meta.appFieldId}/value`, {
      method: 'PUT',
      body: { updates: [{ issueIds: issueIds.map(Number), value }] },
    });
  };

  return {
    async fieldName() {
      return (await loadMeta()).fieldName;
    },
    async siteMeta() {
      return (await loadMeta()).meta;
    },
    requests: () => sent,
    quota: () => client.quota(),
    projects: () => listProjects(client),
    async projectsClosedToApp() {
      const projects = await listProjects(client);
      const open = new Set<string>();
      for (let i = 0; i < projects.length; i += 1000) {
        const batch = projects.slice(i, i + 1000);
        // The app's own permissions (no accountId): allowed without Administer Jira.
        const answer = await client.request('app', route`/rest/api/3/permissions/check`, {
          method: 'POST',
          body: { projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], projects: batch.map((p) => Number(p.id)) }] },
        });
        const result = parseJira(permissionCheckSchema, answer.json, 'a permission check');
        for (const grant of result.projectPermissions ?? []) {
          if (grant.permission === 'BROWSE_PROJECTS') for (const id of grant.projects ?? []) open.add(String(id));
        }
      }
      return projects.filter((p) => !open.has(p.id)).map((p) => p.key);
    },
    async epics(meta, projectKeys) {
      if (meta.epicTypeIds.length === 0) return [];
      const issues = await search(epicsJql(meta.epicTypeIds, projectKeys), epicFields(meta));
      return issues.map((issue) => epicOf(issue, meta));
    },
    async epicPage(meta, token) {
      if (meta.epicTypeIds.length === 0) return { epics: [], next: undefined };
      const body: Record<string, unknown> = { jql: epicsJql(meta.epicTypeIds, []), fields: epicFields(meta), maxResults: PAGE_WITH_FIELDS };
      if (token !== undefined) body.nextPageToken = token;
      const page = await searchPage(client, body, counted);
      const at = clock.now().getTime();
      const epics = (page?.issues ?? []).map((issue) => epicEntryOf(issue, meta, at));
      return { epics, next: page?.isLast === true || !page?.nextPageToken ? undefined : page.nextPageToken };
    },
    async children(_meta, epicKeys, estimate) {
      const batches: string[][] = [];
      for (let i = 0; i < epicKeys.length; i += PARENT_BATCH) batches.push(epicKeys.slice(i, i + PARENT_BATCH));
      const fields = childFields(estimate);
      const pages = await mapLimit(batches, 4, (batch) => search(childrenJql(batch), fields));
      return pages.flat().map((issue) => workItemOf(issue, estimate));
    },
    async childrenOf(_meta, epicKeys, estimate, reconcileIssueIds = []) {
      if (epicKeys.length === 0) return [];
      const issues = await searchAll(client, childrenJql(epicKeys), childFields(estimate), { ...counted, reconcileIssues: reconcileIssueIds, accept: [400], onRefused: (json) => {
        // Only "this key does not exist" means an epic was deleted meanwhile; any other 400 is the app's own
        // mistake (bad JQL, an unknown field) and must fail loudly rather than read as "no children".
        if (!namesMissingParents(json, epicKeys)) throw new AppError('INTERNAL', 'Jira refused the search for the children of some epics. The recalculation stopped; the figures in use are kept.');
      } });
      return issues === null ? null : issues.map((issue) => childOf(issue, estimate));
    },
    async inFlightOrphans(meta, projectKeys, estimate) {
      if (meta.standardTypeIds.length === 0) return [];
      const issues = await search(inFlightOrphansJql(meta.standardTypeIds, projectKeys), childFields(estimate));
      return issues.map((issue) => workItemOf(issue, estimate));
    },
    async issue(meta, issueId, estimate) {
      const fields = factFields(meta, estimate).join(',');
      sent += 1;
      const answer = await client.request('app', route`/rest/api/3/issue/${issueId}?fields=${fields}`, { accept: [404] });
      if (answer.status === 404) return null;
      return factsOf(parseJira(issueSchema, answer.json, 'an issue'), meta, estimate);
    },
    async changedSince(meta, hours, estimate, token) {
      const types = [...meta.epicTypeIds, ...meta.standardTypeIds];
      if (types.length === 0) return { issues: [], next: undefined };
      const body: Record<string, unknown> = { jql: changedSinceJql(types, hours), fields: factFields(meta, estimate), maxResults: PAGE_WITH_FIELDS };
      if (token !== undefined) body.nextPageToken = token;
      const page = await searchPage(client, body, counted);
      const issues = (page?.issues ?? []).map((issue) => ({ id: issue.id, key: issue.key, facts: factsOf(issue, meta, estimate) }));
      return { issues, next: page?.isLast === true || !page?.nextPageToken ? undefined : page.nextPageToken };
    },
    async writeDestinationField(meta, issueId, value) {
      await writeDestinationFields(meta, [issueId], value);
    },
    writeDestinationFields,
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
  };
}

/**
 * Status id -> category, as a read of an issue in that status counts it: "No Category" (or a key Jira adds
 * later) as To Do, like `statusCategoryOf`.
 */
function statusCategoriesOf(statuses: Array<{ id: string; statusCategory?: { key: string } | undefined }>): Record<string, StatusCategory> {
  const out: Record<string, StatusCategory> = {};
  for (const status of statuses) {
    const key = status.statusCategory?.key;
    out[status.id] = key !== undefined && isStatusCategory(key) ? key : 'new';
  }
  return out;
}

/** Jira's answer to `parent in (...)` naming a key that does not exist (or that the app may not see). */
const MISSING_PARENT = /^The value '([^']+)' does not exist for the field 'parent'\.$/;

/** True when every message of Jira's 400 says that one of `keys` does not exist as a parent. */
export function namesMissingParents(json: unknown, keys: string[]): boolean {
  const messages = (json as { errorMessages?: unknown } | null)?.errorMessages;
  if (!Array.isArray(messages) || messages.length === 0) return false;
  const asked = new Set(keys);
  return messages.every((m) => {
    const key = typeof m === 'string' ? MISSING_PARENT.exec(m)?.[1] : undefined;
    return key !== undefined && asked.has(key);
  });
}

/** The fields one issue's facts need (an event's re-read and the daily catch-up read the same). */
function factFields(meta: SiteMeta, estimate: EffectiveEstimate): string[] {
  return ['summary', 'status', 'project', 'issuetype', 'parent', 'created', 'resolutiondate', meta.appFieldId, ...estimateFields(estimate)];
}

function factsOf(issue: IssueDto, meta: SiteMeta, estimate: EffectiveEstimate): IssueFacts {
  const level = issue.fields?.issuetype?.hierarchyLevel ?? 0;
  if (level === 1) return { level: 1, epic: epicOf(issue, meta) };
  if (level === 0) return { level: 0, child: childOf(issue, estimate) };
  return { level: -1 };
}

function epicEntryOf(issue: IssueDto, meta: SiteMeta, at: number): EpicEntry {
  return { ...epicOf(issue, meta), fAt: at, progress: emptyProgress(), doneWeeks: {}, unestimatedKeys: [], pAt: 0 };
}

function childOf(issue: IssueDto, estimate: EffectiveEstimate): ChildFacts {
  const { epicKey, ...facts } = workItemOf(issue, estimate);
  return { ...facts, parentKey: epicKey };
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
