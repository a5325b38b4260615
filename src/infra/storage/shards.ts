/** Where stored facts live and how they are ordered: storage details every writer and reader agrees on. */

/** Which shard an epic (or orphan) lives in: a stable string hash, so every writer and reader agrees. */
export function shardOf(key: string, shards: number): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % shards;
}

let lastReadTime = 0;
/**
 * The time a fact is read from Jira, taken before the read: strictly increasing within a process, so two
 * reads in the same millisecond are still ordered.
 */
export function readTime(): number {
  lastReadTime = Math.max(Date.now(), lastReadTime + 1);
  return lastReadTime;
}
