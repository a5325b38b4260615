/**
 * The emulated site's state: the site file's catalogue, the issues and their indexes, the search index's
 * lag, the request log and the fault knobs, with the lookups, permission checks, rendering and writes every
 * route shares. Routes live beside it, one file per group.
 */
import type { FaultKnobs, IssueEvent, SiteIssueInput } from '../../types';
import { FaultDice, INDEX_LAG_MS, defaultFaults } from '../faults';
import { JqlError } from '../jql/parse';
import { bindJql, type BoundQuery, type CategoryKey, type JqlIssue, type JqlSchema } from '../jql/evaluate';
import { quotaOf, type Site, type SiteUser } from '../site';
import { BASE_URL, CATEGORIES, Catalogue, avatarUrls, clone, initialRecords, jiraDateTime, jqlView, parseSiteInstant, type IssueRecord } from '../store';
import { HttpError, isObject, type Caller } from './http';
import { QuotaLimiter, type GlobalQuotaPool } from './quota';

export interface EmulatorOptions {
  /** The app id, bare (`0000...`) or as the manifest's ARI (`ari:cloud:ecosystem::app/0000...`). */
  appId: string;
  environmentId: string;
  fieldModuleKey: string;
  /** Defaults to `customfield_10100`. */
  fieldId?: string;
  /** Part of the field key Jira builds (`<appId>__<ENV>__<moduleKey>`); defaults to `DEVELOPMENT`. */
  environmentType?: string;
  /**
   * The field's `edit.validation` (from the manifest): null when a user's edit or create may set the value, else
   * the message Jira answers with. Not applied to the app field value API, as in Jira.
   */
  validateAppField?: AppFieldValidation;
  /** The emulator's clock for the rate limits, epoch ms; defaults to `Date.now()` (the site clock once
   *  installed). Tests pass their own to move past an hour without waiting for it. */
  now?: () => number;
  /** The app's tier-1 pool, shared by the emulators of several sites (`quota.tier: "global"`). */
  globalPool?: GlobalQuotaPool;
}

/** The variables Jira gives an `edit.validation` expression. */
export type AppFieldValidation = (vars: { value: unknown; issue: unknown; project: unknown; user: unknown; fieldId: string }) => string | null;

/** Issues a search scans between two turns of the event loop (a few ms of work). */
export const SCAN_SLICE = 5000;

const ISSUE_NOT_FOUND = 'Issue does not exist or you do not have permission to see it.';

type ChangeItem = NonNullable<IssueEvent['changelog']>['items'][number];

/** Jira's duration text for time tracking (`3h 30m`, `2d`): a day is 8 hours and a week 5 days. */
function parseDuration(text: string): number | null {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)\s*([wdhm])/gi)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('').replace(/\s/g, '') !== text.replace(/\s/g, '')) return null;
  const unit: Record<string, number> = { w: 5 * 8 * 3600, d: 8 * 3600, h: 3600, m: 60 };
  return parts.reduce((sum, p) => sum + Number(p[1]) * (unit[(p[2] as string).toLowerCase()] ?? 0), 0);
}

export class SiteState {
  readonly cat: Catalogue;
  readonly appFieldId: string;
  readonly appFieldKey: string;
  readonly appFieldType: string;
  readonly appFieldName = 'Business destination';
  readonly validateAppField: AppFieldValidation | undefined;
  readonly sp: Site['storyPointsField'];
  /** The account id Jira gives the app's own user (events the app causes carry it as `atlassianId`). */
  readonly appAccountId: string;
  readonly ALL_FIELDS: string[];
  readonly records = new Map<string, IssueRecord>();
  readonly byKey = new Map<string, IssueRecord>();
  nextId: number;
  readonly nextNumber = new Map<string, number>();
  /** Write clock: every write moves a second past the site's "now", so `updated` orders writes. */
  writes = 0;
  /** Pre-change copies (null = did not exist) of issues written while the index is stale. */
  readonly stale = new Map<string, IssueRecord | null>();
  /** When each stale entry was written (emulator write clock, ms): the index catches up `indexLagMs` later. */
  readonly staleAt = new Map<string, number>();
  readonly views = new Map<string, JqlIssue>();
  readonly listeners = new Set<(event: IssueEvent) => void>();
  /** Requests by method and route template. */
  log: Record<string, number> = {};
  readonly faults: FaultKnobs = defaultFaults();
  readonly dice = new FaultDice(this.faults.seed);
  readonly resultCache = new Map<string, IssueRecord[]>();
  /** Moves on every change a search could see (see `clearResults`). */
  private generation = 0;
  readonly quota: QuotaLimiter;
  readonly now: () => number;

