/**
 * Site generators: the demo site the shell starts with, and `generateSite` for large synthetic sites used by
 * benchmarks. Both are deterministic from their seed.
 *
 * The demo site is the same story on any day: `npm start` generates it for the reader's today (so "updated a
 * minute ago" is true in the browser), with every date shifted by the same number of days. `demo.json` is the
 * same site fixed on `DEMO_TODAY`, for tests and reports that need the same answers every day.
 *
 *   npx tsx local/sites/generate-demo.ts            # rewrites local/sites/demo.json (today = DEMO_TODAY)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../jira/faults';
import { DEFAULT_STATUSES, DEFAULT_STORY_POINTS_FIELD, type Site, type SiteBaseline, type SiteCheckIn, type SiteConcern, type SiteDestination, type SiteIssue } from '../jira/site';

const DAY = 86_400_000;
/** No app access rule: the app reads every project, and holds no global admin permission. */
const NO_APP_RULES = { blockedProjects: [], administer: false };
const POINTS = [1, 2, 3, 3, 5, 5, 8, 13];
const ISSUE_TYPES = [
  { name: 'Epic', hierarchyLevel: 1 },
  { name: 'Story', hierarchyLevel: 0 },
  { name: 'Task', hierarchyLevel: 0 },
  { name: 'Bug', hierarchyLevel: 0 },
  { name: 'Sub-task', hierarchyLevel: -1 },
];

function dayOffset(today: string): (days: number) => string {
  const base = Date.parse(`${today}T00:00:00Z`);
  const cache = new Map<number, string>();
  return (days) => {
    let s = cache.get(days);
    if (s === undefined) {
      s = new Date(base - days * DAY).toISOString().slice(0, 10);
      cache.set(days, s);
    }
    return s;
  };
}

/** How far along an epic's children are: shares of done and in-progress work. */
interface Profile {
  done: number;
  inProgress: number;
}

interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

function rng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
  };
}

interface ChildOptions {
  r: Rng;
  ago: (days: number) => string;
  profile: Profile;
  /** Share of children without any estimate. */
  unestimated: number;
  /** Share of children carrying an original estimate (seconds) besides points. */
  withOriginalEstimate: number;
  /** Resolution dates fall within this many days before today. */
  resolvedWithinDays: number;
  /**
   * Created this many days ago at most (the epic's own age, so its scope grows from the day it was created);
   * absent: from 20 to 240 days ago, with a done item's creation pushed back before its resolution.
   */
  createdWithinDays?: number;
}

/** One child issue's status, dates and estimate, drawn from the epic's profile. */
function child(key: string, parent: string | null, summary: string, o: ChildOptions): SiteIssue {
  const roll = o.r.next();
  const status = roll < o.profile.done ? 'Done' : roll < o.profile.done + o.profile.inProgress ? 'In Progress' : 'To Do';
  let createdAgo = o.createdWithinDays === undefined ? o.r.int(20, 240) : o.r.int(10, o.createdWithinDays);
  let resolved: string | null = null;
  if (status === 'Done') {
    let resolvedAgo = o.r.int(0, o.resolvedWithinDays);
    if (o.createdWithinDays !== undefined) {
      // Done some time after it was created, within the window: the burn-up's done line follows its scope line.
      if (createdAgo <= resolvedAgo) resolvedAgo = o.r.int(0, Math.max(0, createdAgo - 1));
    } else if (createdAgo <= resolvedAgo) createdAgo = resolvedAgo + o.r.int(1, 30);
    resolved = o.ago(resolvedAgo);
  }
  const estimateRoll = o.r.next();
  const points = estimateRoll < o.unestimated ? null : o.r.pick(POINTS);
  const originalEstimate = points !== null && o.r.next() < o.withOriginalEstimate ? points * 4 * 3600 : null;
  const issue: SiteIssue = { key, type: o.r.next() < 0.15 ? 'Bug' : 'Story', summary, status, created: o.ago(createdAgo) };
  if (parent) issue.parent = parent;
  if (points !== null) issue.points = points;
  if (originalEstimate !== null) issue.originalEstimate = originalEstimate;
  if (resolved) issue.resolved = resolved;
  return issue;
}

