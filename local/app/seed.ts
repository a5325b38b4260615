/**
 * Puts a site file's destinations into the app's storage the way the site's admin would: created through the
 * app's own resolvers (in id order, so each takes the site's id; ids the site skips are taken and deleted),
 * put in the site's order, then archived where the site says so. The stored state is what the app writes.
 *
 * The site's history of check-ins and concerns goes in the same way (`seedHistory`): through the resolvers
 * the people themselves would call, in time order, each on the site clock set back to its moment.
 */
import { MODULE_KEYS, type DestinationDraft, type Envelope, type PayloadOf, type ResolverKey, type ResponseOf, type SuccessMeasure } from '../../src/contract';
import { archiveDestination, destinationNumber } from '../../src/domain/destination-rules';
import { systemClock } from '../../src/infra/clock';
import { createDestinationStore } from '../../src/infra/storage/destination-store';
import type { Site } from '../jira';
import type { JiraEmulator } from '../types';
import type { SiteBaseline, SiteCheckIn, SiteConcern } from '../jira/site';
import { advanceClockTo, clockInstalled, rewindClock, type LocalPlatform } from '../platform';

const numberOf = (id: string): number => destinationNumber(id) ?? 0;

export async function seedDestinations(platform: LocalPlatform, site: Site): Promise<void> {
  if (site.destinations.length === 0) return;
  const admin = site.users.find((u) => u.admin)?.accountId;
  if (!admin) throw new Error('the site has destinations but no Jira admin among its users to create them');
  const call = async <K extends ResolverKey>(key: K, payload: PayloadOf<K>): Promise<ResponseOf<K>> => {
    const answer = (await platform.invokeForModule(MODULE_KEYS.admin, key, payload, { accountId: admin })) as Envelope<ResponseOf<K>>;
    if (!answer.ok) throw new Error(`site destinations: ${key} answered ${answer.error.code}: ${answer.error.message}`);
    return answer.data;
  };
  let next = 1;
  for (const d of [...site.destinations].sort((a, b) => numberOf(a.id) - numberOf(b.id))) {
    for (; next < numberOf(d.id); next++) {
      const gap = (await call('destinations/create', { draft: { name: `Unused id D-${next}`, businessOwner: admin, targetDate: site.today } })).destination;
      // Removed through the store: the delete resolver refuses until the first calculation can count epics.
      await platform.runAsApp(async () => {
        const removed = await createDestinationStore(systemClock).change((all) => ({ ok: true, value: { primary: [], remove: gap, ranked: all.filter((x) => x.id !== gap.id), value: gap.id } }), (all) => all);
        if (!removed.ok) throw new Error(`site destinations: unused id ${gap.id} not removed: ${removed.error.message}`);
      });
    }
    const draft: DestinationDraft = { name: d.name, businessOwner: d.businessOwner, targetDate: d.targetDate, status: d.status === 'archived' ? 'active' : d.status };
    if (d.description) draft.description = d.description;
    if (d.deliveryLead) draft.deliveryLead = d.deliveryLead;
    if (d.startDate) draft.startDate = d.startDate;
    // The draft's optional success measure (issue 10), named here by the contract's own type.
    if (d.successMeasure) (draft as DestinationDraft & { successMeasure?: SuccessMeasure }).successMeasure = d.successMeasure;
    const created = (await call('destinations/create', { draft })).destination;
    if (created.id !== d.id) throw new Error(`site destination ${d.id} was created as ${created.id}`);
    next++;
  }
  const order = [...site.destinations].sort((a, b) => a.priority - b.priority || numberOf(a.id) - numberOf(b.id));
  await call('destinations/reorder', { orderedIds: order.map((d) => d.id) });
  // Archived by the app's own rule and store, keeping the rank the site gives it: the archive resolver would
  // also move it behind the live ones, and a site file may keep it among them.
  await platform.runAsApp(async () => {
    const store = createDestinationStore(systemClock);
    for (const d of order.filter((o) => o.status === 'archived')) {
      const current = await store.get(d.id);
      const archived = current && archiveDestination(current, current.version, { now: systemClock.now().toISOString(), by: admin });
      const saved = archived?.ok ? await store.save([{ destination: archived.value, previous: current ?? null }]) : archived;
      if (!saved?.ok) throw new Error(`site destination ${d.id}: ${saved ? saved.error.message : 'not stored'}`);
    }
  });
}

/** One thing a person did, at its moment: a check-in, a concern raised, a concern answered (or closed). */
type HistoryStep =
  | { at: number; kind: 'check-in'; entry: SiteCheckIn; index: number }
  | { at: number; kind: 'raise'; entry: SiteConcern; index: number }
  | { at: number; kind: 'respond'; entry: SiteConcern; index: number };

/** The site's check-ins and concerns as steps, oldest first (a raise before its answer at the same moment). */
export function historySteps(site: Pick<Site, 'checkIns' | 'concerns'>): HistoryStep[] {
  const steps: HistoryStep[] = [];
  (site.checkIns ?? []).forEach((entry, index) => steps.push({ at: Date.parse(entry.at), kind: 'check-in', entry, index }));
  (site.concerns ?? []).forEach((entry, index) => {
    steps.push({ at: Date.parse(entry.at), kind: 'raise', entry, index });
    if (entry.answer) steps.push({ at: Date.parse(entry.answer.at), kind: 'respond', entry, index });
  });
  const order = { 'check-in': 0, raise: 1, respond: 2 } as const;
  // Stable: entries at the same moment keep the file's order.
  return steps.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind]);
}

