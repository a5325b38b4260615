/**
 * A short-lived cache of per-viewer Jira answers in KVS. Project browse permission is kept for a minute, so a
 * permission removed in Jira shows in the portfolio within a minute; names for an hour (they only label).
 * Each value is written with a KVS TTL of its lifetime, so a viewer seen once does not keep a key forever.
 */
import { kvs } from '@forge/kvs';
import type { Clock } from '../../services/ports';
import type { ViewerCache } from '../../services/rollup-ports';
import { KEY } from './keys';

const VISIBLE_TTL_MS = 60_000;
const NAMES_TTL_MS = 60 * 60_000;

interface Cached<T> {
  at: number;
  value: T;
}

export function createViewerCache(clock: Clock): ViewerCache {
  /** A cache must never turn a storage hiccup into a failed view: on any error, ask Jira. */
  async function read<T>(key: string, ttl: number): Promise<T | undefined> {
    try {
      const cached = await kvs.get<Cached<T>>(key);
      return cached && clock.now().getTime() - cached.at < ttl ? cached.value : undefined;
    } catch {
      return undefined;
    }
  }

  async function write<T>(key: string, value: T, ttlMs: number): Promise<void> {
    await kvs.set<Cached<T>>(key, { at: clock.now().getTime(), value }, { ttl: { value: Math.ceil(ttlMs / 1000), unit: 'SECONDS' } }).catch(() => undefined);
  }

  return {
    async visibleProjects(accountId, load) {
      const key = `${KEY.viewerPrefix}${accountId}`;
      const cached = await read<string[]>(key, VISIBLE_TTL_MS);
      if (cached) return new Set(cached);
      const fresh = await load();
      await write(key, [...fresh], VISIBLE_TTL_MS);
      return fresh;
    },
    async userNames(accountIds, load) {
      const cached = (await read<Record<string, string>>(KEY.userNames, NAMES_TTL_MS)) ?? {};
      const missing = [...new Set(accountIds)].filter((id) => !(id in cached));
      if (missing.length === 0) return new Map(Object.entries(cached));
      const fresh = await load(missing);
      const merged = { ...cached, ...Object.fromEntries(fresh) };
      // Bounded: a site's destination owners and leads are a few hundred people at most.
      if (Object.keys(merged).length <= 2000) await write(KEY.userNames, merged, NAMES_TTL_MS);
      return new Map(Object.entries(merged));
    },
  };
}
