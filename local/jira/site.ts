/**
 * Site files: the JSON that describes one emulated Jira Cloud site (users, projects, statuses, issue types,
 * destinations, issues). `loadSite` validates a file once at the edge; the emulator trusts a `Site` after that.
 * The format is documented in `docs/site-file.md`.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CHECK_IN_STATUSES, MAX_CHECK_IN_NOTE } from '../../src/domain/check-ins';
import { MAX_CONCERN_TEXT } from '../../src/domain/concerns';
import { DESCRIPTION_MAX, NAME_MAX, isDestinationId } from '../../src/domain/destination-rules';
import { ESTIMATE_MAX } from '../../src/domain/progress';
import { textProblem, type TextKind } from '../../src/domain/text';
import { DESTINATION_STATUSES, ISSUE_KEY, PROJECT_KEY } from '../../src/domain/types';
import { parseStrictJson } from './strict-json';

/** `undefined` is Jira's "No Category" (id 1): statuses may use it; the app must cope with it. */
export type StatusCategoryKey = 'new' | 'indeterminate' | 'done' | 'undefined';

/** Thrown for a malformed site; the message starts with the path of the first bad value. */
export class SiteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(oneLine(path ? `${path}: ${reason}` : reason));
    this.name = 'SiteError';
  }
}

/** Every error is one line: control characters and line breaks (from a file name or a value) are escaped. */
function oneLine(text: string): string {
  const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The app's text rule (src/domain/text.ts) for names and descriptions the site seeds into storage. */
function typedText(kind: TextKind) {
  return z.string().superRefine((value, ctx) => {
    const problem = textProblem(value, kind);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** True for a calendar date that exists (zod's ISO date regex lets `2026-02-30` through in some versions). */
export function isRealDate(value: string): boolean {
  const m = DATE_RE.exec(value) ?? DATETIME_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && !Number.isNaN(Date.parse(value));
}

const isoDate = z.string().refine((v) => DATE_RE.test(v) && isRealDate(v), { message: 'not a real ISO date (YYYY-MM-DD)' });
/** A moment of the app's own history: a date and a time with its offset, as the app stores `at`. */
const isoDateTime = z.string().refine((v) => DATETIME_RE.test(v) && isRealDate(v), { message: 'not a real ISO date-time with an offset (YYYY-MM-DDTHH:mm:ssZ)' });
const isoDateOrTime = z
  .string()
  .refine((v) => isRealDate(v), { message: 'not a real ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:mm:ssZ)' });

export const DEFAULT_STATUSES = [
  { name: 'To Do', category: 'new' as const },
  { name: 'In Progress', category: 'indeterminate' as const },
  { name: 'Done', category: 'done' as const },
];
export const DEFAULT_ISSUE_TYPES = [
  { name: 'Epic', hierarchyLevel: 1 },
  { name: 'Story', hierarchyLevel: 0 },
  { name: 'Task', hierarchyLevel: 0 },
  { name: 'Bug', hierarchyLevel: 0 },
  { name: 'Sub-task', hierarchyLevel: -1 },
];
export const DEFAULT_STORY_POINTS_FIELD = { id: 'customfield_10016', name: 'Story point estimate' };

const userSchema = z.strictObject({
  accountId: z.string().min(1),
  displayName: z.string().min(1),
  admin: z.boolean().default(false),
  emailAddress: z.string().optional(),
});

const statusSchema = z.strictObject({
  name: z.string().min(1),
  category: z.enum(['new', 'indeterminate', 'done', 'undefined']),
});

const issueTypeSchema = z.strictObject({
  name: z.string().min(1),
  hierarchyLevel: z.number().int().min(-1).max(1),
});

const projectSchema = z.strictObject({
  key: z.string().regex(PROJECT_KEY, 'project key must be 2 to 10 upper-case letters, digits or _, starting with a letter'),
  name: z.string().min(1),
  /** Account ids that may browse; absent = every user. */
  browse: z.array(z.string()).optional(),
  /** Account ids that may edit issues; absent = whoever may browse. */
  edit: z.array(z.string()).optional(),
  /**
   * The project's issue security scheme, as its levels: an issue with a level is seen only by the level's
   * members (who must also browse the project). `app` = the level grants the app's project-access role.
   */
  securityLevels: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(60),
        users: z.array(z.string()).default([]),
        app: z.boolean().default(false),
      }),
    )
    .optional(),
});

/** What an organisation admin's app access rule and the app user's global permissions allow the app. */
const appAccessSchema = z.strictObject({
  /** Projects whose issues the app may not read (an app access rule): no issues, no events; key and name stay visible. */
  blockedProjects: z.array(z.string()).default([]),
  /** Whether the app's user holds Administer Jira (needed to check another account's permissions). */
  administer: z.boolean().default(false),
});

/** Typed text that must have something in it (a check-in's note may be empty; a concern may not). */
function typedTextMax(kind: TextKind, max: number, required: boolean) {
  return typedText(kind).refine((v) => v.trim().length <= max, `must be at most ${max} characters`).refine((v) => !required || v.trim() !== '', 'must not be empty');
}

/** What the business will see when the destination is reached (src/contract/trip.ts `SuccessMeasure`). */
const successMeasureSchema = z.strictObject({
  name: typedText('line').min(1).max(120),
  unit: typedText('line').max(20).default(''),
  baseline: z.number().finite(),
  target: z.number().finite(),
});

const destinationSchema = z.strictObject({
  // The app's own id rule: an id it could not have issued might not fit the storage keys built from it.
  id: z.string().refine(isDestinationId, 'must be a destination id as the app issues them: D- and a number from 1 to 999999999 (D-7)'),
  name: typedText('line').min(1).max(NAME_MAX),
  description: typedText('multiline').max(DESCRIPTION_MAX).optional(),
  targetDate: isoDate,
  startDate: isoDate.optional(),
  status: z.enum(DESTINATION_STATUSES),
  priority: z.number().int().min(1),
  businessOwner: z.string().min(1),
  deliveryLead: z.string().min(1).optional(),
  successMeasure: successMeasureSchema.optional(),
});

/**
 * The app's own history on the site: check-ins and concerns, seeded through the app's resolvers at their `at`
 * (local/app/seed.ts), so they are stored exactly as the app stores what people type.
 */
const checkInSchema = z.strictObject({
  destination: z.string().min(1),
  by: z.string().min(1),
  status: z.enum(CHECK_IN_STATUSES),
  note: typedTextMax('multiline', MAX_CHECK_IN_NOTE, false).default(''),
  at: isoDateTime,
  /** The success measure's value at the time; only on a destination that names one. */
  measure: z.number().finite().optional(),
});

const concernSchema = z.strictObject({
  destination: z.string().min(1),
  /** The key of the epic it is raised from: an epic of `destination` that `by` may browse. */
  epic: z.string().min(1),
  by: z.string().min(1),
  text: typedTextMax('multiline', MAX_CONCERN_TEXT, true),
  at: isoDateTime,
  /** The owner's or the lead's answer. */
  answer: z.strictObject({ by: z.string().min(1), text: typedTextMax('multiline', MAX_CONCERN_TEXT, true), at: isoDateTime }).optional(),
  /** Default: `answered` with an answer, `open` without. `closed` closes it with its answer (at the answer's time). */
  state: z.enum(['open', 'answered', 'closed']).optional(),
});

/**
 * A scope baseline taken through the app's `trip/baseline` at `at`, by an account allowed to (admin, owner,
 * lead). Jira holds only today's issues, so the route as it stood at `at` is put back for the moment the
 * baseline is taken, by real changes on the site: `added` issues (children of the destination's epics that
 * joined after it) are taken off their epic, `removed` ones (that left after it) are put under `from`; then
 * the file's state returns, and the app's event handling records the drift (local/app/seed.ts).
 */
const baselineSchema = z.strictObject({
  destination: z.string().min(1),
  by: z.string().min(1),
  at: isoDateTime,
  added: z.array(z.string().min(1)).default([]),
  removed: z.array(z.strictObject({ issue: z.string().min(1), from: z.string().min(1) })).default([]),
});

const issueSchema = z.strictObject({
  key: z.string().regex(ISSUE_KEY, 'issue key must look like PROJ-123'),
  project: z.string().optional(),
  type: z.string().min(1),
  summary: z.string().min(1).max(255),
  status: z.string().min(1),
  parent: z.string().nullable().optional(),
  points: z.number().min(0).max(ESTIMATE_MAX, `must be at most ${ESTIMATE_MAX}`).nullable().optional(),
  // Seconds; the app reads them as hours, held to the same bound.
  originalEstimate: z.number().int().min(0).max(ESTIMATE_MAX * 3600, `must be at most ${ESTIMATE_MAX * 3600} seconds (${ESTIMATE_MAX} hours)`).nullable().optional(),
  destination: z.string().min(1).nullable().optional(),
  /** Name of a security level of the issue's project; absent or null = no level (whoever browses the project sees it). */
  security: z.string().min(1).nullable().optional(),
  created: isoDateOrTime,
  resolved: isoDateOrTime.nullable().optional(),
});

/** Tier 1: the app's one pool for all its sites (Atlassian, developer community, 2026). */
export const TIER1_POINTS_PER_HOUR = 65_000;
/** Tier 2: per site; seen as `q=100100` in `Beta-RateLimit-Policy`, rounded. */
export const TIER2_POINTS_PER_HOUR = 100_000;

/**
 * Jira's rate limits for the app on this site (docs/site-file.md, "quota"). The default is a tier-2 app with
 * the 100,000 points an hour developers see in `Beta-RateLimit-Policy`: the tier a rollup app reading whole
 * sites needs, and the one whose budget the benchmark measures against.
 */
const quotaSchema = z
  .strictObject({
    /** Off only for experiments that measure something else; tests and the shell keep it on. */
    enabled: z.boolean().default(true),
    /** `tenant`: tier 2, a budget for this site alone; `global`: tier 1, one budget for every site of the app. */
    tier: z.enum(['tenant', 'global']).default('tenant'),
    pointsPerHour: z.number().int().min(1).optional(),
    /** Requests per second to one endpoint and method. */
    burstPerSecond: z.number().int().min(1).default(100),
    /** Writes to one issue allowed within each window. */
    issueWrites: z
      .array(z.strictObject({ count: z.number().int().min(1), seconds: z.number().int().min(1) }))
      .default([
        { count: 20, seconds: 2 },
        { count: 100, seconds: 30 },
      ]),
  })
  .transform((q) => ({ ...q, pointsPerHour: q.pointsPerHour ?? (q.tier === 'global' ? TIER1_POINTS_PER_HOUR : TIER2_POINTS_PER_HOUR) }));

/** The site's limits with every default applied (a site without a `quota` section gets the defaults). */
export function quotaOf(site: { quota?: SiteQuota }): SiteQuota {
  return site.quota ?? quotaSchema.parse({});
}

const siteSchema = z.strictObject({
  today: isoDate,
  // Optional in the parsed site too, so generated sites (and demo.json) need not spell out the defaults.
  quota: quotaSchema.optional(),
  users: z.array(userSchema).min(1),
  statuses: z.array(statusSchema).min(1).default(DEFAULT_STATUSES),
  issueTypes: z.array(issueTypeSchema).min(1).default(DEFAULT_ISSUE_TYPES),
  storyPointsField: z
    .strictObject({ id: z.string().regex(/^customfield_\d+$/, 'must be customfield_<number>'), name: z.string().min(1) })
    .default(DEFAULT_STORY_POINTS_FIELD),
  projects: z.array(projectSchema).min(1),
  appAccess: appAccessSchema.default({ blockedProjects: [], administer: false }),
  destinations: z.array(destinationSchema).default([]),
  issues: z.array(issueSchema).default([]),
  // Optional in the parsed site too (like quota), so sites built in code need not spell out an empty history.
  checkIns: z.array(checkInSchema).optional(),
  concerns: z.array(concernSchema).optional(),
  baselines: z.array(baselineSchema).optional(),
});

export type Site = z.output<typeof siteSchema>;
export type SiteUser = Site['users'][number];
export type SiteProject = Site['projects'][number];
export type SiteDestination = Site['destinations'][number];
export type SiteIssue = Site['issues'][number];
export type SiteCheckIn = NonNullable<Site['checkIns']>[number];
export type SiteConcern = NonNullable<Site['concerns']>[number];
export type SiteBaseline = NonNullable<Site['baselines']>[number];
export type SiteSuccessMeasure = z.output<typeof successMeasureSchema>;
export type SiteStatus = Site['statuses'][number];
export type SiteIssueType = Site['issueTypes'][number];
export type SiteQuota = z.output<typeof quotaSchema>;
/** What a site file may contain before defaults are applied (what generators write). */
export type SiteInput = z.input<typeof siteSchema>;

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Parse and validate a site (an object, or a path to a JSON file). Throws `SiteError` on the first problem. */
export function loadSite(input: unknown): Site {
  let raw = input;
  if (typeof input === 'string') {
    let text: string;
    try {
      text = readFileSync(input, 'utf8');
    } catch (e) {
      throw new SiteError('', `cannot read site file ${input}: ${(e as Error).message}`);
    }
    try {
      raw = parseStrictJson(text);
    } catch (e) {
      throw new SiteError('', `site file ${input} is not JSON: ${(e as Error).message}`);
    }
  }
  const parsed = siteSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SiteError(issue ? formatPath(issue.path) : '', issue?.message ?? 'invalid site');
  }
  checkReferences(parsed.data);
  return parsed.data;
}

function list(names: Iterable<string>): string {
  return [...names].join(', ');
}

function unique<T>(items: T[], keyOf: (t: T) => string, what: string, path: (i: number) => string): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const key = keyOf(item);
    const first = seen.get(key);
    if (first !== undefined) throw new SiteError(path(i), `duplicate ${what} "${key}" (first at index ${first})`);
    seen.set(key, i);
  });
}

