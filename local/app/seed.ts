/**
 * Puts a site file's destinations into the app's storage the way the site's admin would: created through the
 * app's own resolvers (in id order, so each takes the site's id; ids the site skips are taken and deleted),
 * put in the site's order, then archived where the site says so. The stored state is what the app writes.
 */
import { MODULE_KEYS, type DestinationDraft, type Envelope, type PayloadOf, type ResolverKey, type ResponseOf } from '../../src/contract';
import { archiveDestination, destinationNumber } from '../../src/domain/destination-rules';
import { systemClock } from '../../src/infra/clock';
import { createDestinationStore } from '../../src/infra/storage/destination-store';
import type { Site } from '../jira';
import type { LocalPlatform } from '../platform';

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
