/**
 * A short-lived cache of per-viewer Jira answers in KVS. Browse answers (projects, issues, a panel's own
 * issue) are kept for a minute, so a permission removed in Jira shows in every view within a minute; names for
 * an hour (they only label). Each value is written with a KVS TTL of its lifetime, so a viewer seen once does
 * not keep a key forever. An app cannot learn of a revocation (Jira sends no event for permission changes),
 * so the minute is the whole window in which a viewer can still see what they have just lost.
 */
import { kvs } from './kvs-retry';
import type { Clock } from '../../services/ports';
import type { IssueAccess, ViewerCache } from '../../services/rollup-ports';
import { KEY } from './keys';

const VISIBLE_TTL_MS = 60_000;
const NAMES_TTL_MS = 60 * 60_000;
/** Issue browse answers (issue security) change as rarely as project ones: the same minute. */
const ISSUES_TTL_MS = VISIBLE_TTL_MS;
/** A panel view's own answers (may browse the issue, may edit it): the same minute as every browse answer. */
const ISSUE_ACCESS_TTL_MS = VISIBLE_TTL_MS;
/** Above this many remembered ids (about 100 KB) the answer is not stored: a value must stay far under 240 KiB. */
const ISSUES_MAX_CACHED = 10_000;

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

  /** `at`: when Jira gave the answer (default now); the lifetime counts from it, not from the write. */
  async function write<T>(key: string, value: T, ttlMs: number, at = clock.now().getTime()): Promise<void> {
    await kvs.set<Cached<T>>(key, { at, value }, { ttl: { value: Math.ceil(ttlMs / 1000), unit: 'SECONDS' } }).catch(() => undefined);
  }

  const accessKey = (accountId: string, issueKey: string) => `${KEY.viewerPanelPrefix}${accountId}:${issueKey}`;
  const rememberAccess = (accountId: string, issueKey: string, access: IssueAccess) => write(accessKey(accountId, issueKey), access, ISSUE_ACCESS_TTL_MS, access.readAt);

  return {
    async visibleProjects(accountId, load) {
      const key = `${KEY.viewerPrefix}${accountId}`;
      const cached = await read<string[]>(key, VISIBLE_TTL_MS);
      if (cached) return new Set(cached);
      const fresh = await load();
      await write(key, [...fresh], VISIBLE_TTL_MS);
      return fresh;
    },
    async browsableIssues(accountId, kind, issueIds, load) {
      // One entry per kind: the id and key checks of one view run side by side and must not overwrite each other.
      const key = `${KEY.viewerIssuesPrefix}${kind}:${accountId}`;
      const wanted = [...new Set(issueIds)];
      // Remembered per id (1 = may browse, 0 = may not). An id not yet asked about re-asks about all of them,
      // so no answer outlives its minute by riding along with a newer one.
      const cached = await read<Record<string, 0 | 1>>(key, ISSUES_TTL_MS);
      if (cached && wanted.every((id) => id in cached)) return new Set(wanted.filter((id) => cached[id] === 1));
      const allowed = await load(wanted);
      if (wanted.length <= ISSUES_MAX_CACHED) await write(key, Object.fromEntries(wanted.map((id) => [id, allowed.has(id) ? 1 : 0] as const)), ISSUES_TTL_MS);
      return new Set(wanted.filter((id) => allowed.has(id)));
    },
    async projectsClosedToApp(load) {
      const cached = await read<string[]>(KEY.appClosedProjects, VISIBLE_TTL_MS);
      if (cached) return cached;
      const fresh = await load();
      await write(KEY.appClosedProjects, fresh, VISIBLE_TTL_MS);
      return fresh;
    },
    // Per viewer: one person's right to browse an issue says nothing about another's.
    issueAccess: (accountId, issueKey) => read<IssueAccess>(accessKey(accountId, issueKey), ISSUE_ACCESS_TTL_MS),
    rememberIssueAccess: rememberAccess,
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