export interface GenerateOptions {
  seed: number;
  epics: number;
  issuesPerEpic: number;
  destinations: number;
  /** Number of projects (default: one per 50 epics, at least 4). */
  projects?: number;
  /** Issues with no epic, per project (default 5). */
  orphansPerProject?: number;
  /** Share of epics without a destination (default 0.2). */
  offRouteEpicShare?: number;
  /** Summaries in Japanese (3 UTF-8 bytes a character), long as Jira allows, to measure stored sizes in bytes. */
  cjkSummaries?: boolean;
  today?: string;
}

/** A CJK summary of 120 characters (360 bytes), numbered so summaries differ. */
function cjkSummary(what: string, n: number): string {
  return `${what}${n}：${'業務目標に向けた作業項目の詳細な説明文'.repeat(6)}`.slice(0, 120);
}

/**
 * A large synthetic site, deterministic from its options. It skips `loadSite`'s validation on purpose (it
 * builds valid data by construction) so that 250k issues take seconds; tests check small ones validate.
 */
export function generateSite(options: GenerateOptions): Site {
  const today = options.today ?? '2026-11-25';
  const r = rng(options.seed);
  const ago = dayOffset(today);
  const projectCount = options.projects ?? Math.max(4, Math.ceil(options.epics / 50));
  const users = [
    { accountId: 'u-admin', displayName: 'Ada Admin', admin: true },
    { accountId: 'u-leader', displayName: 'Bea Leader', admin: false },
    { accountId: 'u-dev', displayName: 'Dev Patel', admin: false },
  ];
  const projects = Array.from({ length: projectCount }, (_, i) => ({ key: `P${i + 1}`, name: `Project ${i + 1}` }));
  const destinations: SiteDestination[] = Array.from({ length: options.destinations }, (_, i) => ({
    id: `D-${i + 1}`,
    name: `Destination ${i + 1}`,
    targetDate: ago(-r.int(-60, 240)),
    status: 'active',
    priority: i + 1,
    businessOwner: 'u-leader',
  }));
  const issues: SiteIssue[] = [];
  const counters = new Array<number>(projectCount).fill(0);
  const nextKey = (p: number): string => `${(projects[p] as { key: string }).key}-${++(counters[p] as number)}`;
  const offRoute = options.offRouteEpicShare ?? 0.2;
  for (let e = 0; e < options.epics; e++) {
    const p = e % projectCount;
    const epicKey = nextKey(p);
    const profile = { done: r.next() * 0.8, inProgress: 0.1 + r.next() * 0.3 };
    const epic: SiteIssue = { key: epicKey, type: 'Epic', summary: options.cjkSummaries ? cjkSummary('エピック', e + 1) : `Epic ${e + 1}`, status: profile.done > 0.7 ? 'Done' : 'In Progress', created: ago(250) };
    if (epic.status === 'Done') epic.resolved = ago(r.int(0, 30));
    if (options.destinations > 0 && r.next() >= offRoute) epic.destination = `D-${1 + (e % options.destinations)}`;
    issues.push(epic);
    const o: ChildOptions = { r, ago, profile, unestimated: 0.1, withOriginalEstimate: 0.2, resolvedWithinDays: 112 };
    for (let c = 0; c < options.issuesPerEpic; c++) issues.push(child(nextKey(p), epicKey, options.cjkSummaries ? cjkSummary('作業', c + 1) : `Work item ${c + 1} of epic ${e + 1}`, o));
  }
  const orphanProfile = { done: 0.3, inProgress: 0.4 };
  for (let p = 0; p < projectCount; p++) {
    const o: ChildOptions = { r, ago, profile: orphanProfile, unestimated: 0.3, withOriginalEstimate: 0, resolvedWithinDays: 112 };
    for (let c = 0; c < (options.orphansPerProject ?? 5); c++) issues.push(child(nextKey(p), null, `Loose work ${c + 1}`, o));
  }
  return { today, users, statuses: DEFAULT_STATUSES, issueTypes: ISSUE_TYPES, storyPointsField: DEFAULT_STORY_POINTS_FIELD, projects, appAccess: NO_APP_RULES, destinations, issues };
}

// ---- the demo site ----------------------------------------------------------------------------------------

