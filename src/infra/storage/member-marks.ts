/**
 * The per-child marks a full rebuild computes (`figuresOf` puts them with each epic's figures) must reach the
 * published epics, or the first event on every epic would re-read all its children. They are too big to ride
 * in a partition (200 epics of 49 children already pass the 240 KiB value limit), so this wrapper writes them
 * under the generation's own keys (`<gen>:m:<partition>:<n>`, each well under the limit in bytes, removed with
 * the generation), reads them back with the partitions, and puts them on the entries the rebuild publishes.
 */
import { kvs, WhereConditions } from '@forge/kvs';
import type { Members } from '../../domain/epic-members';
import type { RollupStore } from '../../services/rollup-ports';
import { KEY } from './keys';
import { storageFailure } from './storage-errors';

/** Bytes of marks per stored value: the limit is 240 KiB, and a value's JSON is what counts. */
const MARKS_BYTES = 160_000;

const marksPrefix = (generation: string) => `${KEY.rollupGenerationPrefix}${generation}:m:`;

export function withMemberMarks(store: RollupStore): RollupStore {
  const read = new Map<string, Map<string, Members>>();
  return {
    ...store,
    async writePartition(generation, index, figures) {
      const stripped = figures.map((f) => {
        const { members: _members, ...rest } = f as typeof f & { members?: Members };
        return rest;
      });
      await store.writePartition(generation, index, stripped);
      const values: Array<Record<string, Members>> = [];
      let current: Record<string, Members> = {};
      let bytes = 2;
      for (const f of figures as Array<(typeof figures)[number] & { members?: Members }>) {
        if (!f.members) continue;
        const size = Buffer.byteLength(JSON.stringify(f.members)) + Buffer.byteLength(f.key) + 4;
        if (bytes + size > MARKS_BYTES && Object.keys(current).length > 0) {
          values.push(current);
          current = {};
          bytes = 2;
        }
        current[f.key] = f.members;
        bytes += size;
      }
      if (Object.keys(current).length > 0) values.push(current);
      try {
        for (const [n, value] of values.entries()) await kvs.set(`${marksPrefix(generation)}${index}:${n}`, value);
      } catch (error) {
        throw storageFailure(error);
      }
    },
    async readPartitions(generation, count) {
      const figures = await store.readPartitions(generation, count);
      const members = new Map<string, Members>();
      try {
        let cursor: string | undefined;
        do {
          let query = kvs.query().where('key', WhereConditions.beginsWith(marksPrefix(generation))).limit(100);
          if (cursor) query = query.cursor(cursor);
          const page = await query.getMany<Record<string, Members>>();
          for (const { value } of page.results) for (const [key, m] of Object.entries(value)) members.set(key, m);
          cursor = page.nextCursor;
        } while (cursor);
      } catch (error) {
        throw storageFailure(error);
      }
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
