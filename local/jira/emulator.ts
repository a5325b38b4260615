/**
 * The Jira Cloud site emulator: answers the REST endpoints the app calls, with Jira's semantics (paging,
 * permissions, error shapes, eventual consistency), and fires `avi:jira:*:issue` events for every change.
 */
import type { FaultKnobs, IssueEvent, JiraEmulator, ProductRequest, ProductResponse, SiteIssueInput } from '../types';
import { FaultDice, defaultFaults } from './faults';
import { JqlError } from './jql/parse';
import { bindJql, type BoundQuery, type JqlIssue, type JqlSchema } from './jql/evaluate';
import type { Site, SiteUser } from './site';
import { isRealDate } from './site';
import {
  BASE_URL,
  CATEGORIES,
  Catalogue,
  avatarUrls,
  clone,
  initialRecords,
  jiraDateTime,
  jqlView,
  parseSiteInstant,
  type IssueRecord,
} from './store';

export interface EmulatorOptions {
  /** The app id, bare (`0000...`) or as the manifest's ARI (`ari:cloud:ecosystem::app/0000...`). */
  appId: string;
  environmentId: string;
  fieldModuleKey: string;
  /** Defaults to `customfield_10100`. */
  fieldId?: string;
  /** Part of the field key Jira builds (`<appId>__<ENV>__<moduleKey>`); defaults to `DEVELOPMENT`. */
  environmentType?: string;
}

/** Members beyond the shared interface, for tests and the shell. */
export interface JiraSiteEmulator extends JiraEmulator {
  /** The account id Jira gives the app's own user (events the app causes carry it as `atlassianId`). */
  readonly appAccountId: string;
  /** Let the search index catch up with every write (only matters while `faults.staleIndex` is on). */
  syncIndex(): void;
  /** A copy of an issue's current state with its REST fields (as `GET issue` with `*all`), or undefined. */
  issue(keyOrId: string): IssueSnapshot | undefined;
  /**
   * Delay chosen requests: `beforeMs` before Jira applies the request, `afterMs` between applying it and
   * answering (a write that lands at once but whose answer is slow). Returns a function that removes it.
   */
  delayWhen(choose: (req: { method: string; path: string; body: unknown }) => RequestDelay | undefined): () => void;
}

/** Latency for one request, on either side of Jira applying it. */
export interface RequestDelay {
  beforeMs?: number;
  afterMs?: number;
}

/** An issue's stored state plus the fields REST would return for it. */
export type IssueSnapshot = IssueRecord & { fields: Record<string, unknown> };

type Caller = { kind: 'app' } | { kind: 'user'; user: SiteUser };

interface Ctx {
  caller: Caller;
  query: URLSearchParams;
  body: unknown;
  params: string[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }
}

const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };

function json(status: number, body: unknown, headers: Record<string, string> = {}): ProductResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

function noContent(): ProductResponse {
  return { status: 204, headers: {}, body: null };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';
const PAGE_CAP_IDS = 5000;
const PAGE_CAP_FIELDS = 100;
const RECONCILE_LIMIT = 50;

const PERMISSIONS: Record<string, { id: string; name: string; type: 'GLOBAL' | 'PROJECT'; description: string }> = {
  ADMINISTER: { id: '0', name: 'Administer Jira', type: 'GLOBAL', description: 'Create and administer projects, issue types, fields, workflows and users.' },
  BROWSE_USERS: { id: '27', name: 'Browse users and groups', type: 'GLOBAL', description: 'View and select users or groups from the user picker.' },
  BROWSE_PROJECTS: { id: '10', name: 'Browse Projects', type: 'PROJECT', description: 'Ability to browse projects and the issues within them.' },
  CREATE_ISSUES: { id: '11', name: 'Create Issues', type: 'PROJECT', description: 'Ability to create issues.' },
  EDIT_ISSUES: { id: '12', name: 'Edit Issues', type: 'PROJECT', description: 'Ability to edit issues.' },
  TRANSITION_ISSUES: { id: '46', name: 'Transition Issues', type: 'PROJECT', description: 'Ability to transition issues.' },
  DELETE_ISSUES: { id: '16', name: 'Delete Issues', type: 'PROJECT', description: 'Ability to delete issues.' },
};

function bareAppId(appId: string): string {
  return appId.replace(/^ari:cloud:ecosystem::app\//, '');
}

function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** Jira's duration text for time tracking (`3h 30m`, `2d`): a day is 8 hours and a week 5 days. */
function parseDuration(text: string): number | null {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)\s*([wdhm])/gi)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) return null;
  const unit: Record<string, number> = { w: 5 * 8 * 3600, d: 8 * 3600, h: 3600, m: 60 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unit[(p[2] as string).toLowerCase()] ?? 0), 0);
}

