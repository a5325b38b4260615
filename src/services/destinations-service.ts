/**
 * Destinations: list, read, create, update, reorder, archive, restore, delete. The rules are the domain's;
 * this use case reads what they need, applies them, and saves through the store's conditional writes.
 */
import type { DestinationView, SaveDestinationResult } from '../contract';
import {
  archiveDestination,
  canDelete,
  checkVersion,
  createDestination,
  nextPriority,
  rankDestinations,
  reorderDestinations,
  restoreDestination,
  updateDestination,
  validateDraft,
  type Audit,
} from '../domain/destination-rules';
import { isLive } from '../domain/epic-figures';
import { fail, ok, type Result } from '../domain/errors';
import type { Destination, DestinationDraft } from '../domain/types';
import type { AppJira, Clock, DestinationStore } from './ports';
import type { RollupReader } from './rollup-ports';

export interface DestinationsDeps {
  store: DestinationStore;
  jira: AppJira;
  clock: Clock;
  /** The stored rollups: epics per destination (bounded storage reads, no Jira request). */
  rollups: RollupReader;
  /** A destination's name changed: its epics' fields hold the old one until rewritten (in the background). */
  onRenamed?: (destinationId: string) => Promise<void>;
  /**
   * Which destinations exist or are live changed (created, archived, restored, deleted): what the
   * `destinationWork` JQL function answers for them, and for off-route work, changes with it.
   */
  onAlignmentChanged?: () => Promise<void>;
  /** A destination became active (created as active, or its status changed to active): its scope is baselined. */
  onActivated?: (id: string) => Promise<void>;
  /** After a destination is deleted: what the app kept about it (check-ins, concerns, history) goes too. */
  onDeleted?: (id: string) => Promise<void>;
}

const notFound = (id: string) => fail<never>('NOT_FOUND', `Destination ${id} does not exist (it may have been deleted). Reload the list.`);