interface EpicSpec {
  project: string;
  summary: string;
  destination?: string;
  /** A security level of the project: only its members (and the app, when the level grants it) see the epic. */
  security?: string;
  profile: Profile;
  children: number;
  status?: 'To Do' | 'In Progress' | 'Done';
}

const ON_TRACK: Profile = { done: 0.65, inProgress: 0.25 };
const MIDWAY: Profile = { done: 0.4, inProgress: 0.35 };
const BEHIND: Profile = { done: 0.15, inProgress: 0.3 };
const FINISHED: Profile = { done: 1, inProgress: 0 };
const FRESH: Profile = { done: 0.05, inProgress: 0.2 };
/** The deliberately late destination's pace: far too little done for its target date. */
const LATE: Profile = { done: 0.4, inProgress: 0.3 };

const DEMO_DESTINATIONS: SiteDestination[] = [
  {
    id: 'D-1',
    name: 'Instant payouts for merchants',
    description: 'Merchants get paid within minutes instead of days.',
    targetDate: '2027-04-30',
    startDate: '2026-07-01',
    status: 'active',
    priority: 1,
    businessOwner: 'u-leader',
    deliveryLead: 'u-dan',
    successMeasure: { name: 'Merchants paid within one minute', unit: '%', baseline: 4, target: 90 },
  },
  { id: 'D-2', name: 'Mobile wallet launch', description: 'A wallet in the mobile app, live in three markets.', targetDate: '2027-12-31', startDate: '2026-08-01', status: 'active', priority: 2, businessOwner: 'u-cara', deliveryLead: 'u-dev' },
  { id: 'D-3', name: 'PCI DSS 4.0 certification', description: 'Pass the PCI DSS 4.0 audit.', targetDate: '2026-10-30', startDate: '2026-05-04', status: 'active', priority: 3, businessOwner: 'u-leader', deliveryLead: 'u-dan' },
  { id: 'D-4', name: 'Self-service onboarding', description: 'New merchants sign up without talking to sales.', targetDate: '2026-11-13', startDate: '2026-06-01', status: 'achieved', priority: 4, businessOwner: 'u-cara' },
  { id: 'D-5', name: 'Open banking partner API', description: 'A public API for partners (still being shaped).', targetDate: '2027-06-30', status: 'draft', priority: 5, businessOwner: 'u-eve' },
  { id: 'D-6', name: 'Retire the legacy ledger', description: 'Dropped when the new ledger shipped early.', targetDate: '2026-09-30', status: 'archived', priority: 6, businessOwner: 'u-leader' },
  // The deliberately late one: its burn-up falls behind its target line and the data gives it little chance,
  // while its business owner's newest check-in says on track (the disagreement the demo shows).
  { id: 'D-7', name: 'Cut chargeback losses by half', description: 'Fraud scoring and dispute automation.', targetDate: '2027-02-26', startDate: '2026-09-01', status: 'active', priority: 7, businessOwner: 'u-eve', deliveryLead: 'u-dan' },
];