/** Cross-references a schema cannot express. Order matters: the first problem in file order wins. */
function checkReferences(site: Site): void {
  unique(site.users, (u) => u.accountId, 'accountId', (i) => `users[${i}].accountId`);
  unique(site.statuses, (s) => s.name.toLowerCase(), 'status name', (i) => `statuses[${i}].name`);
  unique(site.issueTypes, (t) => t.name.toLowerCase(), 'issue type name', (i) => `issueTypes[${i}].name`);
  unique(site.projects, (p) => p.key, 'project key', (i) => `projects[${i}].key`);
  unique(site.destinations, (d) => d.id, 'destination id', (i) => `destinations[${i}].id`);
  unique(site.issues, (t) => t.key, 'issue key', (i) => `issues[${i}].key`);

  const users = new Set(site.users.map((u) => u.accountId));
  const needUser = (id: string, path: string): void => {
    if (!users.has(id)) throw new SiteError(path, `unknown user "${id}"`);
  };
  site.projects.forEach((p, i) => {
    p.browse?.forEach((id, j) => needUser(id, `projects[${i}].browse[${j}]`));
    p.edit?.forEach((id, j) => needUser(id, `projects[${i}].edit[${j}]`));
    const levels = p.securityLevels ?? [];
    unique(levels, (l) => l.name.toLowerCase(), 'security level name', (j) => `projects[${i}].securityLevels[${j}].name`);
    levels.forEach((l, j) => l.users.forEach((id, k) => needUser(id, `projects[${i}].securityLevels[${j}].users[${k}]`)));
  });
  const projectKeys = new Set(site.projects.map((p) => p.key));
  site.appAccess.blockedProjects.forEach((key, i) => {
    if (!projectKeys.has(key)) throw new SiteError(`appAccess.blockedProjects[${i}]`, `unknown project "${key}" (known: ${list(projectKeys)})`);
  });

  const liveNames = new Map<string, number>();
  site.destinations.forEach((d, i) => {
    needUser(d.businessOwner, `destinations[${i}].businessOwner`);
    if (d.deliveryLead) needUser(d.deliveryLead, `destinations[${i}].deliveryLead`);
    if (d.startDate && d.startDate > d.targetDate) {
      throw new SiteError(`destinations[${i}].startDate`, `start date ${d.startDate} is after target date ${d.targetDate}`);
    }
    if (d.status === 'archived') return;
    const name = d.name.trim().toLowerCase();
    if (liveNames.has(name)) throw new SiteError(`destinations[${i}].name`, `duplicate name "${d.name}" among non-archived destinations`);
    liveNames.set(name, i);
  });

  const statuses = new Map(site.statuses.map((s) => [s.name.toLowerCase(), s]));
  const types = new Map(site.issueTypes.map((t) => [t.name.toLowerCase(), t]));
  const projects = new Set(site.projects.map((p) => p.key));
  const issues = new Map(site.issues.map((t) => [t.key, t]));

  site.issues.forEach((issue, i) => {
    const at = `issues[${i}]`;
    const prefix = issue.key.slice(0, issue.key.lastIndexOf('-'));
    if (!projects.has(prefix)) throw new SiteError(`${at}.key`, `unknown project "${prefix}" (known: ${list(projects)})`);
    if (issue.project !== undefined && issue.project !== prefix) {
      throw new SiteError(`${at}.project`, `project "${issue.project}" does not match the key prefix "${prefix}"`);
    }
    const status = statuses.get(issue.status.toLowerCase());
    if (!status) throw new SiteError(`${at}.status`, `unknown status "${issue.status}" (known: ${list(site.statuses.map((s) => s.name))})`);
    const type = types.get(issue.type.toLowerCase());
    if (!type) throw new SiteError(`${at}.type`, `unknown issue type "${issue.type}" (known: ${list(site.issueTypes.map((t) => t.name))})`);
    if (issue.security) {
      const project = site.projects.find((p) => p.key === prefix);
      const levels = project?.securityLevels ?? [];
      if (!levels.some((l) => l.name.toLowerCase() === issue.security?.toLowerCase())) {
        throw new SiteError(
          `${at}.security`,
          levels.length === 0 ? `project ${prefix} has no security levels` : `unknown security level "${issue.security}" in project ${prefix} (known: ${list(levels.map((l) => l.name))})`,
        );
      }
    }
    if (issue.parent) {
      const parent = issues.get(issue.parent);
      if (!parent) throw new SiteError(`${at}.parent`, `unknown parent issue "${issue.parent}"`);
      const parentType = types.get(parent.type.toLowerCase());
      if (parentType && parentType.hierarchyLevel !== type.hierarchyLevel + 1) {
        throw new SiteError(
          `${at}.parent`,
          `a ${type.name} (hierarchy level ${type.hierarchyLevel}) cannot have the ${parentType.name} ${parent.key} (level ${parentType.hierarchyLevel}) as parent: the parent must be exactly one level above`,
        );
      }
    } else if (type.hierarchyLevel === -1) {
      throw new SiteError(`${at}.parent`, `a ${type.name} (sub-task) needs a parent`);
    }
    if (issue.resolved) {
      if (status.category !== 'done') {
        throw new SiteError(`${at}.resolved`, `only done issues may have a resolution date (status "${status.name}" is ${status.category})`);
      }
      if (Date.parse(issue.resolved) < Date.parse(issue.created)) {
        throw new SiteError(`${at}.resolved`, `resolved ${issue.resolved} is before created ${issue.created}`);
      }
    }
  });
  checkHistory(site, issues);
  checkBaselines(site, issues);
}

