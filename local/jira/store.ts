/**
 * The emulated site's state: issues in memory, the ids Jira would give them, and how each field renders in
 * REST responses. Kept apart from HTTP routing so the direct mutation methods and REST share one code path.
 */
import type { Site, SiteDestination, SiteIssueType, SiteProject, SiteStatus, StatusCategoryKey } from './site';
import type { CategoryKey, JqlIssue } from './jql/evaluate';

export const BASE_URL = 'https://emulated.atlassian.net';
const DAY = 86_400_000;

export interface IssueRecord {
  id: string;
  key: string;
  projectKey: string;
  /** Canonical issue type name (as in the site's `issueTypes`). */
  type: string;
  summary: string;
  /** Canonical status name. */
  status: string;
  parentKey: string | null;
  points: number | null;
  originalEstimate: number | null;
  /** The app field's value, as stored: `{id, name}` or anything the app wrote, or null. */
  appValue: unknown;
  /** Canonical name of the issue's security level (one of its project's `securityLevels`), or null. */
  security: string | null;
  created: number;
  updated: number;
  resolved: number | null;
}

export const CATEGORIES: Array<{ id: number; key: StatusCategoryKey; name: string; colorName: string }> = [
  // Jira's fourth category: statuses created without one (or migrated) carry it.
  { id: 1, key: 'undefined', name: 'No Category', colorName: 'medium-gray' },
  { id: 2, key: 'new', name: 'To Do', colorName: 'blue-gray' },
  { id: 4, key: 'indeterminate', name: 'In Progress', colorName: 'yellow' },
  { id: 3, key: 'done', name: 'Done', colorName: 'green' },
];

export function categoryOf(key: StatusCategoryKey): (typeof CATEGORIES)[number] {
  return CATEGORIES.find((c) => c.key === key) as (typeof CATEGORIES)[number];
}

