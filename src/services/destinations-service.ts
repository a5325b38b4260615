/**
 * Destinations: list, read, create, update, reorder, archive, restore, delete. The rules are the domain's;
 * this use case reads what they need, applies them, and saves through the store's conditional writes.
 */
import type { DestinationView, SaveDestinationResult } from '../contract';
import {
  archiveDestination,
  canDelete,
  createDestination,
  nextPriority,
  reorderDestinations,
  restoreDestination,
  updateDestination,
  validateDraft,
  type Audit,
} from '../domain/destination-rules';
import { fail, ok, type Result } from '../domain/errors';
import type { Destination, DestinationDraft } from '../domain/types';
import type { Clock, DestinationStore, JiraPort } from './ports';

export interface DestinationsDeps {
  store: DestinationStore;
  jira: JiraPort;
  clock: Clock;
  /** Epics per destination id from the stored rollups; `undefined` before the first calculation. */
  epicCounts?: () => Promise<Map<string, number> | undefined>;
}

const notFound = (id: string) => fail<never>('NOT_FOUND', `Destination ${id} does not exist (it may have been deleted). Reload the list.`);

export function destinationsService({ store, jira, clock, epicCounts }: DestinationsDeps) {
  const audit = (by: string): Audit => ({ now: clock.now().toISOString(), by });
  const today = () => clock.now().toISOString().slice(0, 10);

  async function withNames(destinations: Destination[]): Promise<DestinationView[]> {
    const ids = destinations.flatMap((d) => (d.deliveryLead ? [d.businessOwner, d.deliveryLead] : [d.businessOwner]));
    const names = ids.length === 0 ? new Map<string, string>() : await jira.userNames(ids);
    return destinations.map((d) => {
      const view: DestinationView = { ...d, businessOwnerName: names.get(d.businessOwner) ?? d.businessOwner };
      if (d.deliveryLead) view.deliveryLeadName = names.get(d.deliveryLead) ?? d.deliveryLead;
      return view;
    });
  }

  async function one(destination: Destination): Promise<DestinationView> {
    const [view] = await withNames([destination]);
    return view as DestinationView;
  }

  return {
    async list(includeArchived: boolean, withEpicCounts = false): Promise<DestinationView[]> {
      const [all, counts] = await Promise.all([store.list(), withEpicCounts && epicCounts ? epicCounts() : Promise.resolve(undefined)]);
      const views = await withNames(includeArchived ? all : all.filter((d) => d.status !== 'archived'));
      return counts ? views.map((v) => ({ ...v, epicCount: counts.get(v.id) ?? 0 })) : views;
    },

    async get(id: string): Promise<Result<DestinationView>> {
      const destination = await store.get(id);
      return destination ? ok(await one(destination)) : notFound(id);
    },

    async create(by: string, draft: DestinationDraft): Promise<Result<SaveDestinationResult>> {
      const all = await store.list();
      const valid = validateDraft(draft, all, today());
      if (!valid.ok) return valid;
      const id = await store.nextId();
      const destination = createDestination(valid.value.draft, { ...audit(by), id, priority: nextPriority(all) });
      const saved = await store.save([{ destination, previous: null }]);
      if (!saved.ok) return saved;
      return ok({ destination: await one(destination), warnings: valid.value.warnings });
    },

    async update(by: string, id: string, version: number, draft: DestinationDraft): Promise<Result<SaveDestinationResult>> {
      const all = await store.list();
      const current = all.find((d) => d.id === id);
      if (!current) return notFound(id);
      const valid = validateDraft(draft, all, today(), id);
      if (!valid.ok) return valid;
      const updated = updateDestination(current, valid.value.draft, version, audit(by));
      if (!updated.ok) return updated;
      const saved = await store.save([{ destination: updated.value, previous: current }]);
      if (!saved.ok) return saved;
      return ok({ destination: await one(updated.value), warnings: valid.value.warnings });
    },

    async reorder(by: string, orderedIds: string[]): Promise<Result<DestinationView[]>> {
      const all = await store.list();
      const reordered = reorderDestinations(all, orderedIds, audit(by));
      if (!reordered.ok) return reordered;
      const before = new Map(all.map((d) => [d.id, d]));
      const changes = reordered.value
        .filter((d) => before.get(d.id)?.version !== d.version)
        .map((d) => ({ destination: d, previous: before.get(d.id) ?? null }));
      // Forge transactions take 25 operations; a larger reorder is saved in chunks, each all-or-nothing.
      for (let i = 0; i < changes.length; i += 25) {
        const saved = await store.save(changes.slice(i, i + 25));
        if (!saved.ok) return saved;
      }
      return ok(await withNames(reordered.value.filter((d) => d.status !== 'archived')));
    },

    async archive(by: string, id: string, version: number): Promise<Result<DestinationView>> {
      const current = await store.get(id);
      if (!current) return notFound(id);
      const archived = archiveDestination(current, version, audit(by));
      if (!archived.ok) return archived;
      const saved = await store.save([{ destination: archived.value, previous: current }]);
      if (!saved.ok) return saved;
      return ok(await one(archived.value));
    },

    async restore(by: string, id: string, version: number): Promise<Result<SaveDestinationResult>> {
      const all = await store.list();
      const current = all.find((d) => d.id === id);
      if (!current) return notFound(id);
      const restored = restoreDestination(current, version, all, audit(by));
      if (!restored.ok) return restored;
      const saved = await store.save([{ destination: restored.value.destination, previous: current }]);
      if (!saved.ok) return saved;
      return ok({ destination: await one(restored.value.destination), warnings: restored.value.warnings });
    },

    async remove(id: string, version: number): Promise<Result<{ id: string }>> {
      const current = await store.get(id);
      if (!current) return notFound(id);
      if (current.version !== version) {
        return fail('CONFLICT', `Destination "${current.name}" was changed by someone else (version ${current.version}); reload and try again.`);
      }
      const meta = await jira.siteMeta();
      const epics = await jira.epicsOfDestination(meta, id);
      const allowed = canDelete(current, epics.length);
      if (!allowed.ok) return allowed;
      const removed = await store.remove(current);
      return removed.ok ? ok({ id }) : removed;
    },
  };
}

export type DestinationsService = ReturnType<typeof destinationsService>;