/** Whether `accountId` may browse `issue`: its project's browse list and, under a security level, the level's members. */
function mayBrowse(site: Site, accountId: string, issue: SiteIssue): boolean {
  const prefix = issue.key.slice(0, issue.key.lastIndexOf('-'));
  const project = site.projects.find((p) => p.key === prefix);
  if (!project || (project.browse && !project.browse.includes(accountId))) return false;
  if (!issue.security) return true;
  const level = project.securityLevels?.find((l) => l.name.toLowerCase() === issue.security?.toLowerCase());
  return level?.users.includes(accountId) ?? false;
}

/**
 * Check-ins and concerns as the app's rules will take them when they are seeded through its resolvers: a
 * problem is found here, naming the entry, rather than half-way through seeding. Every `at` is before the
 * site's today: history is seeded on the site clock set back to each moment.
 */
function checkHistory(site: Site, issues: Map<string, SiteIssue>): void {
  const users = new Set(site.users.map((u) => u.accountId));
  const destinations = new Map(site.destinations.map((d) => [d.id, d]));
  const today = Date.parse(`${site.today}T00:00:00Z`);
  const past = (at: string, path: string): void => {
    if (Date.parse(at) >= today) throw new SiteError(path, `${at} is not before the site's today ${site.today}: history is in the past`);
  };
  const destinationOf = (id: string, path: string): SiteDestination => {
    const d = destinations.get(id);
    if (!d) throw new SiteError(path, `unknown destination "${id}" (known: ${list(destinations.keys())})`);
    if (d.status === 'archived') throw new SiteError(path, `destination ${id} is archived: the app takes no check-ins or concerns on it`);
    return d;
  };
  const ownerOrLead = (d: SiteDestination, by: string, path: string, what: string): void => {
    if (!users.has(by)) throw new SiteError(path, `unknown user "${by}"`);
    if (by !== d.businessOwner && by !== d.deliveryLead) {
      throw new SiteError(path, `"${by}" is neither the business owner (${d.businessOwner}) nor the delivery lead (${d.deliveryLead ?? 'none'}) of ${d.id}: only they ${what}`);
    }
  };

  (site.checkIns ?? []).forEach((c, i) => {
    const at = `checkIns[${i}]`;
    const d = destinationOf(c.destination, `${at}.destination`);
    ownerOrLead(d, c.by, `${at}.by`, 'check in');
    past(c.at, `${at}.at`);
    if (c.measure !== undefined && !d.successMeasure) throw new SiteError(`${at}.measure`, `destination ${d.id} names no successMeasure to measure`);
  });

  (site.concerns ?? []).forEach((c, i) => {
    const at = `concerns[${i}]`;
    const d = destinationOf(c.destination, `${at}.destination`);
    const epic = issues.get(c.epic);
    if (!epic) throw new SiteError(`${at}.epic`, `unknown issue "${c.epic}"`);
    if (epic.type.toLowerCase() !== 'epic') throw new SiteError(`${at}.epic`, `${c.epic} is a ${epic.type}, not an epic: concerns are raised from an epic`);
    if (epic.destination !== d.id) throw new SiteError(`${at}.epic`, `epic ${c.epic} does not serve ${d.id} (its destination is ${epic.destination ?? 'none'})`);
    if (!users.has(c.by)) throw new SiteError(`${at}.by`, `unknown user "${c.by}"`);
    if (!mayBrowse(site, c.by, epic)) throw new SiteError(`${at}.by`, `"${c.by}" may not browse ${c.epic}, so cannot raise a concern from it`);
    past(c.at, `${at}.at`);
    const state = c.state ?? (c.answer ? 'answered' : 'open');
    if (!c.answer) {
      if (state !== 'open') throw new SiteError(`${at}.state`, `a concern is ${state} only with an answer`);
      return;
    }
    if (state === 'open') throw new SiteError(`${at}.state`, 'a concern with an answer is answered or closed, not open');
    ownerOrLead(d, c.answer.by, `${at}.answer.by`, 'answer concerns');
    past(c.answer.at, `${at}.answer.at`);
    if (Date.parse(c.answer.at) < Date.parse(c.at)) throw new SiteError(`${at}.answer.at`, `answered ${c.answer.at}, before the concern was raised (${c.at})`);
  });
}