/**
 * Seeds the site's check-ins and concerns through the app's own resolvers, as the people who made them:
 * `trip/check-in` (portfolio) as the owner or lead, `concern/raise` (panel) as the author, `trip/respond`
 * (portfolio) as the owner or lead. The site clock is set back to the first moment and moved forward to each
 * next one, then returns to today, so every stored `at` and week is the app's own. Run after the first
 * calculation has settled: nothing else runs while the clock is back.
 */
export async function seedHistory(platform: LocalPlatform, site: Site): Promise<void> {
  const steps = historySteps(site);
  const first = steps[0];
  if (!first) return;
  if (!clockInstalled()) throw new Error('site history (checkIns, concerns) needs the site clock: the platform was created with clock: false');
  const call = async <K extends ResolverKey>(module: string, key: K, payload: PayloadOf<K>, accountId: string, what: string): Promise<ResponseOf<K>> => {
    const answer = (await platform.invokeForModule(module, key, payload, { accountId })) as Envelope<ResponseOf<K>>;
    if (!answer.ok) throw new Error(`site ${what}: ${key} as ${accountId} answered ${answer.error.code}: ${answer.error.message}`);
    return answer.data;
  };
  // Concern ids the app gave, by the site's index; ids already seen per destination, to spot the new one.
  const concernIds = new Map<number, string>();
  const seen = new Map<string, Set<string>>();
  const back = rewindClock(first.at);
  try {
    for (const step of steps) {
      advanceClockTo(step.at);
      if (step.kind === 'check-in') {
        const c = step.entry;
        const payload: PayloadOf<'trip/check-in'> = { destinationId: c.destination, status: c.status, note: c.note };
        if (c.measure !== undefined) payload.measure = c.measure;
        await call(MODULE_KEYS.portfolio, 'trip/check-in', payload, c.by, `checkIns[${step.index}]`);
      } else if (step.kind === 'raise') {
        const c = step.entry;
        const voices = await call(MODULE_KEYS.panel, 'concern/raise', { issueKey: c.epic, text: c.text }, c.by, `concerns[${step.index}]`);
        const known = seen.get(c.destination) ?? new Set<string>();
        const raised = voices.mine.filter((m) => !known.has(m.id));
        if (raised.length !== 1) throw new Error(`site concerns[${step.index}]: concern/raise answered ${raised.length} new concerns of ${c.by}, not one`);
        const id = (raised[0] as (typeof raised)[number]).id;
        known.add(id);
        seen.set(c.destination, known);
        concernIds.set(step.index, id);
      } else {
        const c = step.entry;
        const answer = c.answer as NonNullable<SiteConcern['answer']>;
        const concernId = concernIds.get(step.index) as string;
        await call(MODULE_KEYS.portfolio, 'trip/respond', { destinationId: c.destination, concernId, answer: answer.text, close: c.state === 'closed' }, answer.by, `concerns[${step.index}].answer`);
      }
    }
  } finally {
    back();
  }
}

/**
 * Seeds the site's scope baselines (`baselines`) through `trip/baseline` as the person who took each, on the
 * site clock set back to its `at`. The baseline reads the stored route, and Jira holds only today's issues; so
 * the route as it stood then is put back first by real changes on the site (each `added` issue off its epic,
 * each `removed` one under its `from` epic), the app's event handling settles them, the baseline is taken, and
 * the file's state returns the same way: the drift the trip shows is the app's own reading of those changes.
 * Run after the first calculation has settled; `settle` lets the app handle the site's events.
 */
export async function seedBaselines(platform: LocalPlatform, jira: JiraEmulator, site: Site, settle: () => Promise<void>): Promise<void> {
  const baselines = [...(site.baselines ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  if (baselines.length === 0) return;
  if (!clockInstalled()) throw new Error('site baselines need the site clock: the platform was created with clock: false');
  const admin = site.users.find((u) => u.admin)?.accountId as string;
  const parentOf = new Map(site.issues.map((i) => [i.key, i.parent ?? null]));
  const move = (b: SiteBaseline, then: boolean): void => {
    for (const key of b.added) jira.updateIssue(key, { parent: then ? null : (parentOf.get(key) ?? null) }, admin);
    for (const r of b.removed) jira.updateIssue(r.issue, { parent: then ? r.from : (parentOf.get(r.issue) ?? null) }, admin);
  };
  for (const [index, b] of baselines.entries()) {
    move(b, true);
    await settle();
    // Taken at the site's today, not with the clock set back to `at`: the app's forecast reads today's pace
    // and statuses, so a forecast computed on a rewound clock would mix two moments and show a false shift.
    const answer = (await platform.invokeForModule(MODULE_KEYS.portfolio, 'trip/baseline', { destinationId: b.destination }, { accountId: b.by })) as Envelope<ResponseOf<'trip/baseline'>>;
    if (!answer.ok) throw new Error(`site baselines[${site.baselines?.indexOf(b) ?? index}]: trip/baseline as ${b.by} answered ${answer.error.code}: ${answer.error.message}`);
    move(b, false);
    await settle();
  }
}