const DEMO_EPICS: EpicSpec[] = [
  // PAY: mostly instant payouts, on track; the chargeback destination just started.
  { project: 'PAY', summary: 'Payout orchestration service', destination: 'D-1', profile: ON_TRACK, children: 16 },
  { project: 'PAY', summary: 'Real-time bank rails integration', destination: 'D-1', profile: ON_TRACK, children: 15 },
  { project: 'PAY', summary: 'Payout reconciliation', destination: 'D-1', profile: MIDWAY, children: 14 },
  { project: 'PAY', summary: 'Merchant payout settings', destination: 'D-1', profile: ON_TRACK, children: 12 },
  { project: 'PAY', summary: 'Payout notifications', destination: 'D-1', profile: ON_TRACK, children: 10 },
  { project: 'PAY', summary: 'Fraud scoring model v2', destination: 'D-7', profile: LATE, children: 16 },
  { project: 'PAY', summary: 'Dispute evidence automation', destination: 'D-7', profile: LATE, children: 14 },
  { project: 'PAY', summary: 'Chargeback analytics', destination: 'D-7', profile: LATE, children: 12 },
  { project: 'PAY', summary: 'New ledger core', destination: 'D-4', profile: FINISHED, children: 14, status: 'Done' },
  // Under issue security: only the payments leadership level (and the app) see it; its children are open.
  { project: 'PAY', summary: 'Ledger migration tooling', destination: 'D-6', security: 'Payments leadership', profile: MIDWAY, children: 10 },
  { project: 'PAY', summary: 'Partner API discovery', destination: 'D-5', profile: FRESH, children: 6, status: 'To Do' },
  { project: 'PAY', summary: 'Payments platform upkeep', profile: MIDWAY, children: 14 },
  // MOB: the wallet is behind with a close target date.
  { project: 'MOB', summary: 'Wallet home screen', destination: 'D-2', profile: BEHIND, children: 16 },
  { project: 'MOB', summary: 'Card tokenisation', destination: 'D-2', profile: BEHIND, children: 15 },
  { project: 'MOB', summary: 'Wallet top-up flows', destination: 'D-2', profile: MIDWAY, children: 14 },
  { project: 'MOB', summary: 'Tap to pay', destination: 'D-2', profile: BEHIND, children: 16 },
  { project: 'MOB', summary: 'Wallet localisation', destination: 'D-2', profile: FRESH, children: 12 },
  { project: 'MOB', summary: 'Onboarding in the app', destination: 'D-4', profile: FINISHED, children: 12, status: 'Done' },
  { project: 'MOB', summary: 'Instant payout status in app', destination: 'D-1', profile: ON_TRACK, children: 10 },
  { project: 'MOB', summary: 'Dark mode', profile: MIDWAY, children: 10 },
  { project: 'MOB', summary: 'App performance budget', profile: MIDWAY, children: 12 },
  { project: 'MOB', summary: 'Legacy wallet prototype', destination: 'D-99', profile: MIDWAY, children: 8 },
  // SEC: only admins and leaders can browse; PCI is past its target date.
  { project: 'SEC', summary: 'Cardholder data segmentation', destination: 'D-3', profile: MIDWAY, children: 14 },
  { project: 'SEC', summary: 'Key management rotation', destination: 'D-3', profile: ON_TRACK, children: 12 },
  { project: 'SEC', summary: 'Audit logging', destination: 'D-3', profile: MIDWAY, children: 12 },
  { project: 'SEC', summary: 'Penetration test fixes', destination: 'D-3', profile: BEHIND, children: 14 },
  { project: 'SEC', summary: 'Wallet threat model', destination: 'D-2', profile: MIDWAY, children: 8 },
  { project: 'SEC', summary: 'Security tooling upkeep', profile: MIDWAY, children: 10 },
  // OPS: onboarding done, support work around it.
  { project: 'OPS', summary: 'Self-service KYC', destination: 'D-4', profile: FINISHED, children: 14, status: 'Done' },
  { project: 'OPS', summary: 'Onboarding emails', destination: 'D-4', profile: FINISHED, children: 10, status: 'Done' },
  { project: 'OPS', summary: 'Payout support runbooks', destination: 'D-1', profile: MIDWAY, children: 10 },
  { project: 'OPS', summary: 'Dispute desk tooling', destination: 'D-7', profile: FRESH, children: 12 },
  { project: 'OPS', summary: 'On-call improvements', profile: MIDWAY, children: 12 },
  { project: 'OPS', summary: 'Cost dashboards', profile: BEHIND, children: 10 },
  // LAB: mostly off-route exploration.
  { project: 'LAB', summary: 'Generative support assistant', profile: MIDWAY, children: 14 },
  { project: 'LAB', summary: 'Crypto payouts spike', profile: BEHIND, children: 12 },
  { project: 'LAB', summary: 'Voice payments prototype', profile: MIDWAY, children: 10 },
  { project: 'LAB', summary: 'Hackathon leftovers', profile: MIDWAY, children: 12 },
  { project: 'LAB', summary: 'Graph-based fraud research', destination: 'D-7', profile: FRESH, children: 10 },
  { project: 'LAB', summary: 'AR store finder', profile: BEHIND, children: 8 },
  { project: 'LAB', summary: 'Quantum-safe crypto reading group', profile: FRESH, children: 6, status: 'To Do' },
  { project: 'LAB', summary: 'Edge caching experiments', profile: MIDWAY, children: 10 },
];

