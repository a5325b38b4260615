/** Where stored facts live: a storage detail every writer and reader agrees on. */

/** Which shard an epic (or orphan) lives in: a stable string hash, so every writer and reader agrees. */
export function shardOf(key: string, shards: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % shards;
}