/**
 * Baselines as `trip/baseline` will take them, and the route at `at` the seed can put back: found here, naming
 * the entry. A child of the destination's epics created after `at` must be among `added` (the route then
 * could not hold it); a `removed` issue existed at `at`, is off the route now, and `from` is one of its epics.
 */
function checkBaselines(site: Site, issues: Map<string, SiteIssue>): void {
  const destinations = new Map(site.destinations.map((d) => [d.id, d]));
  const users = new Map(site.users.map((u) => [u.accountId, u]));
  const today = Date.parse(`${site.today}T00:00:00Z`);
  const levels = new Map(site.issueTypes.map((t) => [t.name.toLowerCase(), t.hierarchyLevel]));
  const isEpic = (i: SiteIssue | undefined): boolean => i !== undefined && levels.get(i.type.toLowerCase()) === 1;
  const seen = new Set<string>();
  (site.baselines ?? []).forEach((b, i) => {
    const at = `baselines[${i}]`;
    const d = destinations.get(b.destination);
    if (!d) throw new SiteError(`${at}.destination`, `unknown destination "${b.destination}" (known: ${list(destinations.keys())})`);
    if (d.status === 'archived') throw new SiteError(`${at}.destination`, `destination ${d.id} is archived: its scope no longer drifts`);
    if (seen.has(d.id)) throw new SiteError(`${at}.destination`, `${d.id} has a baseline already: a new one replaces the old, so give only the last`);
    seen.add(d.id);
    const user = users.get(b.by);
    if (!user) throw new SiteError(`${at}.by`, `unknown user "${b.by}"`);
    if (!user.admin && b.by !== d.businessOwner && b.by !== d.deliveryLead) {
      throw new SiteError(`${at}.by`, `"${b.by}" is neither a Jira admin nor the business owner (${d.businessOwner}) nor the delivery lead (${d.deliveryLead ?? 'none'}) of ${d.id}: only they take a baseline`);
    }
    const moment = Date.parse(b.at);
    if (moment >= today) throw new SiteError(`${at}.at`, `${b.at} is not before the site's today ${site.today}: history is in the past`);
    const ofRoute = (i2: SiteIssue | undefined): boolean => {
      const parent = i2?.parent ? issues.get(i2.parent) : undefined;
      return isEpic(parent) && parent?.destination === d.id;
    };
    const added = new Set<string>();
    b.added.forEach((key, j) => {
      const path = `${at}.added[${j}]`;
      const issue = issues.get(key);
      if (!issue) throw new SiteError(path, `unknown issue "${key}"`);
      if (!ofRoute(issue)) throw new SiteError(path, `${key} is not a child of an epic of ${d.id}: only issues on its route now can have joined it`);
      if (added.has(key)) throw new SiteError(path, `${key} is listed twice`);
      added.add(key);
    });
    for (const issue of site.issues) {
      if (ofRoute(issue) && Date.parse(issue.created) > moment && !added.has(issue.key)) {
        throw new SiteError(`${at}.added`, `${issue.key} was created ${issue.created}, after the baseline (${b.at}), so it joined ${d.id}'s route later: list it in added`);
      }
    }
    b.removed.forEach((r, j) => {
      const path = `${at}.removed[${j}]`;
      const issue = issues.get(r.issue);
      if (!issue) throw new SiteError(`${path}.issue`, `unknown issue "${r.issue}"`);
      if (isEpic(issue) || levels.get(issue.type.toLowerCase()) !== 0) throw new SiteError(`${path}.issue`, `${r.issue} is a ${issue.type}: only an epic's child can leave its route`);
      if (ofRoute(issue)) throw new SiteError(`${path}.issue`, `${r.issue} is still on ${d.id}'s route (under ${issue.parent}): a removed issue is off it now`);
      if (Date.parse(issue.created) > moment) throw new SiteError(`${path}.issue`, `${r.issue} was created ${issue.created}, after the baseline (${b.at}): it was never on the route then`);
      const from = issues.get(r.from);
      if (!isEpic(from) || from?.destination !== d.id) throw new SiteError(`${path}.from`, `"${r.from}" is not an epic of ${d.id}`);
    });
  });
}