const ORPHANS: Record<string, number> = { PAY: 8, MOB: 6, SEC: 4, OPS: 10, LAB: 30 };

/** The demo site, deterministic from `seed`. */
/** The day `demo.json` is fixed on; `demoSite` for another day shifts every date by the same number of days. */
export const DEMO_TODAY = '2026-11-25';

/** Today's UTC calendar date by the machine's clock, the day the browser reads "ago" against. */
export function realToday(now: number = Date.now()): string {
  return new Date(now).toISOString().slice(0, 10);
}

export function demoSite(seed = 20261125, today: string = DEMO_TODAY): Site {
  const r = rng(seed);
  const ago = dayOffset(today);
  const counters = new Map<string, number>();
  const nextKey = (p: string): string => {
    const n = (counters.get(p) ?? 0) + 1;
    counters.set(p, n);
    return `${p}-${n}`;
  };
  const issues: SiteIssue[] = [];
  for (const spec of DEMO_EPICS) {
    const epicKey = nextKey(spec.project);
    const epicStatus = spec.status ?? 'In Progress';
    const epicAgo = r.int(150, 200);
    const epic: SiteIssue = { key: epicKey, type: 'Epic', summary: spec.summary, status: epicStatus, created: ago(epicAgo) };
    if (spec.destination) epic.destination = spec.destination;
    if (spec.security) epic.security = spec.security;
    if (epicStatus === 'Done') epic.resolved = ago(r.int(12, 20));
    issues.push(epic);
    const o: ChildOptions = {
      r,
      ago,
      profile: spec.profile,
      unestimated: spec.project === 'LAB' ? 0.35 : 0.1,
      withOriginalEstimate: spec.project === 'OPS' ? 0.9 : 0.15,
      resolvedWithinDays: epicStatus === 'Done' ? 100 : 112,
      // Scope grows from the epic's creation over the months since, so every burn-up has a shape.
      createdWithinDays: epicAgo,
    };
    const children: SiteIssue[] = [];
    for (let c = 0; c < spec.children; c++) {
      const item = child(nextKey(spec.project), epicKey, `${spec.summary}: part ${c + 1}`, o);
      // A finished epic's children are all done, and done before the epic was.
      if (epicStatus === 'Done' && item.resolved && epic.resolved && item.resolved > epic.resolved) {
        item.resolved = epic.resolved;
        if (item.created > item.resolved) item.created = item.resolved;
      }
      children.push(item);
      issues.push(item);
    }
    // A few sub-tasks under the first story of every fifth epic.
    const host = children.find((c) => c.type === 'Story');
    if (host && DEMO_EPICS.indexOf(spec) % 5 === 0) {
      for (let s = 0; s < 2; s++) {
        const sub: SiteIssue = { key: nextKey(spec.project), type: 'Sub-task', summary: `${host.summary}: step ${s + 1}`, parent: host.key, status: host.status, created: host.created };
        if (host.resolved) sub.resolved = host.resolved;
        issues.push(sub);
      }
    }
  }
  for (const [project, count] of Object.entries(ORPHANS)) {
    const o: ChildOptions = { r, ago, profile: { done: 0.3, inProgress: 0.45 }, unestimated: 0.4, withOriginalEstimate: 0.1, resolvedWithinDays: 112 };
    for (let c = 0; c < count; c++) {
      const item = child(nextKey(project), null, `${project === 'LAB' ? 'Exploration' : 'Loose task'} ${c + 1}`, o);
      item.type = 'Task';
      issues.push(item);
    }
  }
  const baselines = demoBaselines(ago, issues);
  return {
    today,
    users: [
      { accountId: 'u-admin', displayName: 'Ada Admin', admin: true, emailAddress: 'ada@example.com' },
      { accountId: 'u-leader', displayName: 'Bea Leader', admin: false, emailAddress: 'bea@example.com' },
      { accountId: 'u-dev', displayName: 'Dev Patel', admin: false, emailAddress: 'dev@example.com' },
      { accountId: 'u-cara', displayName: 'Cara Chen', admin: false, emailAddress: 'cara@example.com' },
      { accountId: 'u-dan', displayName: 'Dan Okafor', admin: false, emailAddress: 'dan@example.com' },
      { accountId: 'u-eve', displayName: 'Eve Martin', admin: false, emailAddress: 'eve@example.com' },
    ],
    statuses: DEFAULT_STATUSES,
    issueTypes: ISSUE_TYPES,
    storyPointsField: DEFAULT_STORY_POINTS_FIELD,
    projects: [
      { key: 'PAY', name: 'Payments', securityLevels: [{ name: 'Payments leadership', users: ['u-admin', 'u-leader'], app: true }] },
      { key: 'MOB', name: 'Mobile' },
      { key: 'SEC', name: 'Security', browse: ['u-admin', 'u-leader'] },
      { key: 'OPS', name: 'Operations' },
      { key: 'LAB', name: 'Innovation Lab' },
    ],
    appAccess: NO_APP_RULES,
    destinations: DEMO_DESTINATIONS.map((d) => shiftDestination(d, ago)),
    issues,
    checkIns: demoCheckIns(ago),
    concerns: demoConcerns(ago, issues),
    baselines,
  };
}

