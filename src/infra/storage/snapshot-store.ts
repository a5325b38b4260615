/**
 * A JSON snapshot split across key-value entries (Forge values are limited to 240 KiB). Chunks are written
 * under a fresh generation id first and the head last, so a reader never sees a half-written snapshot: a
 * failed write leaves the previous head, and its chunks, in place.
 */
import { kvs, WhereConditions } from '@forge/kvs';
import type { SnapshotStore } from '../../services/ports';
import { KEY } from './keys';
import { storageFailure } from './storage-errors';

/** Below Forge's 240 KiB value limit, with room for JSON string escaping. */
const CHUNK_CHARS = 100_000;

interface Head {
  generation: string;
  chunks: number;
  computedAt: string;
}

export function createSnapshotStore<T>(name: string): SnapshotStore<T> {
  const headKey = `${KEY.portfolioSnapshotPrefix}${name}:head`;
  const chunkKey = (generation: string, index: number) => `${KEY.portfolioSnapshotPrefix}${name}:${generation}:${index}`;
  const dirtyKey = `${KEY.portfolioDirty}:${name}`;

  return {
    async read() {
      try {
        const head = await kvs.get<Head>(headKey);
        if (!head) return undefined;
        const parts = await Promise.all(Array.from({ length: head.chunks }, (_, i) => kvs.get<string>(chunkKey(head.generation, i))));
        if (parts.some((p) => typeof p !== 'string')) return undefined;
        return { computedAt: head.computedAt, data: JSON.parse(parts.join('')) as T };
      } catch (error) {
        throw storageFailure(error);
      }
    },

    async write(data, computedAt) {
      try {
        const previous = await kvs.get<Head>(headKey);
        const text = JSON.stringify(data);
        const generation = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
        const chunks = Math.max(1, Math.ceil(text.length / CHUNK_CHARS));
        for (let i = 0; i < chunks; i++) {
          await kvs.set(chunkKey(generation, i), text.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS));
        }
        await kvs.set<Head>(headKey, { generation, chunks, computedAt });
        if (previous) await deleteGeneration(previous.generation);
      } catch (error) {
        throw storageFailure(error);
      }
    },

    async markDirty(at) {
      try {
        await kvs.set(dirtyKey, at);
      } catch (error) {
        throw storageFailure(error);
      }
    },

    async dirtyAt() {
      try {
        return await kvs.get<string>(dirtyKey);
      } catch (error) {
        throw storageFailure(error);
      }
    },
  };

  async function deleteGeneration(generation: string): Promise<void> {
    // Old chunks are garbage once the new head is in place; failing to remove them loses nothing.
    const prefix = `${KEY.portfolioSnapshotPrefix}${name}:${generation}:`;
    try {
      const page = await kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(100).getMany();
      await Promise.all(page.results.map((r) => kvs.delete(r.key)));
    } catch {
      // Left for the next write to find; never fatal.
    }
  }
}