/** Date-only values in a site file mean noon UTC of that day, the same time of day as the emulated "now". */
export function parseSiteInstant(value: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T12:00:00.000Z`) : Date.parse(value);
}

/** Jira's REST date-time format, e.g. `2026-09-01T12:00:00.000+0000`. */
export function jiraDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export function clone(record: IssueRecord): IssueRecord {
  return { ...record, appValue: record.appValue === null || typeof record.appValue !== 'object' ? record.appValue : structuredClone(record.appValue) };
}

/** Static catalogue of the site: ids for projects, types, statuses; the destinations' names. */
export class Catalogue {
  readonly projects: Array<SiteProject & { id: string }>;
  readonly issueTypes: Array<SiteIssueType & { id: string }>;
  readonly statuses: Array<SiteStatus & { id: string }>;
  readonly destinations: Map<string, SiteDestination>;
  readonly now: number;

  constructor(readonly site: Site) {
    this.projects = site.projects.map((p, i) => ({ ...p, id: String(10000 + i) }));
    this.issueTypes = site.issueTypes.map((t, i) => ({ ...t, id: String(10001 + i) }));
    this.statuses = site.statuses.map((s, i) => ({ ...s, id: String(10000 + i) }));
    this.destinations = new Map(site.destinations.map((d) => [d.id, d]));
    this.now = Date.parse(`${site.today}T12:00:00.000Z`);
  }

  // Lookups run for every issue on every search of big sites: memoise them by the exact text asked.
  private readonly memo = new Map<string, unknown>();
  private cached<T>(kind: string, ref: string, find: () => T): T {
    const k = `${kind}\u0000${ref}`;
    if (this.memo.has(k)) return this.memo.get(k) as T;
    const v = find();
    // Requests can ask for any text; keep the memo from growing without bound in a long-lived shell.
    if (this.memo.size > 10_000) this.memo.clear();
    this.memo.set(k, v);
    return v;
  }

  project(keyOrId: string): (SiteProject & { id: string }) | undefined {
    return this.cached('p', keyOrId, () => this.projects.find((p) => p.key === keyOrId || p.id === keyOrId));
  }

  issueType(nameOrId: string): (SiteIssueType & { id: string }) | undefined {
    return this.cached('t', nameOrId, () => this.issueTypes.find((t) => t.id === nameOrId || t.name.toLowerCase() === nameOrId.toLowerCase()));
  }

  status(nameOrId: string): (SiteStatus & { id: string }) | undefined {
    return this.cached('s', nameOrId, () => this.statuses.find((s) => s.id === nameOrId || s.name.toLowerCase() === nameOrId.toLowerCase()));
  }

  /**
   * What the app field holds for a destination id: `{id, name}` when known; for an id no destination has
   * (tests need them), the id alone, as a value written without its display copy.
   */
  destinationValue(id: string): { id: string; name?: string } {
    const name = this.destinations.get(id)?.name;
    return name === undefined ? { id } : { id, name };
  }

  /** A project's security level by name (case-insensitive). */
  securityLevel(projectKey: string, name: string): { name: string; users: string[]; app: boolean; id: string } | undefined {
    const p = this.project(projectKey);
    const i = (p?.securityLevels ?? []).findIndex((l) => l.name.toLowerCase() === name.toLowerCase());
    const level = p?.securityLevels?.[i];
    return level ? { ...level, id: String(10000 + 100 * this.projects.indexOf(p as (typeof this.projects)[number]) + i) } : undefined;
  }

  statusBean(name: string): Record<string, unknown> {
    const s = this.status(name);
    if (!s) throw new Error(`unknown status ${name}`);
    const c = categoryOf(s.category);
    return {
      self: `${BASE_URL}/rest/api/3/status/${s.id}`,
      description: '',
      iconUrl: `${BASE_URL}/images/icons/statuses/generic.png`,
      name: s.name,
      id: s.id,
      statusCategory: { self: `${BASE_URL}/rest/api/3/statuscategory/${c.id}`, id: c.id, key: c.key, colorName: c.colorName, name: c.name },
    };
  }

  issueTypeBean(name: string): Record<string, unknown> {
    const t = this.issueType(name);
    if (!t) throw new Error(`unknown issue type ${name}`);
    return {
      self: `${BASE_URL}/rest/api/3/issuetype/${t.id}`,
      id: t.id,
      description: '',
      iconUrl: `${BASE_URL}/images/icons/issuetypes/${t.name.toLowerCase().replace(/[^a-z]/g, '')}.svg`,
      name: t.name,
      subtask: t.hierarchyLevel === -1,
      avatarId: 10300 + Number(t.id) - 10000,
      hierarchyLevel: t.hierarchyLevel,
    };
  }

  projectBean(p: SiteProject & { id: string }): Record<string, unknown> {
    return {
      self: `${BASE_URL}/rest/api/3/project/${p.id}`,
      id: p.id,
      key: p.key,
      name: p.name,
      projectTypeKey: 'software',
      simplified: false,
      style: 'classic',
      isPrivate: false,
      avatarUrls: avatarUrls(`project/${p.id}`),
      properties: {},
    };
  }
}

export function avatarUrls(seed: string): Record<string, string> {
  const base = `${BASE_URL}/avatar/${encodeURIComponent(seed)}`;
  return { '48x48': `${base}?s=48`, '24x24': `${base}?s=24`, '16x16': `${base}?s=16`, '32x32': `${base}?s=32` };
}

/** Build the initial records from a validated site; ids follow file order from 10001. */
export function initialRecords(site: Site, cat: Catalogue): IssueRecord[] {
  return site.issues.map((issue, i) => {
    const type = cat.issueType(issue.type);
    const status = cat.status(issue.status);
    const created = parseSiteInstant(issue.created);
    return {
      id: String(10001 + i),
      key: issue.key,
      projectKey: issue.key.slice(0, issue.key.lastIndexOf('-')),
      type: type?.name ?? issue.type,
      summary: issue.summary,
      status: status?.name ?? issue.status,
      parentKey: issue.parent ?? null,
      points: issue.points ?? null,
      originalEstimate: issue.originalEstimate ?? null,
      appValue: issue.destination ? cat.destinationValue(issue.destination) : null,
      security: issue.security ? (cat.securityLevel(issue.key.slice(0, issue.key.lastIndexOf('-')), issue.security)?.name ?? null) : null,
      created,
      updated: issue.resolved ? parseSiteInstant(issue.resolved) : created,
      resolved: issue.resolved ? parseSiteInstant(issue.resolved) : null,
    };
  });
}

/** The issue as the JQL evaluator sees it. */
export function jqlView(rec: IssueRecord, cat: Catalogue, parentId: (key: string) => string | null): JqlIssue {
  const type = cat.issueType(rec.type);
  const status = cat.status(rec.status);
  const project = cat.project(rec.projectKey);
  return {
    id: rec.id,
    key: rec.key,
    projectId: project?.id ?? '',
    projectKey: rec.projectKey,
    typeId: type?.id ?? '',
    hierarchyLevel: type?.hierarchyLevel ?? 0,
    statusId: status?.id ?? '',
    // The JQL evaluator's type lists three keys; "No Category" (`undefined`) is matched by key all the same.
    categoryKey: (status?.category ?? 'new') as CategoryKey,
    parentId: rec.parentKey ? parentId(rec.parentKey) : null,
    parentKey: rec.parentKey,
    summary: rec.summary,
    created: rec.created,
    updated: rec.updated,
    resolved: rec.resolved,
    points: rec.points,
    appValue: rec.appValue,
  };
}

export { DAY };