/**
 * The late destination's scope baseline, taken by its owner when the board approved the budget; since then
 * the route grew (every child created after it joined later) and one open chargeback-analytics issue was
 * taken off it (it stays in PAY without an epic), so its trip shows the drift. Changes `issues` for that one.
 */
function demoBaselines(ago: (days: number) => string, issues: SiteIssue[]): SiteBaseline[] {
  const taken = at(ago, 44, '10:00');
  const epics = new Map(issues.filter((i) => i.type === 'Epic' && i.destination === 'D-7').map((e) => [e.key, e]));
  const route = issues.filter((i) => i.parent && epics.has(i.parent));
  const analytics = [...epics.values()].find((e) => e.summary === 'Chargeback analytics');
  const cut = route.find((i) => i.parent === analytics?.key && !i.resolved && Date.parse(i.created) < Date.parse(taken));
  if (!analytics || !cut) throw new Error('demo site: no open chargeback-analytics issue from before the baseline to take off the route');
  cut.parent = null;
  const added = route.filter((i) => Date.parse(i.created) > Date.parse(taken)).map((i) => i.key);
  return [{ destination: 'D-7', by: 'u-eve', at: taken, added, removed: [{ issue: cut.key, from: analytics.key }] }];
}

/** A moment `days` before the demo's today, at `time` (UTC). */
function at(ago: (days: number) => string, days: number, time: string): string {
  return `${ago(days)}T${time}:00.000Z`;
}

/**
 * What the owners and leads said, over the last weeks (every date moves with today). Instant payouts is
 * checked in on by both sides with its success measure climbing; the wallet's people are worried; the late
 * chargeback destination's lead says it is slipping, then its owner says on track (newest): the disagreement.
 */