export function createJiraEmulator(site: Site, options: EmulatorOptions): JiraSiteEmulator {
  const cat = new Catalogue(site);
  const appUuid = bareAppId(options.appId);
  const appFieldId = options.fieldId ?? 'customfield_10100';
  const appFieldKey = `${appUuid}__${options.environmentType ?? 'DEVELOPMENT'}__${options.fieldModuleKey}`;
  const appFieldType = `ari:cloud:ecosystem::extension/${appUuid}/${options.environmentId}/static/${options.fieldModuleKey}`;
  const appFieldName = 'Business destination';
  const sp = site.storyPointsField;
  const appAccountId = `app-${appUuid}`;

  const records = new Map<string, IssueRecord>();
  const byKey = new Map<string, IssueRecord>();
  for (const rec of initialRecords(site, cat)) {
    records.set(rec.id, rec);
    byKey.set(rec.key, rec);
  }
  let nextId = 10001 + site.issues.length;
  const nextNumber = new Map<string, number>();
  for (const rec of records.values()) {
    const n = Number(rec.key.slice(rec.key.lastIndexOf('-') + 1));
    nextNumber.set(rec.projectKey, Math.max(nextNumber.get(rec.projectKey) ?? 1, n + 1));
  }
  /** Write clock: every write moves a second past the site's "now", so `updated` orders writes. */
  let writes = 0;
  const clock = (): number => cat.now + ++writes * 1000;

  /** Pre-change copies (null = did not exist) of issues written while the index is stale. */
  const stale = new Map<string, IssueRecord | null>();
  const views = new Map<string, JqlIssue>();
  const listeners = new Set<(event: IssueEvent) => void>();
  let log: Record<string, number> = {};
  const faults: FaultKnobs = defaultFaults();
  const dice = new FaultDice(faults.seed);
  const resultCache = new Map<string, IssueRecord[]>();

  // ---- lookups and permissions -------------------------------------------------------------------------

  const findIssue = (idOrKey: string): IssueRecord | undefined => records.get(idOrKey) ?? byKey.get(idOrKey.toUpperCase());
  const parentIdOf = (key: string): string | null => byKey.get(key)?.id ?? null;

  function canBrowse(caller: Caller, projectKey: string): boolean {
    if (caller.kind === 'app') return true;
    const p = cat.project(projectKey);
    return !!p && (p.browse === undefined || p.browse.includes(caller.user.accountId));
  }
  function canEdit(caller: Caller, projectKey: string): boolean {
    if (caller.kind === 'app') return true;
    const p = cat.project(projectKey);
    return canBrowse(caller, projectKey) && !!p && (p.edit === undefined || p.edit.includes(caller.user.accountId));
  }
  function hasProjectPermission(caller: Caller, permission: string, projectKey: string): boolean {
    return permission === 'BROWSE_PROJECTS' ? canBrowse(caller, projectKey) : canEdit(caller, projectKey);
  }
  function hasGlobalPermission(caller: Caller, permission: string): boolean {
    if (permission === 'BROWSE_USERS') return true;
    return caller.kind === 'user' && caller.user.admin;
  }
  /** An issue the caller may see, or the 404 Jira gives both for "missing" and "not allowed". */
  function visibleIssue(caller: Caller, idOrKey: string): IssueRecord {
    const rec = findIssue(idOrKey);
    if (!rec || !canBrowse(caller, rec.projectKey)) throw new HttpError(404, [ISSUE_NOT_FOUND]);
    return rec;
  }

  function viewOf(rec: IssueRecord): JqlIssue {
    let v = views.get(rec.id);
    if (!v || v.key !== rec.key) {
      v = jqlView(rec, cat, parentIdOf);
      views.set(rec.id, v);
    }
    return v;
  }

  function schemaFor(caller: Caller): JqlSchema {
    return {
      projects: cat.projects.filter((p) => canBrowse(caller, p.key)),
      issueTypes: cat.issueTypes,
      statuses: cat.statuses.map((s) => ({ id: s.id, name: s.name, categoryKey: s.category })),
      categories: CATEGORIES.map((c) => ({ id: String(c.id), key: c.key, name: c.name })),
      issueId: (keyOrId) => {
        const rec = findIssue(keyOrId);
        return rec && canBrowse(caller, rec.projectKey) ? rec.id : undefined;
      },
      appField: { id: appFieldId, name: appFieldName },
      storyPointsField: sp,
      now: cat.now,
    };
  }

  // ---- rendering ------------------------------------------------------------------------------------------

  const ALL_FIELDS = ['summary', 'status', 'issuetype', 'parent', 'project', 'created', 'updated', 'resolutiondate', 'resolution', 'timeoriginalestimate', sp.id, appFieldId];

  /** Jira's `fields` parameter: ids, `*all`, `*navigable`, `-id` exclusions; unknown ids are ignored. */
  function selectFields(requested: string[] | undefined, fallback: string[]): Set<string> {
    const items = (requested ?? fallback).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
    const out = new Set<string>();
    for (const item of items) {
      if (item === '*all' || item === '*navigable') ALL_FIELDS.forEach((f) => out.add(f));
      else if (item === appFieldKey) out.add(appFieldId);
      else if (ALL_FIELDS.includes(item)) out.add(item);
    }
    for (const item of items) if (item.startsWith('-')) out.delete(item.slice(1));
    return out;
  }

  function renderFields(rec: IssueRecord, fields: Set<string>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const status = cat.status(rec.status);
    for (const f of fields) {
      switch (f) {
        case 'summary':
          out.summary = rec.summary;
          break;
        case 'status':
          out.status = cat.statusBean(rec.status);
          break;
        case 'issuetype':
          out.issuetype = cat.issueTypeBean(rec.type);
          break;
        case 'parent': {
          const parent = rec.parentKey ? byKey.get(rec.parentKey) : undefined;
          if (parent) {
            out.parent = {
              id: parent.id,
              key: parent.key,
              self: `${BASE_URL}/rest/api/3/issue/${parent.id}`,
              fields: { summary: parent.summary, status: cat.statusBean(parent.status), issuetype: cat.issueTypeBean(parent.type) },
            };
          }
          break;
        }
        case 'project': {
          const p = cat.project(rec.projectKey);
          if (p) out.project = { self: `${BASE_URL}/rest/api/3/project/${p.id}`, id: p.id, key: p.key, name: p.name, projectTypeKey: 'software', simplified: false, avatarUrls: avatarUrls(`project/${p.id}`) };
          break;
        }
        case 'created':
          out.created = jiraDateTime(rec.created);
          break;
        case 'updated':
          out.updated = jiraDateTime(rec.updated);
          break;
        case 'resolutiondate':
          out.resolutiondate = rec.resolved === null ? null : jiraDateTime(rec.resolved);
          break;
        case 'resolution':
          out.resolution = status?.category === 'done' ? { self: `${BASE_URL}/rest/api/3/resolution/10000`, id: '10000', name: 'Done', description: 'Work has been completed on this issue.' } : null;
          break;
        case 'timeoriginalestimate':
          out.timeoriginalestimate = rec.originalEstimate;
          break;
        default:
          if (f === sp.id) out[sp.id] = rec.points;
          else if (f === appFieldId) out[appFieldId] = rec.appValue ?? null;
      }
    }
    return out;
  }

  function issueBean(rec: IssueRecord, fields: Set<string>): Record<string, unknown> {
    return { expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: rec.id, self: `${BASE_URL}/rest/api/3/issue/${rec.id}`, key: rec.key, fields: renderFields(rec, fields) };
  }

  function userBean(u: SiteUser): Record<string, unknown> {
    return {
      self: `${BASE_URL}/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`,
      accountId: u.accountId,
      accountType: 'atlassian',
      ...(u.emailAddress ? { emailAddress: u.emailAddress } : {}),
      avatarUrls: avatarUrls(u.accountId),
      displayName: u.displayName,
      active: true,
      timeZone: 'Etc/UTC',
      locale: 'en_US',
    };
  }

  function appUserBean(): Record<string, unknown> {
    return { self: `${BASE_URL}/rest/api/3/user?accountId=${appAccountId}`, accountId: appAccountId, accountType: 'app', avatarUrls: avatarUrls(appAccountId), displayName: 'Business Destination', active: true };
  }

  // ---- writes and events -----------------------------------------------------------------------------------

  function beforeWrite(rec: IssueRecord | undefined, id: string): void {
    resultCache.clear();
    views.delete(id);
    if (faults.staleIndex && !stale.has(id)) stale.set(id, rec ? clone(rec) : null);
  }

  function emit(event: IssueEvent): void {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (e) {
        // A failing trigger must not fail the write that caused it, as in Jira; surface it for the test log.
        console.error('issue event listener failed', e);
      }
    }
  }

  function eventFields(rec: IssueRecord): Record<string, unknown> {
    return renderFields(rec, new Set(ALL_FIELDS));
  }

  function actorOf(caller: Caller): { atlassianId: string; selfGenerated: boolean } {
    return caller.kind === 'app' ? { atlassianId: appAccountId, selfGenerated: true } : { atlassianId: caller.user.accountId, selfGenerated: false };
  }

  type ChangeItem = NonNullable<IssueEvent['changelog']>['items'][number];

  function changelogItems(before: IssueRecord, after: IssueRecord): ChangeItem[] {
    const items: ChangeItem[] = [];
    const push = (field: string, fieldId: string | undefined, from: string | null, fromString: string | null, to: string | null, toString: string | null): void => {
      items.push({ field, ...(fieldId ? { fieldId } : {}), from, fromString, to, toString });
    };
    if (before.summary !== after.summary) push('summary', 'summary', null, before.summary, null, after.summary);
    if (before.type !== after.type) push('issuetype', 'issuetype', cat.issueType(before.type)?.id ?? null, before.type, cat.issueType(after.type)?.id ?? null, after.type);
    if (before.status !== after.status) push('status', 'status', cat.status(before.status)?.id ?? null, before.status, cat.status(after.status)?.id ?? null, after.status);
    const bDone = before.resolved !== null;
    const aDone = after.resolved !== null;
    if (bDone !== aDone) push('resolution', 'resolution', bDone ? '10000' : null, bDone ? 'Done' : null, aDone ? '10000' : null, aDone ? 'Done' : null);
    if (before.parentKey !== after.parentKey) {
      push('IssueParentAssociation', undefined, before.parentKey ? parentIdOf(before.parentKey) : null, before.parentKey, after.parentKey ? parentIdOf(after.parentKey) : null, after.parentKey);
    }
    if (before.points !== after.points) push(sp.name, sp.id, null, before.points === null ? null : String(before.points), null, after.points === null ? null : String(after.points));
    if (before.originalEstimate !== after.originalEstimate) {
      push('timeoriginalestimate', 'timeoriginalestimate', before.originalEstimate === null ? null : String(before.originalEstimate), null, after.originalEstimate === null ? null : String(after.originalEstimate), null);
    }
    if (JSON.stringify(before.appValue ?? null) !== JSON.stringify(after.appValue ?? null)) {
      const text = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
      const name = (v: unknown): string | null => (isObject(v) && typeof v.name === 'string' ? v.name : text(v));
      push(appFieldName, appFieldId, text(before.appValue), name(before.appValue), text(after.appValue), name(after.appValue));
    }
    return items;
  }

  /** Apply a change to an existing issue, keep resolution in step with the status, and fire the event. */
  function applyUpdate(rec: IssueRecord, change: Partial<IssueRecord>, caller: Caller): void {
    const before = clone(rec);
    const next: IssueRecord = { ...rec, ...change };
    const stamp = cat.now + (writes + 1) * 1000;
    const wasDone = cat.status(before.status)?.category === 'done';
    const isDone = cat.status(next.status)?.category === 'done';
    if (!isDone) next.resolved = null;
    else if (!wasDone && change.resolved === undefined) next.resolved = stamp;
    const items = changelogItems(before, next);
    if (items.length === 0) return;
    beforeWrite(rec, rec.id);
    next.updated = clock();
    Object.assign(rec, next);
    emit({ eventType: 'avi:jira:updated:issue', issue: { id: rec.id, key: rec.key, fields: eventFields(rec) }, changelog: { items }, ...actorOf(caller) });
  }

  function insertIssue(input: SiteIssueInput, caller: Caller, appValue?: unknown): IssueRecord {
    const projectKey = input.project ?? (input.key ? input.key.slice(0, input.key.lastIndexOf('-')) : undefined);
    const project = projectKey ? cat.project(projectKey) : undefined;
    if (!project) throw new HttpError(400, [], { project: 'Specify a valid project ID or key' });
    const type = cat.issueType(input.type);
    if (!type) throw new HttpError(400, [], { issuetype: 'Specify an issue type' });
    const status = cat.status(input.status);
    if (!status) throw new HttpError(400, [], { status: `Unknown status "${input.status}"` });
    if (!input.summary) throw new HttpError(400, [], { summary: 'You must specify a summary of the issue.' });
    const parentKey = input.parent ? findIssue(input.parent)?.key : null;
    if (input.parent && !parentKey) throw new HttpError(400, [], { parent: `Issue '${input.parent}' not found.` });
    if (parentKey) {
      const parentRec = byKey.get(parentKey) as IssueRecord;
      const level = cat.issueType(parentRec.type)?.hierarchyLevel;
      if (level !== type.hierarchyLevel + 1) throw new HttpError(400, [], { parent: `A ${type.name} cannot have the ${parentRec.type} ${parentKey} as parent.` });
      if (!canBrowse(caller, parentRec.projectKey)) throw new HttpError(400, [], { parent: `Issue '${input.parent}' not found.` });
    } else if (type.hierarchyLevel === -1) {
      throw new HttpError(400, [], { parent: 'Sub-tasks need a parent.' });
    }
    let key = input.key;
    if (key) {
      if (byKey.has(key)) throw new HttpError(400, [], { key: `Issue key ${key} is already used.` });
    } else {
      const n = nextNumber.get(project.key) ?? 1;
      key = `${project.key}-${n}`;
    }
    const n = Number(key.slice(key.lastIndexOf('-') + 1));
    nextNumber.set(project.key, Math.max(nextNumber.get(project.key) ?? 1, n + 1));
    const id = String(nextId++);
    beforeWrite(undefined, id);
    const now = clock();
    const created = input.created ? parseSiteInstant(input.created) : now;
    const rec: IssueRecord = {
      id,
      key,
      projectKey: project.key,
      type: type.name,
      summary: input.summary,
      status: status.name,
      parentKey: parentKey ?? null,
      points: input.points ?? null,
      originalEstimate: input.originalEstimate ?? null,
      appValue: appValue !== undefined ? appValue : input.destination ? cat.destinationValue(input.destination) : null,
      created,
      updated: now,
      resolved: status.category === 'done' ? (input.resolved ? parseSiteInstant(input.resolved) : now) : null,
    };
    records.set(id, rec);
    byKey.set(key, rec);
    emit({ eventType: 'avi:jira:created:issue', issue: { id, key, fields: eventFields(rec) }, ...actorOf(caller) });
    return rec;
  }

  function removeIssue(rec: IssueRecord, caller: Caller, deleteSubtasks: boolean): void {
    const children = [...records.values()].filter((r) => r.parentKey === rec.key);
    const subtasks = children.filter((c) => cat.issueType(c.type)?.hierarchyLevel === -1);
    if (subtasks.length > 0 && !deleteSubtasks) {
      throw new HttpError(400, ['The issue has subtasks. Use the deleteSubtasks parameter to delete the issue and its subtasks.']);
    }
    for (const s of subtasks) removeIssue(s, caller, true);
    // Deleting an epic leaves its children without a parent, as Jira does.
    for (const c of children.filter((c) => !subtasks.includes(c))) applyUpdate(c, { parentKey: null }, caller);
    beforeWrite(rec, rec.id);
    const fields = eventFields(rec);
    records.delete(rec.id);
    byKey.delete(rec.key);
    emit({ eventType: 'avi:jira:deleted:issue', issue: { id: rec.id, key: rec.key, fields }, ...actorOf(caller) });
  }

  // ---- field writes (PUT issue, POST issue, app field API) ----------------------------------------------

  function appValueFrom(value: unknown, field: string): unknown {
    if (value === null) return null;
    if (!isObject(value) || typeof value.id !== 'string' || (value.name !== undefined && typeof value.name !== 'string')) {
      throw new HttpError(400, [], { [field]: 'The value does not match the field schema: an object with a string "id" (and optional string "name") or null.' });
    }
    return { ...value };
  }

  function refKey(value: unknown, field: string): string | null {
    if (value === null) return null;
    if (isObject(value) && (typeof value.key === 'string' || typeof value.id === 'string')) {
      return String(value.key ?? value.id);
    }
    throw new HttpError(400, [], { [field]: `Could not find a valid ${field}: give {"key": ...} or {"id": ...}.` });
  }

  /** Turn an edit/create `fields` object into record changes; fields Jira would not allow answer 400. */
  function fieldChanges(fields: Record<string, unknown>, rec: IssueRecord | null, caller: Caller): Partial<IssueRecord> {
    const change: Partial<IssueRecord> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'summary') {
        if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, [], { summary: 'You must specify a summary of the issue.' });
        change.summary = value;
      } else if (name === sp.id) {
        if (value !== null && (typeof value !== 'number' || value < 0)) throw new HttpError(400, [], { [sp.id]: 'Operation value must be a number' });
        change.points = value as number | null;
      } else if (name === appFieldId) {
        change.appValue = appValueFrom(value, appFieldId);
      } else if (name === 'timetracking') {
        const original = isObject(value) ? value.originalEstimate : undefined;
        const seconds = typeof original === 'string' ? parseDuration(original) : null;
        if (seconds === null) throw new HttpError(400, [], { timetracking: 'Original estimate must be a duration such as 3h or 1d 2h.' });
        change.originalEstimate = seconds;
      } else if (name === 'parent') {
        const key = refKey(value, 'parent');
        const parent = key ? findIssue(key) : undefined;
        if (key && (!parent || !canBrowse(caller, parent.projectKey))) throw new HttpError(400, [], { parent: `Could not find issue by id or key: ${key}` });
        if (parent && rec) {
          const level = cat.issueType(rec.type)?.hierarchyLevel ?? 0;
          if (cat.issueType(parent.type)?.hierarchyLevel !== level + 1) throw new HttpError(400, [], { parent: `Issue type '${parent.type}' cannot be the parent of a ${rec.type}.` });
        }
        change.parentKey = parent ? parent.key : null;
      } else if (rec === null && (name === 'project' || name === 'issuetype')) {
        continue;
      } else {
        throw new HttpError(400, [], { [name]: `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.` });
      }
    }
    return change;
  }

  // ---- search -------------------------------------------------------------------------------------------

  function indexedRecords(reconcile: Set<string>): IssueRecord[] {
    if (!faults.staleIndex) stale.clear();
    if (stale.size === 0) return [...records.values()];
    const out: IssueRecord[] = [];
    for (const rec of records.values()) {
      if (stale.has(rec.id) && !reconcile.has(rec.id)) {
        const old = stale.get(rec.id);
        if (old) out.push(old);
      } else out.push(rec);
    }
    for (const [id, old] of stale) if (old && !records.has(id) && !reconcile.has(id)) out.push(old);
    return out;
  }

  function bind(caller: Caller, jql: unknown): BoundQuery {
    if (typeof jql !== 'string') throw new HttpError(400, ['The JQL query is required.']);
    try {
      const q = bindJql(jql, schemaFor(caller));
      if (!q.bounded) throw new HttpError(400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
      return q;
    } catch (e) {
      if (e instanceof JqlError) throw new HttpError(400, [e.message]);
      throw e;
    }
  }

  function matching(caller: Caller, jql: string, reconcile: Set<string>): IssueRecord[] {
    if (!faults.staleIndex && stale.size > 0) {
      stale.clear();
      resultCache.clear();
    }
    const cacheKey = `${caller.kind === 'app' ? 'app' : caller.user.accountId}\u0000${[...reconcile].sort().join(',')}\u0000${jql}`;
    const hit = resultCache.get(cacheKey);
    if (hit) return hit;
    const q = bind(caller, jql);
    const all = indexedRecords(reconcile).filter((r) => canBrowse(caller, r.projectKey));
    const withViews = all.map((r) => ({ r, v: r === records.get(r.id) ? viewOf(r) : jqlView(r, cat, parentIdOf) })).filter((x) => q.matches(x.v));
    withViews.sort((a, b) => q.compare(a.v, b.v));
    const result = withViews.map((x) => x.r);
    if (resultCache.size > 20) resultCache.clear();
    resultCache.set(cacheKey, result);
    return result;
  }

  function toStringList(v: unknown, name: string): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    throw new HttpError(400, [`'${name}' must be a list of strings.`]);
  }

  function search(caller: Caller, input: { jql: unknown; fields?: string[]; maxResults?: unknown; nextPageToken?: unknown; reconcileIssues?: unknown }): ProductResponse {
    if (typeof input.jql !== 'string') throw new HttpError(400, ['The JQL query is required.']);
    const jql = input.jql;
    const reconcileRaw = input.reconcileIssues ?? [];
    if (!Array.isArray(reconcileRaw) || !reconcileRaw.every((x) => Number.isInteger(Number(x)))) throw new HttpError(400, ['reconcileIssues must be a list of issue ids.']);
    if (reconcileRaw.length > RECONCILE_LIMIT) throw new HttpError(400, [`reconcileIssues accepts at most ${RECONCILE_LIMIT} issue ids.`]);
    const reconcile = new Set(reconcileRaw.map((x) => String(Number(x))));
    const fields = selectFields(input.fields, ['id']);
    const cap = fields.size === 0 ? PAGE_CAP_IDS : PAGE_CAP_FIELDS;
    let maxResults = 50;
    if (input.maxResults !== undefined && input.maxResults !== null) {
      const n = Number(input.maxResults);
      if (!Number.isInteger(n) || n < 0) throw new HttpError(400, ["The 'maxResults' parameter must be a non-negative integer."]);
      maxResults = n;
    }
    maxResults = Math.min(Math.max(maxResults, 1), cap);
    let offset = 0;
    if (typeof input.nextPageToken === 'string' && input.nextPageToken !== '') {
      offset = decodeToken(input.nextPageToken, jql);
    } else if (input.nextPageToken !== undefined && input.nextPageToken !== null && input.nextPageToken !== '') {
      throw new HttpError(400, ['Invalid nextPageToken.']);
    }
    const all = matching(caller, jql, reconcile);
    const page = all.slice(offset, offset + maxResults);
    const isLast = offset + page.length >= all.length;
    const body: Record<string, unknown> = { issues: page.map((r) => ({ id: r.id, key: r.key, self: `${BASE_URL}/rest/api/3/issue/${r.id}`, fields: renderFields(r, fields) })), isLast };
    if (!isLast) body.nextPageToken = Buffer.from(JSON.stringify({ o: offset + page.length, q: hash(jql) })).toString('base64url');
    return json(200, body);
  }

  function decodeToken(token: string, jql: string): number {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      if (isObject(parsed) && typeof parsed.o === 'number' && parsed.q === hash(jql)) return parsed.o;
    } catch {
      // fall through to Jira's answer for a token it did not issue
    }
    throw new HttpError(400, ['Invalid nextPageToken.']);
  }

  // ---- routes -------------------------------------------------------------------------------------------

  type Handler = (ctx: Ctx) => ProductResponse;
  const routes: Array<{ method: string; template: string; re: RegExp; handler: Handler }> = [];
  const route = (method: string, template: string, handler: Handler): void => {
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
    routes.push({ method, template, re, handler });
  };

  const bodyObject = (ctx: Ctx): Record<string, unknown> => {
    if (!isObject(ctx.body)) throw new HttpError(400, ['The request body is missing or is not a JSON object.']);
    return ctx.body;
  };
  const intParam = (q: URLSearchParams, name: string, fallback: number, max: number): number => {
    const raw = q.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new HttpError(400, [`The '${name}' parameter must be a non-negative integer.`]);
    return Math.min(n, max);
  };

  route('GET', '/rest/api/3/field', () => {
    const system = (id: string, name: string, schema: Record<string, unknown>, clauseNames: string[]): Record<string, unknown> => ({
      id, key: id, name, custom: false, orderable: true, navigable: true, searchable: true, clauseNames, schema,
    });
    return json(200, [
      system('summary', 'Summary', { type: 'string', system: 'summary' }, ['summary']),
      system('status', 'Status', { type: 'status', system: 'status' }, ['status']),
      system('issuetype', 'Issue Type', { type: 'issuetype', system: 'issuetype' }, ['issuetype', 'type']),
      system('parent', 'Parent', { type: 'issuelink', system: 'parent' }, ['parent']),
      system('project', 'Project', { type: 'project', system: 'project' }, ['project']),
      system('created', 'Created', { type: 'datetime', system: 'created' }, ['created', 'createdDate']),
      system('updated', 'Updated', { type: 'datetime', system: 'updated' }, ['updated', 'updatedDate']),
      system('resolutiondate', 'Resolved', { type: 'datetime', system: 'resolutiondate' }, ['resolutiondate', 'resolved']),
      system('resolution', 'Resolution', { type: 'resolution', system: 'resolution' }, ['resolution']),
      system('timeoriginalestimate', 'Original estimate', { type: 'number', system: 'timeoriginalestimate' }, ['originalEstimate', 'timeoriginalestimate']),
      {
        id: sp.id, key: sp.id, name: sp.name, custom: true, orderable: true, navigable: true, searchable: true,
        clauseNames: [`cf[${sp.id.replace('customfield_', '')}]`, sp.name],
        schema: { type: 'number', custom: 'com.pyxis.greenhopper.jira:jsw-story-points', customId: Number(sp.id.replace('customfield_', '')) },
      },
      {
        id: appFieldId, key: appFieldKey, name: appFieldName, custom: true, orderable: true, navigable: true, searchable: true,
        clauseNames: [`cf[${appFieldId.replace('customfield_', '')}]`, appFieldName],
        schema: { type: 'any', custom: appFieldType, customId: Number(appFieldId.replace('customfield_', '')) },
      },
    ]);
  });

  route('GET', '/rest/api/3/issuetype', () => json(200, cat.issueTypes.map((t) => cat.issueTypeBean(t.name))));

  route('GET', '/rest/api/3/project/search', (ctx) => {
    const startAt = intParam(ctx.query, 'startAt', 0, Number.MAX_SAFE_INTEGER);
    const maxResults = Math.max(1, intParam(ctx.query, 'maxResults', 50, 100));
    const keys = ctx.query.getAll('keys').flatMap((k) => k.split(',')).filter(Boolean);
    const text = (ctx.query.get('query') ?? '').toLowerCase();
    const visible = cat.projects
      .filter((p) => canBrowse(ctx.caller, p.key))
      .filter((p) => keys.length === 0 || keys.includes(p.key) || keys.includes(p.id))
      .filter((p) => !text || p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text));
    const page = visible.slice(startAt, startAt + maxResults);
    const isLast = startAt + page.length >= visible.length;
    const self = `${BASE_URL}/rest/api/3/project/search?startAt=${startAt}&maxResults=${maxResults}`;
    return json(200, {
      self,
      ...(isLast ? {} : { nextPage: `${BASE_URL}/rest/api/3/project/search?startAt=${startAt + page.length}&maxResults=${maxResults}` }),
      maxResults, startAt, total: visible.length, isLast,
      values: page.map((p) => cat.projectBean(p)),
    });
  });

  route('GET', '/rest/api/3/myself', (ctx) => json(200, ctx.caller.kind === 'app' ? appUserBean() : userBean(ctx.caller.user)));

  const findUser = (accountId: string): SiteUser | undefined => site.users.find((u) => u.accountId === accountId);

  route('GET', '/rest/api/3/user', (ctx) => {
    const id = ctx.query.get('accountId');
    if (!id) throw new HttpError(400, ['The accountId query parameter needs to be provided.']);
    if (id === appAccountId) return json(200, appUserBean());
    const u = findUser(id);
    if (!u) throw new HttpError(404, [`Specified user does not exist or you do not have required permissions`]);
    return json(200, userBean(u));
  });

  route('GET', '/rest/api/3/user/bulk', (ctx) => {
    const ids = ctx.query.getAll('accountId').flatMap((a) => a.split(',')).filter(Boolean);
    if (ids.length === 0) throw new HttpError(400, ['The accountId query parameter needs to be provided.']);
    const startAt = intParam(ctx.query, 'startAt', 0, Number.MAX_SAFE_INTEGER);
    const maxResults = Math.max(1, intParam(ctx.query, 'maxResults', 10, 200));
    const found = ids.map(findUser).filter((u): u is SiteUser => !!u);
    const page = found.slice(startAt, startAt + maxResults);
    const isLast = startAt + page.length >= found.length;
    return json(200, { self: `${BASE_URL}/rest/api/3/user/bulk?startAt=${startAt}&maxResults=${maxResults}`, maxResults, startAt, total: found.length, isLast, values: page.map(userBean) });
  });

  route('GET', '/rest/api/3/user/search', (ctx) => {
    const text = ctx.query.get('query');
    const accountId = ctx.query.get('accountId');
    if (!text && !accountId) throw new HttpError(400, ["One of 'query' or 'accountId' parameters is required."]);
    const startAt = intParam(ctx.query, 'startAt', 0, Number.MAX_SAFE_INTEGER);
    const maxResults = Math.max(1, intParam(ctx.query, 'maxResults', 50, 1000));
    const needle = (text ?? '').toLowerCase();
    const found = site.users.filter((u) => (accountId ? u.accountId === accountId : true) && (!needle || u.displayName.toLowerCase().includes(needle) || (u.emailAddress ?? '').toLowerCase().startsWith(needle) || u.accountId === text));
    return json(200, found.slice(startAt, startAt + maxResults).map(userBean));
  });

  const searchGet: Handler = (ctx) =>
    search(ctx.caller, {
      jql: ctx.query.get('jql') ?? undefined,
      fields: ctx.query.getAll('fields').length ? ctx.query.getAll('fields') : undefined,
      maxResults: ctx.query.get('maxResults') ?? undefined,
      nextPageToken: ctx.query.get('nextPageToken') ?? undefined,
      reconcileIssues: ctx.query.getAll('reconcileIssues').flatMap((r) => r.split(',')).filter(Boolean),
    });
  route('GET', '/rest/api/3/search/jql', searchGet);
  route('POST', '/rest/api/3/search/jql', (ctx) => {
    const b = bodyObject(ctx);
    return search(ctx.caller, { jql: b.jql, fields: toStringList(b.fields, 'fields'), maxResults: b.maxResults, nextPageToken: b.nextPageToken, reconcileIssues: b.reconcileIssues });
  });
  route('POST', '/rest/api/3/search/approximate-count', (ctx) => {
    const b = bodyObject(ctx);
    if (typeof b.jql !== 'string') throw new HttpError(400, ['The JQL query is required.']);
    return json(200, { count: matching(ctx.caller, b.jql, new Set()).length });
  });
  const removed: Handler = () =>
    json(410, { errorMessages: ['The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046'], errors: {} });
  route('GET', '/rest/api/3/search', removed);
  route('POST', '/rest/api/3/search', removed);

  route('GET', '/rest/api/3/issue/{issueIdOrKey}', (ctx) => {
    const rec = visibleIssue(ctx.caller, ctx.params[0] as string);
    const requested = ctx.query.getAll('fields');
    return json(200, issueBean(rec, selectFields(requested.length ? requested : undefined, ['*all'])));
  });

  route('PUT', '/rest/api/3/issue/{issueIdOrKey}', (ctx) => {
    const rec = visibleIssue(ctx.caller, ctx.params[0] as string);
    if (!canEdit(ctx.caller, rec.projectKey)) throw new HttpError(403, ['You do not have permission to edit issues in this project.']);
    const b = bodyObject(ctx);
    const fields = b.fields === undefined ? {} : b.fields;
    if (!isObject(fields)) throw new HttpError(400, ["'fields' must be an object."]);
    if (b.update !== undefined && !(isObject(b.update) && Object.keys(b.update).length === 0)) {
      throw new HttpError(400, ['The emulator supports edits through "fields" only, not "update" operations.']);
    }
    applyUpdate(rec, fieldChanges(fields, rec, ctx.caller), ctx.caller);
    return noContent();
  });

  route('POST', '/rest/api/3/issue', (ctx) => {
    const b = bodyObject(ctx);
    const fields = b.fields;
    if (!isObject(fields)) throw new HttpError(400, ["'fields' must be an object."]);
    const projectKey = refKey(fields.project ?? null, 'project');
    const project = projectKey ? cat.project(projectKey) : undefined;
    if (!project || !canBrowse(ctx.caller, project.key)) throw new HttpError(400, [], { project: 'Specify a valid project ID or key' });
    if (!canEdit(ctx.caller, project.key)) throw new HttpError(403, ['You do not have permission to create issues in this project.']);
    const typeRef = isObject(fields.issuetype) ? (fields.issuetype.id ?? fields.issuetype.name) : undefined;
    const type = typeof typeRef === 'string' ? cat.issueType(typeRef) : undefined;
    if (!type) throw new HttpError(400, [], { issuetype: 'Specify an issue type' });
    const change = fieldChanges(fields, null, ctx.caller);
    if (!change.summary) throw new HttpError(400, [], { summary: 'You must specify a summary of the issue.' });
    const initial = cat.statuses.find((s) => s.category === 'new') ?? cat.statuses[0];
    const rec = insertIssue(
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
    const rec = visibleIssue(ctx.caller, ctx.params[0] as string);
    if (!canEdit(ctx.caller, rec.projectKey)) throw new HttpError(403, ['You do not have permission to delete issues in this project.']);
    removeIssue(rec, ctx.caller, ctx.query.get('deleteSubtasks') === 'true');
    return noContent();
  });

  route('GET', '/rest/api/3/issue/{issueIdOrKey}/transitions', (ctx) => {
    const rec = visibleIssue(ctx.caller, ctx.params[0] as string);
    const allowed = canEdit(ctx.caller, rec.projectKey);
    const transitions = allowed
      ? cat.statuses
          .filter((s) => s.name !== rec.status)
          .map((s) => ({ id: s.id, name: s.name, to: cat.statusBean(s.name), hasScreen: false, isGlobal: true, isInitial: false, isAvailable: true, isConditional: false, isLooped: false }))
      : [];
    return json(200, { expand: 'transitions', transitions });
  });

  route('POST', '/rest/api/3/issue/{issueIdOrKey}/transitions', (ctx) => {
    const rec = visibleIssue(ctx.caller, ctx.params[0] as string);
    if (!canEdit(ctx.caller, rec.projectKey)) throw new HttpError(403, ['You do not have permission to transition this issue.']);
    const b = bodyObject(ctx);
    const id = isObject(b.transition) ? b.transition.id : undefined;
    const target = typeof id === 'string' || typeof id === 'number' ? cat.statuses.find((s) => s.id === String(id)) : undefined;
    if (!target) throw new HttpError(400, [`Transition id '${String(id)}' is not valid for this issue.`]);
    const change: Partial<IssueRecord> = { status: target.name };
    if (isObject(b.fields)) Object.assign(change, fieldChanges(b.fields, rec, ctx.caller));
    applyUpdate(rec, change, ctx.caller);
    return noContent();
  });

  route('PUT', '/rest/api/3/app/field/{fieldIdOrKey}/value', (ctx) => {
    if (ctx.caller.kind !== 'app') throw new HttpError(403, ['Only the app that provides this field can update its value through this API.']);
    const fieldRef = decodeURIComponent(ctx.params[0] as string);
    if (fieldRef !== appFieldId && fieldRef !== appFieldKey) throw new HttpError(404, [`The custom field ${fieldRef} was not found or does not belong to this app.`]);
    const b = bodyObject(ctx);
    if (!Array.isArray(b.updates)) throw new HttpError(400, ["'updates' must be a list."]);
    const planned: Array<{ rec: IssueRecord; value: unknown }> = [];
    for (const u of b.updates as unknown[]) {
      if (!isObject(u) || !Array.isArray(u.issueIds) || !('value' in u)) throw new HttpError(400, ['Each update needs issueIds and value.']);
      const value = appValueFrom(u.value, appFieldId);
      for (const issueId of u.issueIds as unknown[]) {
        if (typeof issueId !== 'number' || !Number.isInteger(issueId)) throw new HttpError(400, ['issueIds must be integers.']);
        const rec = records.get(String(issueId));
        if (!rec) throw new HttpError(404, [`Issue ${issueId} not found.`]);
        planned.push({ rec, value });
      }
    }
    // Validate everything before writing anything, so a bad id in the batch leaves the site unchanged.
    for (const { rec, value } of planned) applyUpdate(rec, { appValue: value }, ctx.caller);
    return noContent();
  });

  route('POST', '/rest/api/3/permissions/check', (ctx) => {
    const b = bodyObject(ctx);
    let subject: Caller = ctx.caller;
    if (typeof b.accountId === 'string' && b.accountId !== '') {
      const u = findUser(b.accountId);
      if (ctx.caller.kind === 'user' && ctx.caller.user.accountId !== b.accountId && !ctx.caller.user.admin) {
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
        const grantedProjects = (askedNothing ? cat.projects.map((p) => Number(p.id)) : projects).filter((id) => {
          const p = cat.project(String(id));
          return !!p && hasProjectPermission(subject, perm, p.key);
        });
        const grantedIssues = issues.filter((id) => {
          const rec = records.get(String(id));
          return !!rec && hasProjectPermission(subject, perm, rec.projectKey);
        });
        projectPermissions.push({ permission: perm, projects: grantedProjects, issues: grantedIssues });
      }
    }
    return json(200, { globalPermissions: globals.filter((g) => hasGlobalPermission(subject, g)), projectPermissions });
  });

  route('GET', '/rest/api/3/mypermissions', (ctx) => {
    const keys = (ctx.query.get('permissions') ?? '').split(',').map((k) => k.trim()).filter(Boolean);
    if (keys.length === 0) throw new HttpError(400, ['The permissions query parameter is required.']);
    for (const k of keys) if (!PERMISSIONS[k]) throw new HttpError(400, [`Invalid permission key: ${k}`]);
    let projectKeys: string[] = cat.projects.map((p) => p.key);
    const projectRef = ctx.query.get('projectKey') ?? ctx.query.get('projectId');
    const issueRef = ctx.query.get('issueKey') ?? ctx.query.get('issueId');
    if (issueRef) {
      projectKeys = [visibleIssue(ctx.caller, issueRef).projectKey];
    } else if (projectRef) {
      const p = cat.project(projectRef.toUpperCase()) ?? cat.project(projectRef);
      if (!p || !canBrowse(ctx.caller, p.key)) throw new HttpError(404, [`No project could be found with key '${projectRef}'.`]);
      projectKeys = [p.key];
    }
    const permissions: Record<string, unknown> = {};
    for (const k of keys) {
      const def = PERMISSIONS[k] as (typeof PERMISSIONS)[string];
      const have = def.type === 'GLOBAL' ? hasGlobalPermission(ctx.caller, k) : projectKeys.some((p) => hasProjectPermission(ctx.caller, k, p));
      permissions[k] = { id: def.id, key: k, name: def.name, type: def.type, description: def.description, havePermission: have };
    }
    return json(200, { permissions });
  });

  // ---- entry point --------------------------------------------------------------------------------------

  function resolveCaller(req: ProductRequest): Caller {
    if (req.as.kind === 'app') return { kind: 'app' };
    const accountId = req.as.accountId;
    const user = findUser(accountId);
    if (!user) throw new HttpError(401, ['Client must be authenticated to access this resource.']);
    return { kind: 'user', user };
  }

  let delays: Array<(req: { method: string; path: string; body: unknown }) => RequestDelay | undefined> = [];
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  async function handle(req: ProductRequest): Promise<ProductResponse> {
    let delay: RequestDelay | undefined;
    if (delays.length > 0) {
      let body: unknown;
      try {
        body = req.body ? JSON.parse(req.body) : undefined;
      } catch {
        body = undefined;
      }
      const seen = { method: req.method.toUpperCase(), path: req.path, body };
      for (const choose of delays) delay ??= choose(seen);
    }
    if (delay?.beforeMs) await sleep(delay.beforeMs);
    const response = await answer(req);
    if (delay?.afterMs) await sleep(delay.afterMs);
    return response;
  }

  async function answer(req: ProductRequest): Promise<ProductResponse> {
    const url = new URL(req.path, BASE_URL);
    const method = req.method.toUpperCase();
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const candidates = routes.filter((r) => r.re.test(path));
    const match = candidates.find((r) => r.method === method);
    const logKey = `${method} ${match?.template ?? candidates[0]?.template ?? path}`;
    log[logKey] = (log[logKey] ?? 0) + 1;

    const fault = dice.roll(faults);
    if (fault.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    switch (fault.kind) {
      case '429':
        return json(429, { errorMessages: ['Rate limit exceeded.'], errors: {} }, { 'retry-after': String(fault.retryAfterSeconds), 'x-ratelimit-reason': 'jira-burst-based' });
      case '5xx':
        return json(fault.status, { errorMessages: ['Internal server error (injected fault).'], errors: {} });
      case 'garbage':
        return { status: 200, headers: { ...JSON_HEADERS }, body: '<html><body>upstream connect error or disconnect/reset before headers' };
      case 'none':
        break;
    }

    try {
      if (candidates.length === 0) throw new HttpError(404, [`No emulated endpoint for ${method} ${path}.`]);
      if (!match) throw new HttpError(405, [`Method ${method} is not allowed for ${path}.`]);
      const caller = resolveCaller(req);
      let body: unknown = undefined;
      if (req.body !== undefined && req.body !== '') {
        try {
          body = JSON.parse(req.body);
        } catch {
          throw new HttpError(400, ['Unexpected character in the request body: it is not valid JSON.']);
        }
      }
      const params = (match.re.exec(path) ?? []).slice(1).map((p) => decodeURIComponent(p));
      return match.handler({ caller, query: url.searchParams, body, params });
    } catch (e) {
      if (e instanceof HttpError) return json(e.status, { errorMessages: e.errorMessages, errors: e.errors }, e.headers);
      // An emulator bug answers 500 like Jira's own failures would, so a server in front of it keeps running;
      // the log keeps the stack for whoever debugs it.
      console.error(`jira emulator failed on ${method} ${path}`, e);
      return json(500, { errorMessages: [`Internal emulator error: ${(e as Error).message}`], errors: {} });
    }
  }

  // ---- direct mutations (tests and the shell) -----------------------------------------------------------

  function actorCaller(actor: string): Caller {
    if (actor === 'app' || actor === appAccountId) return { kind: 'app' };
    const user = findUser(actor);
    if (!user) throw new Error(`unknown actor "${actor}"`);
    return { kind: 'user', user };
  }

  function unwrap<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof HttpError) throw new Error(Object.entries(e.errors).map(([k, v]) => `${k}: ${v}`).concat(e.errorMessages).join('; '), { cause: e });
      throw e;
    }
  }

  const emulator: JiraSiteEmulator = {
    handle,
    delayWhen(choose) {
      delays.push(choose);
      return () => {
        delays = delays.filter((c) => c !== choose);
      };
    },
    requestLog: () => ({ ...log }),
    resetRequestLog: () => {
      log = {};
    },
    faults,
    onIssueEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    today: site.today,
    appFieldId,
    appAccountId,
    users: () => site.users.map((u) => ({ accountId: u.accountId, displayName: u.displayName, admin: u.admin })),
    epics: () =>
      [...records.values()]
        .filter((r) => cat.issueType(r.type)?.hierarchyLevel === 1)
        .map((r) => ({ key: r.key, summary: r.summary, projectKey: r.projectKey })),
    createIssue(input, actor) {
      return unwrap(() => {
        if (input.created && !isRealDate(input.created)) throw new HttpError(400, [], { created: `not a real ISO date: ${input.created}` });
        const rec = insertIssue(input, actorCaller(actor));
        return { id: rec.id, key: rec.key };
      });
    },
    updateIssue(key, patch, actor) {
      unwrap(() => {
        const rec = findIssue(key);
        if (!rec) throw new HttpError(404, [`Issue ${key} not found.`]);
        const change: Partial<IssueRecord> = {};
        if (patch.summary !== undefined) change.summary = patch.summary;
        if (patch.type !== undefined) {
          const t = cat.issueType(patch.type);
          if (!t) throw new HttpError(400, [], { type: `unknown issue type "${patch.type}"` });
          change.type = t.name;
        }
        if (patch.status !== undefined) {
          const s = cat.status(patch.status);
          if (!s) throw new HttpError(400, [], { status: `unknown status "${patch.status}"` });
          change.status = s.name;
        }
        if (patch.parent !== undefined) {
          Object.assign(change, fieldChanges({ parent: patch.parent === null ? null : { key: patch.parent } }, { ...rec, type: change.type ?? rec.type }, { kind: 'app' }));
        }
        if (patch.points !== undefined) change.points = patch.points;
        if (patch.originalEstimate !== undefined) change.originalEstimate = patch.originalEstimate;
        if (patch.destination !== undefined) change.appValue = patch.destination === null ? null : cat.destinationValue(patch.destination);
        if (patch.created !== undefined) change.created = parseSiteInstant(patch.created);
        if (patch.resolved !== undefined) change.resolved = patch.resolved === null ? null : parseSiteInstant(patch.resolved);
        applyUpdate(rec, change, actorCaller(actor));
      });
    },
    deleteIssue(key, actor) {
      unwrap(() => {
        const rec = findIssue(key);
        if (!rec) throw new HttpError(404, [`Issue ${key} not found.`]);
        removeIssue(rec, actorCaller(actor), true);
      });
    },
    syncIndex() {
      stale.clear();
      resultCache.clear();
    },
    issue(keyOrId) {
      const rec = findIssue(keyOrId);
      return rec ? { ...clone(rec), fields: renderFields(rec, new Set(ALL_FIELDS)) } : undefined;
    },
  };
  return emulator;
}
