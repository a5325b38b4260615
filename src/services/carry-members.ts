/**
 * A full rebuild reads every child once; the per-child marks it computes (`figuresOf` puts them in each
 * partition) must reach the published epics, or the first event on every epic would re-read all its children.
 * The reconcile assembles entries from a generation's partitions and publishes them in the same step; this
 * wrapper keeps the marks it read from the partitions and puts them back on the entries it publishes.
 */
import type { Members } from '../domain/epic-members';
import type { RollupStore } from './rollup-ports';

export function carryMembers(store: RollupStore): RollupStore {
  const read = new Map<string, Map<string, Members>>();
  return {
    ...store,
    async readPartitions(generation, count) {
      const figures = await store.readPartitions(generation, count);
      const members = new Map<string, Members>();
      for (const f of figures as Array<(typeof figures)[number] & { members?: Members }>) if (f.members) members.set(f.key, f.members);
      read.set(generation, members);
      return figures;
    },
    async publish(head, epics) {
      const members = read.get(head.generation);
      read.delete(head.generation);
      const withMembers = members ? epics.map((e) => (e.members || !members.has(e.key) ? e : { ...e, members: members.get(e.key) as Members })) : epics;
      await store.publish(head, withMembers);
    },
  };
}