function demoCheckIns(ago: (days: number) => string): SiteCheckIn[] {
  const list: SiteCheckIn[] = [
    // D-1: the owner every two weeks with the measure, the lead most weeks.
    { destination: 'D-1', by: 'u-leader', status: 'on track', note: 'Pilot merchants see payouts in minutes.', at: at(ago, 66, '09:30'), measure: 4 },
    { destination: 'D-1', by: 'u-dan', status: 'on track', note: 'Orchestration service in staging.', at: at(ago, 63, '16:10') },
    { destination: 'D-1', by: 'u-leader', status: 'on track', note: 'First bank rail live for the pilot.', at: at(ago, 52, '09:30'), measure: 11 },
    { destination: 'D-1', by: 'u-dan', status: 'at risk', note: 'Reconciliation is slower than planned; adding a pair.', at: at(ago, 42, '15:45') },
    { destination: 'D-1', by: 'u-leader', status: 'on track', note: 'Second rail live; more merchants in the pilot.', at: at(ago, 38, '09:30'), measure: 23 },
    { destination: 'D-1', by: 'u-dan', status: 'on track', note: 'Reconciliation caught up.', at: at(ago, 28, '16:00') },
    { destination: 'D-1', by: 'u-leader', status: 'on track', note: 'Notifications shipped; support volume down.', at: at(ago, 24, '09:30'), measure: 37 },
    { destination: 'D-1', by: 'u-dan', status: 'on track', note: 'Payout settings done, app status next.', at: at(ago, 14, '15:30') },
    { destination: 'D-1', by: 'u-leader', status: 'on track', note: 'Half the pilot paid within a minute.', at: at(ago, 10, '09:30'), measure: 48 },
    // D-2: both sides worried.
    { destination: 'D-2', by: 'u-dev', status: 'on track', note: 'Home screen and top-up designs agreed.', at: at(ago, 56, '11:00') },
    { destination: 'D-2', by: 'u-cara', status: 'at risk', note: 'Card tokenisation vendor contract still unsigned.', at: at(ago, 35, '10:15') },
    { destination: 'D-2', by: 'u-dev', status: 'at risk', note: 'Tap to pay needs a certification slot we do not have yet.', at: at(ago, 21, '11:00') },
    { destination: 'D-2', by: 'u-cara', status: 'at risk', note: 'Contract signed; certification slot booked for January.', at: at(ago, 7, '10:15') },
    // D-7, the late one: the lead sees it slipping; the owner says on track, last.
    { destination: 'D-7', by: 'u-dan', status: 'on track', note: 'Fraud model v2 kicked off.', at: at(ago, 49, '14:00') },
    { destination: 'D-7', by: 'u-eve', status: 'on track', note: 'Board approved the dispute automation budget.', at: at(ago, 45, '08:45') },
    { destination: 'D-7', by: 'u-dan', status: 'at risk', note: 'Dispute evidence work is bigger than estimated.', at: at(ago, 27, '14:00') },
    { destination: 'D-7', by: 'u-dan', status: 'off track', note: 'At this pace we land months after the target.', at: at(ago, 9, '14:00') },
    { destination: 'D-7', by: 'u-eve', status: 'on track', note: 'We committed this date to the board; the team will make it.', at: at(ago, 3, '08:45') },
  ];
  return list;
}

/**
 * A developer's concern on the late destination, answered by its owner; and an open one on instant payouts.
 * Raised from epics by their summaries (keys come from the generated issues).
 */
function demoConcerns(ago: (days: number) => string, issues: SiteIssue[]): SiteConcern[] {
  const epicKey = (summary: string): string => {
    const epic = issues.find((i) => i.type === 'Epic' && i.summary === summary);
    if (!epic) throw new Error(`demo site: no epic "${summary}"`);
    return epic.key;
  };
  return [
    {
      destination: 'D-7',
      epic: epicKey('Dispute evidence automation'),
      by: 'u-dev',
      text: 'Half the dispute work has not started and the target is in three months. Should we cut scope or move the date?',
      at: at(ago, 6, '17:20'),
      answer: { by: 'u-eve', text: 'Thanks for saying it. Keep the date for now; I am asking the board about cutting chargeback analytics.', at: at(ago, 4, '09:05') },
    },
    {
      destination: 'D-1',
      epic: epicKey('Instant payout status in app'),
      by: 'u-dev',
      text: 'The app shows "paid" before the bank confirms. Is that what merchants should see?',
      at: at(ago, 2, '13:40'),
    },
  ];
}

/** A destination's dates moved with the demo's today (`ago(n)` is n days before it; the fixed dates are for DEMO_TODAY). */
function shiftDestination(d: SiteDestination, ago: (days: number) => string): SiteDestination {
  const fixed = Date.parse(`${DEMO_TODAY}T00:00:00Z`);
  const shift = (date: string): string => ago(Math.round((fixed - Date.parse(`${date}T00:00:00Z`)) / DAY));
  return { ...d, targetDate: shift(d.targetDate), ...(d.startDate ? { startDate: shift(d.startDate) } : {}) };
}

export const DEMO_PATH = join(__dirname, 'demo.json');

if (require.main === module) {
  const site = demoSite();
  writeFileSync(DEMO_PATH, `${JSON.stringify(site, null, 1)}\n`);
  console.log(`wrote ${DEMO_PATH}: ${site.projects.length} projects, ${site.issues.filter((i) => i.type === 'Epic').length} epics, ${site.issues.length} issues`);
}