export function destinationsService({ store, jira, clock, rollups, onRenamed, onAlignmentChanged, onActivated, onDeleted }: DestinationsDeps) {
  const audit = (by: string): Audit => ({ now: clock.now().toISOString(), by });
  const today = () => clock.today();

  /**
   * The live epics the stored rollups hold, including changes the app just made (bounded storage reads, no
   * Jira request); `undefined` before the first calculation.
   */
  async function storedEpics() {
    const stored = await rollups.load();
    return stored && [...stored.epics.values()].filter(isLive);
  }

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
      const [all, epics] = await Promise.all([store.list(), withEpicCounts ? storedEpics() : Promise.resolve(undefined)]);
      const views = await withNames(includeArchived ? all : all.filter((d) => d.status !== 'archived'));
      return epics ? views.map((v) => ({ ...v, epicCount: epics.filter((e) => e.destinationId === v.id).length })) : views;
    },

    async get(id: string): Promise<Result<DestinationView>> {
      const destination = await store.get(id);
      return destination ? ok(await one(destination)) : notFound(id);
    },

    async create(by: string, draft: DestinationDraft): Promise<Result<SaveDestinationResult>> {
      const changed = await store.change((all, id) => {
        const valid = validateDraft(draft, all, today());
        if (!valid.ok) return valid;
        const created = createDestination(valid.value.draft, { ...audit(by), id, priority: nextPriority(all) });
        const ranked = rankDestinations(all, audit(by), created);
        const destination = ranked.find((d) => d.id === id) ?? created;
        return ok({ primary: [destination], ranked, value: { destination, warnings: valid.value.warnings } });
      }, tidy(by));
      if (!changed.ok) return changed;
      await onAlignmentChanged?.();
      if (changed.value.destination.status === 'active') await onActivated?.(changed.value.destination.id);
      return ok({ destination: await one(changed.value.destination), warnings: changed.value.warnings });
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
      if (updated.value.name !== current.name && onRenamed) {
        // The rename is saved whatever happens here; a failed hand-off leaves only the field's display copy stale.
        await onRenamed(id).catch((error: unknown) => console.warn(`rename of ${id}: field rewrite not queued: ${error instanceof Error ? error.message : String(error)}`));
      }
      if (updated.value.status === 'active' && current.status !== 'active') await onActivated?.(id);
      return ok({ destination: await one(updated.value), warnings: valid.value.warnings });
    },

    async reorder(by: string, orderedIds: string[]): Promise<Result<DestinationView[]>> {
      const changed = await store.change((all) => {
        const reordered = reorderDestinations(all, orderedIds, audit(by));
        if (!reordered.ok) return reordered;
        return ok({ primary: [], ranked: reordered.value, value: reordered.value });
      }, (all) => {
        // A reorder interrupted part-way is finished in the order asked for, unless the set of live ones changed.
        const reordered = reorderDestinations(all, orderedIds, audit(by));
        return reordered.ok ? reordered.value : rankDestinations(all, audit(by));
      });
      if (!changed.ok) return changed;
      return ok(await withNames(changed.value.filter((d) => d.status !== 'archived')));
    },

    async archive(by: string, id: string, version: number): Promise<Result<DestinationView>> {
      const changed = await store.change((all) => {
        const current = all.find((d) => d.id === id);
        if (!current) return notFound(id);
        const archived = archiveDestination(current, version, audit(by));
        if (!archived.ok) return archived;
        const ranked = rankDestinations(all.map((d) => (d.id === id ? archived.value : d)), audit(by));
        const destination = ranked.find((d) => d.id === id) ?? archived.value;
        return ok({ primary: [destination], ranked, value: destination });
      }, tidy(by));
      if (!changed.ok) return changed;
      await onAlignmentChanged?.();
      return ok(await one(changed.value));
    },

    async restore(by: string, id: string, version: number): Promise<Result<SaveDestinationResult>> {
      const changed = await store.change((all) => {
        const current = all.find((d) => d.id === id);
        if (!current) return notFound(id);
        const restored = restoreDestination(current, version, all, audit(by));
        if (!restored.ok) return restored;
        // Back after the live ones, like a new destination.
        const ranked = rankDestinations(all, audit(by), restored.value.destination);
        const destination = ranked.find((d) => d.id === id) ?? restored.value.destination;
        return ok({ primary: [destination], ranked, value: { destination, warnings: restored.value.warnings } });
      }, tidy(by));
      if (!changed.ok) return changed;
      await onAlignmentChanged?.();
      if (changed.value.destination.status === 'active') await onActivated?.(changed.value.destination.id);
      return ok({ destination: await one(changed.value.destination), warnings: changed.value.warnings });
    },

    /**
     * Deletes a destination no epic points at. The destination is marked as being deleted first (setting an
     * epic's destination refuses a marked one and re-checks after its write), then the epics are counted, so
     * an epic moved to it at the same moment is either counted here or undone there. The count comes from the
     * stored rollups with the deltas on top (the app's own changes included), not from a search: Jira's JQL
     * cannot name a property of the app's field in a way Atlassian's parser accepts.
     */
    async remove(by: string, id: string, version: number): Promise<Result<{ id: string }>> {
      const current = await store.get(id);
      if (!current) return notFound(id);
      const checked = checkVersion(current, version);
      if (!checked.ok) return checked;
      const mark = await store.markDeletion(current, clock.now().getTime());
      if (!mark.ok) return mark;
      let removed: Result<{ id: string }> | undefined;
      try {
        const epics = await storedEpics();
        if (epics === undefined) {
          return fail('CONFLICT', `Destination "${current.name}" cannot be deleted yet: the app has not finished its first calculation, so it cannot tell which epics point to it. Try again when it has finished.`);
        }
        const allowed = canDelete(current, epics.filter((e) => e.destinationId === id).length);
        if (!allowed.ok) return allowed;
        removed = await store.change((all) => {
          const stored = all.find((d) => d.id === id);
          if (!stored) return notFound(id);
          const still = checkVersion(stored, version);
          if (!still.ok) return still;
          return ok({ primary: [], remove: stored, ranked: rankDestinations(all.filter((d) => d.id !== id), audit(by)), value: { id } });
        }, tidy(by));
        if (removed.ok) {
          await onAlignmentChanged?.();
          // The destination is gone either way; leftovers only take space, so a failure is logged, not answered.
          await onDeleted?.(id).catch((error: unknown) => console.warn(`deleted ${id}: its check-ins, concerns or history not removed: ${error instanceof Error ? error.message : String(error)}`));
        }
        return removed;
      } finally {
        if (!removed?.ok) await store.releaseDeletion(id, mark.value);
      }
    },
  };

  /** The ranking alone, for finishing a renumbering that was interrupted. */
  function tidy(by: string) {
    return (all: Destination[]) => rankDestinations(all, audit(by));
  }
}

export type DestinationsService = ReturnType<typeof destinationsService>;