  constructor(
    readonly site: Site,
    options: EmulatorOptions,
  ) {
    this.cat = new Catalogue(site);
    this.quota = new QuotaLimiter(quotaOf(site), options.globalPool);
    this.now = options.now ?? (() => Date.now());
    const appUuid = options.appId.replace(/^ari:cloud:ecosystem::app\//, '');
    this.appFieldId = options.fieldId ?? 'customfield_10100';
    this.validateAppField = options.validateAppField;
    this.appFieldKey = `${appUuid}__${options.environmentType ?? 'DEVELOPMENT'}__${options.fieldModuleKey}`;
    this.appFieldType = `ari:cloud:ecosystem::extension/${appUuid}/${options.environmentId}/static/${options.fieldModuleKey}`;
    this.sp = site.storyPointsField;
    this.appAccountId = `app-${appUuid}`;
    this.ALL_FIELDS = ['summary', 'status', 'issuetype', 'parent', 'project', 'created', 'updated', 'resolutiondate', 'resolution', 'timeoriginalestimate', this.sp.id, this.appFieldId];
    for (const rec of initialRecords(site, this.cat)) {
      this.records.set(rec.id, rec);
      this.byKey.set(rec.key, rec);
    }
    this.nextId = 10001 + site.issues.length;
    for (const rec of this.records.values()) {
      const n = Number(rec.key.slice(rec.key.lastIndexOf('-') + 1));
      this.nextNumber.set(rec.projectKey, Math.max(this.nextNumber.get(rec.projectKey) ?? 1, n + 1));
    }
  }

  /** The last write's time (ms): `updated` and resolution dates strictly increase. */
  private lastWriteAt = 0;
  /**
   * The time the next write gets, on the site clock the app also reads (`now`), as Jira stamps `updated` with
   * its own wall clock: an event's `fields.updated` is comparable with the times the app read facts at.
   */
  readonly nextWriteAt = (): number => Math.max(Math.floor(this.now()), this.lastWriteAt + 1);
  /** Take a write's time; `writes` also moves the index lag's write clock. */
  readonly clock = (at = this.nextWriteAt()): number => {
    this.writes += 1;
    this.lastWriteAt = Math.max(at, this.lastWriteAt + 1);
    return this.lastWriteAt;
  };

  readonly findIssue = (idOrKey: string): IssueRecord | undefined => this.records.get(idOrKey) ?? this.byKey.get(idOrKey.toUpperCase());
  readonly parentIdOf = (key: string): string | null => this.byKey.get(key)?.id ?? null;

  /** Browse Projects: the project's `browse` list for users; for the app, everything an app access rule leaves it. */
  readonly canBrowse = (caller: Caller, projectKey: string): boolean => {
    if (caller.kind === 'app') return !this.site.appAccess.blockedProjects.includes(projectKey);
    const p = this.cat.project(projectKey);
    return !!p && (p.browse === undefined || p.browse.includes(caller.user.accountId));
  };
  /** Whether the caller sees the project itself (key and name): an app access rule never hides those. */
  readonly seesProject = (caller: Caller, projectKey: string): boolean => caller.kind === 'app' ? !!this.cat.project(projectKey) : this.canBrowse(caller, projectKey);
  /** Whether the caller may see this issue: browse its project and, when it has a security level, be a member. */
  readonly canSeeIssue = (caller: Caller, rec: IssueRecord): boolean => {
    if (!this.canBrowse(caller, rec.projectKey)) return false;
    if (rec.security === null) return true;
    const level = this.cat.securityLevel(rec.projectKey, rec.security);
    if (!level) return false;
    return caller.kind === 'app' ? level.app : level.users.includes(caller.user.accountId);
  };
  /** A level of the project by name, canonical; a 400 as Jira gives for a level the project's scheme lacks. */
  readonly levelName = (projectKey: string, name: string): string => {
    const level = this.cat.securityLevel(projectKey, name);
    if (!level) throw new HttpError(400, [], { security: `Security level '${name}' is not valid for project ${projectKey}.` });
    return level.name;
  };
  readonly canEdit = (caller: Caller, projectKey: string): boolean => {
    if (caller.kind === 'app') return this.canBrowse(caller, projectKey);
    const p = this.cat.project(projectKey);
    return this.canBrowse(caller, projectKey) && !!p && (p.edit === undefined || p.edit.includes(caller.user.accountId));
  };
  readonly hasProjectPermission = (caller: Caller, permission: string, projectKey: string): boolean => permission === 'BROWSE_PROJECTS' ? this.canBrowse(caller, projectKey) : this.canEdit(caller, projectKey);
  readonly hasGlobalPermission = (caller: Caller, permission: string): boolean => {
    if (permission === 'BROWSE_USERS') return true;
    return caller.kind === 'user' ? caller.user.admin : this.site.appAccess.administer;
  };
  /** An issue the caller may see, or the 404 Jira gives both for "missing" and "not allowed". */
  readonly visibleIssue = (caller: Caller, idOrKey: string): IssueRecord => {
    const rec = this.findIssue(idOrKey);
    if (!rec || !this.canSeeIssue(caller, rec)) throw new HttpError(404, [ISSUE_NOT_FOUND]);
    return rec;
  };

  readonly viewOf = (rec: IssueRecord): JqlIssue => {
    let v = this.views.get(rec.id);
    if (!v || v.key !== rec.key) {
      v = jqlView(rec, this.cat, this.parentIdOf);
      this.views.set(rec.id, v);
    }
    return v;
  };

  readonly schemaFor = (caller: Caller): JqlSchema => ({
    projects: this.cat.projects.filter((p) => this.seesProject(caller, p.key)),
    issueTypes: this.cat.issueTypes,
    statuses: this.cat.statuses.map((s) => ({ id: s.id, name: s.name, categoryKey: s.category as CategoryKey })),
    // The evaluator's key type lists three categories; "No Category" (`undefined`) is matched by key and name all the same.
    categories: CATEGORIES.map((c) => ({ id: String(c.id), key: c.key as CategoryKey, name: c.name })),
    issueId: (keyOrId) => {
      const rec = this.findIssue(keyOrId);
      return rec && this.canSeeIssue(caller, rec) ? rec.id : undefined;
    },
    appField: { id: this.appFieldId, name: this.appFieldName },
    storyPointsField: this.sp,
    now: this.cat.now,
  });



  /** Jira's `fields` parameter: ids, `*all`, `*navigable`, `-id` exclusions; unknown ids are ignored. */
  readonly selectFields = (requested: string[] | undefined, fallback: string[]): Set<string> => {
    const items = (requested ?? fallback).flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
    const out = new Set<string>();
    for (const item of items) {
      if (item === '*all' || item === '*navigable') this.ALL_FIELDS.forEach((f) => out.add(f));
      else if (item === this.appFieldKey) out.add(this.appFieldId);
      else if (this.ALL_FIELDS.includes(item)) out.add(item);
    }
    for (const item of items) if (item.startsWith('-')) out.delete(item.slice(1));
    return out;
  };

  readonly renderFields = (rec: IssueRecord, fields: Set<string>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const status = this.cat.status(rec.status);
    for (const f of fields) {
      switch (f) {
        case 'summary':
          out.summary = rec.summary;
          break;
        case 'status':
          out.status = this.cat.statusBean(rec.status);
          break;
        case 'issuetype':
          out.issuetype = this.cat.issueTypeBean(rec.type);
          break;
        case 'parent': {
          const parent = rec.parentKey ? this.byKey.get(rec.parentKey) : undefined;
          if (parent) {
            out.parent = {
              id: parent.id,
              key: parent.key,
              self: `${BASE_URL}/rest/api/3/issue/${parent.id}`,
              fields: { summary: parent.summary, status: this.cat.statusBean(parent.status), issuetype: this.cat.issueTypeBean(parent.type) },
            };
          }
          break;
        }
        case 'project': {
          const p = this.cat.project(rec.projectKey);
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
          if (f === this.sp.id) out[this.sp.id] = rec.points;
          else if (f === this.appFieldId) out[this.appFieldId] = rec.appValue ?? null;
      }
    }
    return out;
  };

  readonly issueBean = (rec: IssueRecord, fields: Set<string>): Record<string, unknown> => ({ expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: rec.id, self: `${BASE_URL}/rest/api/3/issue/${rec.id}`, key: rec.key, fields: this.renderFields(rec, fields) });

  readonly userBean = (u: SiteUser): Record<string, unknown> => ({
    self: `${BASE_URL}/rest/api/3/user?accountId=${encodeURIComponent(u.accountId)}`,
    accountId: u.accountId,
    accountType: 'atlassian',
    ...(u.emailAddress ? { emailAddress: u.emailAddress } : {}),
    avatarUrls: avatarUrls(u.accountId),
    displayName: u.displayName,
    active: true,
    timeZone: 'Etc/UTC',
    locale: 'en_US',
  });

  readonly appUserBean = (): Record<string, unknown> => ({ self: `${BASE_URL}/rest/api/3/user?accountId=${this.appAccountId}`, accountId: this.appAccountId, accountType: 'app', avatarUrls: avatarUrls(this.appAccountId), displayName: 'Business Destination', active: true });


  readonly beforeWrite = (rec: IssueRecord | undefined, id: string): void => {
    this.clearResults();
    this.views.delete(id);
    if (this.faults.staleIndex && !this.stale.has(id)) {
      this.stale.set(id, rec ? clone(rec) : null);
      this.staleAt.set(id, this.cat.now + (this.writes + 1) * 1000);
    }
  };

  /** Let the index catch up with writes older than the lag (on the write clock), or with all of them. */
  readonly catchUpIndex = (all = false): void => {
    const now = this.cat.now + this.writes * 1000;
    const lag = this.faults.indexLagMs ?? INDEX_LAG_MS;
    for (const id of [...this.stale.keys()]) {
      if (all || !this.faults.staleIndex || (this.staleAt.get(id) ?? 0) + lag <= now) {
        this.stale.delete(id);
        this.staleAt.delete(id);
        this.clearResults();
      }
    }
  };

  readonly emit = (event: IssueEvent): void => {
    // Jira sends no events to an app for issues in projects an app access rule blocks it from.
    const key = event.issue.key;
    if (this.site.appAccess.blockedProjects.includes(key.slice(0, key.lastIndexOf('-')))) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e) {
        // A failing trigger must not fail the write that caused it, as in Jira; surface it for the test log.
        console.error('issue event listener failed', e);
      }
    }
  };

  /**
   * An issue event's `fields`: only what Forge's type reference documents (`summary`, `issuetype`, `creator`,
   * `created`, `project`, `reporter`, `assignee`, `updated`, `status`; the site file has no people), and the
   * issue type as the reference's example shows it (no `hierarchyLevel`). No parent, resolution, estimate or
   * custom field: an app that needs them reads the issue or takes them from the changelog.
   */
  readonly eventFields = (rec: IssueRecord): Record<string, unknown> => {
    const fields = this.renderFields(rec, new Set(['summary', 'issuetype', 'created', 'project', 'updated', 'status']));
    const { hierarchyLevel: _level, ...issuetype } = fields.issuetype as Record<string, unknown>;
    return { ...fields, issuetype };
  };

  readonly actorOf = (caller: Caller): { atlassianId: string; selfGenerated: boolean } => caller.kind === 'app' ? { atlassianId: this.appAccountId, selfGenerated: true } : { atlassianId: caller.user.accountId, selfGenerated: false };


  readonly changelogItems = (before: IssueRecord, after: IssueRecord): ChangeItem[] => {
    const items: ChangeItem[] = [];
    const push = (field: string, fieldId: string | undefined, from: string | null, fromString: string | null, to: string | null, toString: string | null): void => {
      items.push({ field, fieldtype: fieldId?.startsWith('customfield_') ? 'custom' : 'jira', ...(fieldId ? { fieldId } : {}), from, fromString, to, toString });
    };
    if (before.summary !== after.summary) push('summary', 'summary', null, before.summary, null, after.summary);
    if (before.type !== after.type) push('issuetype', 'issuetype', this.cat.issueType(before.type)?.id ?? null, before.type, this.cat.issueType(after.type)?.id ?? null, after.type);
    if (before.status !== after.status) push('status', 'status', this.cat.status(before.status)?.id ?? null, before.status, this.cat.status(after.status)?.id ?? null, after.status);
    const bDone = before.resolved !== null;
    const aDone = after.resolved !== null;
    if (bDone !== aDone) push('resolution', 'resolution', bDone ? '10000' : null, bDone ? 'Done' : null, aDone ? '10000' : null, aDone ? 'Done' : null);
    if (before.parentKey !== after.parentKey) {
      push('IssueParentAssociation', undefined, before.parentKey ? this.parentIdOf(before.parentKey) : null, before.parentKey, after.parentKey ? this.parentIdOf(after.parentKey) : null, after.parentKey);
    }
    if (before.points !== after.points) push(this.sp.name, this.sp.id, null, before.points === null ? null : String(before.points), null, after.points === null ? null : String(after.points));
    if (before.originalEstimate !== after.originalEstimate) {
      push('timeoriginalestimate', 'timeoriginalestimate', before.originalEstimate === null ? null : String(before.originalEstimate), null, after.originalEstimate === null ? null : String(after.originalEstimate), null);
    }
    if (before.security !== after.security) {
      const levelId = (r: IssueRecord): string | null => (r.security === null ? null : (this.cat.securityLevel(r.projectKey, r.security)?.id ?? null));
      push('security', 'security', levelId(before), before.security, levelId(after), after.security);
    }
    if (JSON.stringify(before.appValue ?? null) !== JSON.stringify(after.appValue ?? null)) {
      const text = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));
      const name = (v: unknown): string | null => (isObject(v) && typeof v.name === 'string' ? v.name : text(v));
      push(this.appFieldName, this.appFieldId, text(before.appValue), name(before.appValue), text(after.appValue), name(after.appValue));
    }
    return items;
  };

  /** Apply a change to an existing issue, keep resolution in step with the status, and fire the event. */
  readonly applyUpdate = (rec: IssueRecord, change: Partial<IssueRecord>, caller: Caller): void => {
    const before = clone(rec);
    const next: IssueRecord = { ...rec, ...change };
    const stamp = this.nextWriteAt();
    const wasDone = this.cat.status(before.status)?.category === 'done';
    const isDone = this.cat.status(next.status)?.category === 'done';
    if (!isDone) next.resolved = null;
    else if (!wasDone && change.resolved === undefined) next.resolved = stamp;
    const items = this.changelogItems(before, next);
    if (items.length === 0) return;
    this.beforeWrite(rec, rec.id);
    next.updated = this.clock(stamp);
    Object.assign(rec, next);
    this.emit({ eventType: 'avi:jira:updated:issue', issue: { id: rec.id, key: rec.key, fields: this.eventFields(rec) }, changelog: { items }, ...this.actorOf(caller) });
  };

  readonly insertIssue = (input: SiteIssueInput, caller: Caller, appValue?: unknown): IssueRecord => {
    const projectKey = input.project ?? (input.key ? input.key.slice(0, input.key.lastIndexOf('-')) : undefined);
    const project = projectKey ? this.cat.project(projectKey) : undefined;
    if (!project) throw new HttpError(400, [], { project: 'Specify a valid project ID or key' });
    const type = this.cat.issueType(input.type);
    if (!type) throw new HttpError(400, [], { issuetype: 'Specify an issue type' });
    const status = this.cat.status(input.status);
    if (!status) throw new HttpError(400, [], { status: `Unknown status "${input.status}"` });
    if (!input.summary) throw new HttpError(400, [], { summary: 'You must specify a summary of the issue.' });
    const parentKey = input.parent ? this.findIssue(input.parent)?.key : null;
    if (input.parent && !parentKey) throw new HttpError(400, [], { parent: `Issue '${input.parent}' not found.` });
    if (parentKey) {
      const parentRec = this.byKey.get(parentKey) as IssueRecord;
      const level = this.cat.issueType(parentRec.type)?.hierarchyLevel;
      if (level !== type.hierarchyLevel + 1) throw new HttpError(400, [], { parent: `A ${type.name} cannot have the ${parentRec.type} ${parentKey} as parent.` });
      if (!this.canSeeIssue(caller, parentRec)) throw new HttpError(400, [], { parent: `Issue '${input.parent}' not found.` });
    } else if (type.hierarchyLevel === -1) {
      throw new HttpError(400, [], { parent: 'Sub-tasks need a parent.' });
    }
    let key = input.key;
    if (key) {
      if (this.byKey.has(key)) throw new HttpError(400, [], { key: `Issue key ${key} is already used.` });
    } else {
      const n = this.nextNumber.get(project.key) ?? 1;
      key = `${project.key}-${n}`;
    }
    const n = Number(key.slice(key.lastIndexOf('-') + 1));
    this.nextNumber.set(project.key, Math.max(this.nextNumber.get(project.key) ?? 1, n + 1));
    const id = String(this.nextId++);
    this.beforeWrite(undefined, id);
    const now = this.clock();
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
      appValue: appValue !== undefined ? appValue : input.destination ? this.cat.destinationValue(input.destination) : null,
      security: input.security ? this.levelName(project.key, input.security) : null,
      created,
      updated: now,
      resolved: status.category === 'done' ? (input.resolved ? parseSiteInstant(input.resolved) : now) : null,
    };
    this.records.set(id, rec);
    this.byKey.set(key, rec);
    this.emit({ eventType: 'avi:jira:created:issue', issue: { id, key, fields: this.eventFields(rec) }, ...this.actorOf(caller) });
    return rec;
  };

  readonly removeIssue = (rec: IssueRecord, caller: Caller, deleteSubtasks: boolean): void => {
    const children = [...this.records.values()].filter((r) => r.parentKey === rec.key);
    const subtasks = children.filter((c) => this.cat.issueType(c.type)?.hierarchyLevel === -1);
    if (subtasks.length > 0 && !deleteSubtasks) {
      throw new HttpError(400, ['The issue has subtasks. Use the deleteSubtasks parameter to delete the issue and its subtasks.']);
    }
    // Jira emits a delete event for the top-level entity only ("Handling cascading events in Jira"): sub-tasks
    // go with their parent silently, and an epic's children lose their parent without an event of their own
    // (nor a new `updated`: nothing tells an app that searches by `updated` that they changed).
    for (const s of subtasks) this.dropSilently(s);
    for (const c of children.filter((c) => !subtasks.includes(c))) {
      this.beforeWrite(c, c.id);
      c.parentKey = null;
    }
    this.beforeWrite(rec, rec.id);
    const fields = this.eventFields(rec);
    this.records.delete(rec.id);
    this.byKey.delete(rec.key);
    this.emit({ eventType: 'avi:jira:deleted:issue', issue: { id: rec.id, key: rec.key, fields }, ...this.actorOf(caller) });
  };


  private readonly dropSilently = (rec: IssueRecord): void => {
    for (const child of [...this.records.values()].filter((r) => r.parentKey === rec.key)) this.dropSilently(child);
    this.beforeWrite(rec, rec.id);
    this.records.delete(rec.id);
    this.byKey.delete(rec.key);
  };

  /**
   * Move an issue to another project, as Jira's move does: a new key in the target project, the same id, one
   * `avi:jira:updated:issue` whose changelog names the old key and project. Children keep pointing at it (Jira
   * links parents by id) and get no event.
   */
  readonly moveIssue = (rec: IssueRecord, projectKey: string, caller: Caller): void => {
    const project = this.cat.project(projectKey);
    if (!project) throw new HttpError(400, [], { project: 'Specify a valid project ID or key' });
    if (project.key === rec.projectKey) return;
    const n = this.nextNumber.get(project.key) ?? 1;
    this.nextNumber.set(project.key, n + 1);
    const oldKey = rec.key;
    const oldProject = this.cat.project(rec.projectKey);
    const newKey = `${project.key}-${n}`;
    for (const child of this.records.values()) {
      if (child.parentKey === oldKey) {
        this.beforeWrite(child, child.id);
        child.parentKey = newKey;
      }
    }
    this.beforeWrite(rec, rec.id);
    this.byKey.delete(oldKey);
    rec.key = newKey;
    rec.projectKey = project.key;
    rec.updated = this.clock();
    this.byKey.set(newKey, rec);
    const items: ChangeItem[] = [
      { field: 'project', fieldtype: 'jira', fieldId: 'project', from: oldProject?.id ?? null, fromString: oldProject?.name ?? null, to: project.id, toString: project.name },
      { field: 'Key', fieldtype: 'jira', from: null, fromString: oldKey, to: null, toString: newKey },
    ];
    this.emit({ eventType: 'avi:jira:updated:issue', issue: { id: rec.id, key: rec.key, fields: this.eventFields(rec) }, changelog: { items }, ...this.actorOf(caller) });
  };

  readonly appValueFrom = (value: unknown, field: string): unknown => {
    if (value === null) return null;
    if (!isObject(value) || typeof value.id !== 'string' || (value.name !== undefined && typeof value.name !== 'string')) {
      throw new HttpError(400, [], { [field]: 'The value does not match the field schema: an object with a string "id" (and optional string "name") or null.' });
    }
    return { ...value };
  };

  readonly refKey = (value: unknown, field: string): string | null => {
    if (value === null) return null;
    if (isObject(value) && (typeof value.key === 'string' || typeof value.id === 'string')) {
      return String(value.key ?? value.id);
    }
    throw new HttpError(400, [], { [field]: `Could not find a valid ${field}: give {"key": ...} or {"id": ...}.` });
  };

  /** Turn an edit/create `fields` object into record changes; fields Jira would not allow answer 400. */
  readonly fieldChanges = (fields: Record<string, unknown>, rec: IssueRecord | null, caller: Caller): Partial<IssueRecord> => {
    const change: Partial<IssueRecord> = {};
    for (const [name, value] of Object.entries(fields)) {
      if (name === 'summary') {
        if (typeof value !== 'string' || value.trim() === '') throw new HttpError(400, [], { summary: 'You must specify a summary of the issue.' });
        change.summary = value;
      } else if (name === this.sp.id) {
        if (value !== null && (typeof value !== 'number' || value < 0)) throw new HttpError(400, [], { [this.sp.id]: 'Operation value must be a number' });
        change.points = value as number | null;
      } else if (name === this.appFieldId) {
        change.appValue = this.appValueFrom(value, this.appFieldId);
      } else if (name === 'timetracking') {
        const original = isObject(value) ? value.originalEstimate : undefined;
        const seconds = typeof original === 'string' ? parseDuration(original) : null;
        if (seconds === null) throw new HttpError(400, [], { timetracking: 'Original estimate must be a duration such as 3h or 1d 2h.' });
        change.originalEstimate = seconds;
      } else if (name === 'parent') {
        const key = this.refKey(value, 'parent');
        const parent = key ? this.findIssue(key) : undefined;
        if (key && (!parent || !this.canSeeIssue(caller, parent))) throw new HttpError(400, [], { parent: `Could not find issue by id or key: ${key}` });
        if (parent && rec) {
          const level = this.cat.issueType(rec.type)?.hierarchyLevel ?? 0;
          if (this.cat.issueType(parent.type)?.hierarchyLevel !== level + 1) throw new HttpError(400, [], { parent: `Issue type '${parent.type}' cannot be the parent of a ${rec.type}.` });
        }
        change.parentKey = parent ? parent.key : null;
      } else if (rec === null && (name === 'project' || name === 'issuetype')) {
        continue;
      } else {
        throw new HttpError(400, [], { [name]: `Field '${name}' cannot be set. It is not on the appropriate screen, or unknown.` });
      }
    }
    return change;
  };


  readonly indexedRecords = (reconcile: Set<string>): IssueRecord[] => {
    this.catchUpIndex();
    if (this.stale.size === 0) return [...this.records.values()];
    const out: IssueRecord[] = [];
    for (const rec of this.records.values()) {
      if (this.stale.has(rec.id) && !reconcile.has(rec.id)) {
        const old = this.stale.get(rec.id);
        if (old) out.push(old);
      } else out.push(rec);
    }
    for (const [id, old] of this.stale) if (old && !this.records.has(id) && !reconcile.has(id)) out.push(old);
    return out;
  };

  readonly bind = (caller: Caller, jql: unknown): BoundQuery => {
    if (typeof jql !== 'string') throw new HttpError(400, ['The JQL query is required.']);
    try {
      const q = bindJql(jql, this.schemaFor(caller));
      if (!q.bounded) throw new HttpError(400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
      return q;
    } catch (e) {
      if (e instanceof JqlError) throw new HttpError(400, [e.message]);
      throw e;
    }
  };

  readonly matching = (caller: Caller, jql: string, reconcile: Set<string>): IssueRecord[] => {
    const scan = this.scan(caller, jql, reconcile);
    let step = scan.next();
    while (!step.done) step = scan.next();
    return step.value;
  };

  /**
   * `matching` that lets the event loop run between slices of a big scan (a 250k-issue search held the local
   * server for seconds). The answer is the one `matching` gives: when anything is written while it waits, the
   * scan is done again in one go, so no answer mixes issues from before and after a write.
   */
  readonly matchingYielding = async (caller: Caller, jql: string, reconcile: Set<string>): Promise<IssueRecord[]> => {
    const generation = this.generation;
    const scan = this.scan(caller, jql, reconcile);
    let step = scan.next();
    while (!step.done) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.generation !== generation) return this.matching(caller, jql, reconcile);
      step = scan.next();
    }
    return step.value;
  };

  /** Issues the caller may see that match, in the query's order; yields between slices of `SCAN_SLICE` issues. */
  private *scan(caller: Caller, jql: string, reconcile: Set<string>): Generator<void, IssueRecord[], void> {
    this.catchUpIndex();
    const cacheKey = `${caller.kind === 'app' ? 'app' : caller.user.accountId}\u0000${[...reconcile].sort().join(',')}\u0000${jql}`;
    const hit = this.resultCache.get(cacheKey);
    if (hit) return hit;
    const q = this.bind(caller, jql);
    const records = this.indexedRecords(reconcile);
    const withViews: Array<{ r: IssueRecord; v: JqlIssue }> = [];
    for (let i = 0; i < records.length; i += 1) {
      if (i > 0 && i % SCAN_SLICE === 0) yield;
      const r = records[i] as IssueRecord;
      if (!this.canSeeIssue(caller, r)) continue;
      const v = r === this.records.get(r.id) ? this.viewOf(r) : jqlView(r, this.cat, this.parentIdOf);
      if (q.matches(v)) withViews.push({ r, v });
    }
    withViews.sort((a, b) => q.compare(a.v, b.v));
    const result = withViews.map((x) => x.r);
    if (this.resultCache.size > 20) this.clearResults();
    this.resultCache.set(cacheKey, result);
    return result;
  }

  /** Every change that can alter a search's answer goes through here: the cached answers go, the generation moves. */
  private clearResults(): void {
    this.resultCache.clear();
    this.generation += 1;
  }

  readonly findUser = (accountId: string): SiteUser | undefined => this.site.users.find((u) => u.accountId === accountId);
}
