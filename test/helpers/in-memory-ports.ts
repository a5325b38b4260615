/**
 * Small in-memory implementations of the services' ports, for the tests beside the services. Each is typed
 * against the real port, so a change to a port breaks these (and the tests) at compile time. They keep the
 * ports' contracts (versions, compare-and-set) and nothing more; the real adapters are tested through the
 * local platform.
 */
import { fail, ok } from '../../src/domain/errors';
import { destination as domainDestination } from '../../src/domain/test-fixtures';
import { emptyProgress } from '../../src/domain/progress';
import { DEFAULT_SETTINGS, type ChildFacts, type Destination, type EpicEntry, type OrphanEntry, type Settings, type WorkItem } from '../../src/domain/types';
import type { AppJira, Clock, DestinationStore, IssueSummary, ProjectRef, SettingsStore, SiteMeta, UserJira } from '../../src/services/ports';
import type { GenerationBuilder, IssueAccess, ReconcileRun, RollupDelta, RollupDeltaLog, RollupHead, RollupReader, RunStore, StepQueue, ViewerCache } from '../../src/services/rollup-ports';

export const SITE_META: SiteMeta = {
  appFieldId: 'customfield_10100',
  epicTypeIds: ['10000'],
  standardTypeIds: ['10001'],
  pointsFields: [{ id: 'customfield_10016', name: 'Story points' }],
};

/** A clock that stands still until a test moves it. */
export function fixedClock(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return {
    now: () => new Date(now.getTime()),
    today: () => now.toISOString().slice(0, 10),
    set: (next) => {
      now = new Date(next);
    },
  };
}

export interface JiraSite {
  meta?: SiteMeta;
  projects?: ProjectRef[];
  epics?: EpicEntry[];
  children?: ChildFacts[];
  orphans?: WorkItem[];
  names?: Record<string, string>;
  /** Projects whose issues the app itself may not browse. */
  closedToApp?: string[];
}

/** The app's view of a Jira site held in memory; `calls` lists the methods called, in order. */
export function inMemoryAppJira(site: JiraSite = {}): AppJira & { calls: string[]; writes: Array<[string, { id: string; name: string } | null]> } {
  const meta = site.meta ?? SITE_META;
  const epics = site.epics ?? [];
  const calls: string[] = [];
  const writes: Array<[string, { id: string; name: string } | null]> = [];
  let requests = 0;
  const asked = (name: string) => {
    calls.push(name);
    requests += 1;
  };
  const pageSize = 100;
  return {
    calls,
    writes,
    siteMeta: async () => meta,
    fieldName: async () => 'Business destination',
    projects: async () => site.projects ?? [],
    projectsClosedToApp: async () => site.closedToApp ?? [],
    epics: async (_meta, keys) => (asked('epics'), epics.filter((e) => keys.length === 0 || keys.includes(e.projectKey))),
    async epicPage(_meta, token) {
      asked('epicPage');
      const from = Number(token ?? 0);
      const next = from + pageSize < epics.length ? String(from + pageSize) : undefined;
      return { epics: epics.slice(from, from + pageSize), next };
    },
    children: async () => (asked('children'), []),
    async childrenOf(_meta, keys) {
      asked('childrenOf');
      if (keys.some((k) => !epics.some((e) => e.key === k))) return null;
      return (site.children ?? []).filter((c) => c.parentKey !== null && keys.includes(c.parentKey));
    },
    inFlightOrphans: async () => (asked('inFlightOrphans'), site.orphans ?? []),
    async issue(_meta, issueId) {
      asked('issue');
      const epic = epics.find((e) => e.id === issueId);
      if (epic) return { level: 1, epic: { id: epic.id, key: epic.key, summary: epic.summary, projectKey: epic.projectKey, statusCategory: epic.statusCategory, destinationId: epic.destinationId } };
      const child = site.children?.find((c) => c.id === issueId);
      return child ? { level: 0, child } : null;
    },
    changedSince: async () => (asked('changedSince'), { issues: [], next: undefined }),
    writeDestinationField: async (_meta, issueId, value) => void (asked('writeDestinationField'), writes.push([issueId, value])),
    writeDestinationFields: async (_meta, issueIds, value) => void (asked('writeDestinationFields'), issueIds.forEach((id) => writes.push([id, value]))),
    async userNames(ids) {
      calls.push('userNames');
      return new Map(ids.flatMap((id) => (site.names?.[id] ? [[id, site.names[id]] as const] : [])));
    },
    requests: () => requests,
  };
}

/** One person's Jira: who is admin or may edit, which projects and issues each sees; `calls` lists the lookups. */
export function inMemoryUserJira(
  people: { admins?: string[]; editors?: string[]; visible?: Record<string, string[]>; issues?: IssueSummary[]; hiddenIssues?: Record<string, string[]> } = {},
): UserJira & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    visibleProjects: async (accountId) => (calls.push(`visibleProjects:${accountId}`), new Set(people.visible?.[accountId] ?? [])),
    browsableKeys: async (accountId, keys) => (calls.push(`browsableKeys:${accountId}`), new Set(keys.filter((key) => !(people.hiddenIssues?.[accountId] ?? []).includes(key)))),
    browsableIssues: async (accountId, ids) => (calls.push(`browsableIssues:${accountId}`), new Set(ids.filter((id) => !(people.hiddenIssues?.[accountId] ?? []).includes(id)))),
    issueAsUser: async (_meta, key) => people.issues?.find((i) => i.key === key) ?? null,
    isAdmin: async (accountId) => (people.admins ?? []).includes(accountId),
    canEditIssue: async (accountId) => (people.editors ?? []).includes(accountId),
    searchUsers: async (query) => (calls.push(`searchUsers:${query}`), [{ accountId: `acc-${query}`, displayName: query }]),
  };
}

export function inMemorySettingsStore(initial: Settings = DEFAULT_SETTINGS): SettingsStore & { current(): Settings } {
  let stored = initial;
  return {
    current: () => stored,
    get: async () => stored,
    async save(settings, expectedVersion) {
      if (stored.version !== expectedVersion) return fail('CONFLICT', 'The settings were changed by someone else. Reload and try again.');
      stored = { ...settings, version: expectedVersion + 1 };
      return ok(stored);
    },
  };
}

/** Destinations in a map; a change is planned once and applied whole (no concurrent writers in memory). */
export function inMemoryDestinationStore(initial: Destination[] = []): DestinationStore & { marks: Map<string, number> } {
  const rows = new Map(initial.map((d) => [d.id, d]));
  const marks = new Map<string, number>();
  let lastId = initial.length;
  const all = () => [...rows.values()].sort((a, b) => a.priority - b.priority);
  return {
    marks,
    list: async () => all(),
    get: async (id) => rows.get(id),
    async change(plan) {
      const planned = plan(all(), `D-${lastId + 1}`);
      if (!planned.ok) return planned;
      for (const d of [...planned.value.ranked, ...planned.value.primary]) {
        const n = Number(d.id.slice(2));
        if (n > lastId) lastId = n;
        rows.set(d.id, d);
      }
      if (planned.value.remove) rows.delete(planned.value.remove.id);
      return ok(planned.value.value);
    },
    async save(changes) {
      if (changes.some(({ destination, previous }) => rows.get(destination.id)?.version !== previous?.version)) {
        return fail('CONFLICT', 'A destination was changed by someone else. Reload and try again.');
      }
      for (const { destination } of changes) rows.set(destination.id, destination);
      return ok(undefined);
    },
    async markDeletion(destination, now) {
      if (rows.get(destination.id)?.version !== destination.version || marks.has(destination.id)) return fail('CONFLICT', 'Changed or being deleted.');
      marks.set(destination.id, now);
      return ok(`mark-${destination.id}`);
    },
    deletionMark: async (id) => marks.get(id),
    releaseDeletion: async (id) => void marks.delete(id),
  };
}

/** The stored rollups a view reads: a fixed set of epics and the head they came with. */
export function inMemoryRollupReader(epics: EpicEntry[] | undefined, head?: RollupHead): RollupReader {
  const load = async () => {
    if (!epics || !head) return undefined;
    return { head, epics: new Map(epics.map((e) => [e.key, e])), orphans: new Map(), version: head.generation, deltaCount: 0, forecasts: {}, storageCalls: 1 };
  };
  return {
    stamp: load,
    load,
    async loadEpic(epicKey) {
      const site = await load();
      if (!site) return undefined;
      const only = (keep: (e: EpicEntry) => boolean) => ({ ...site, epics: new Map([...site.epics].filter(([, e]) => keep(e))) });
      return {
        site: only((e) => e.key === epicKey),
        withDestination: async (destinationId) => only((e) => e.key === epicKey || e.destinationId === destinationId),
      };
    },
    head: async () => head,
    saveForecasts: async () => undefined,
  };
}

/** The facts written between two reconciles, in order, and the issues marked pending. */
export function inMemoryDeltaLog(): RollupDeltaLog & { deltas: RollupDelta[]; pending: Map<string, string>; compactions: Array<number | undefined>; requests: { pending: boolean; made: number } } {
  const deltas: RollupDelta[] = [];
  const pending = new Map<string, string>();
  const compactions: Array<number | undefined> = [];
  const requests = { pending: false, made: 0 };
  let time = 1000;
  return {
    deltas,
    pending,
    compactions,
    requests,
    async requestCompaction() {
      if (requests.pending) return false;
      requests.pending = true;
      requests.made += 1;
      return true;
    },
    takeCompactionRequest: async () => void (requests.pending = false),
    readTime: () => ++time,
    writeDeltas: async (written) => void deltas.push(...written),
    compact: async (keepNewerThan) => (compactions.push(keepNewerThan), deltas.length),
    markPending: async (issueId, at) => void pending.set(issueId, at),
    clearPending: async (issueId) => void pending.delete(issueId),
    async clearPendingBefore(before) {
      for (const [id, at] of pending) if (at < before) pending.delete(id);
    },
  };
}

/** What a reconcile writes: chunks, partitions, orphans per generation; the head once published. */
export function inMemoryGenerations() {
  const chunks = new Map<string, EpicEntry[]>();
  const partitions = new Map<string, Array<Pick<EpicEntry, 'key' | 'progress' | 'doneWeeks' | 'unestimatedKeys'>>>();
  const orphans = new Map<string, OrphanEntry[]>();
  const state: { head?: RollupHead; published?: EpicEntry[]; dropped: string[]; pendingClearedBefore?: string } = { dropped: [] };
  const store: GenerationBuilder & Pick<RollupReader, 'head'> & { clearPendingBefore(before: string): Promise<void> } = {
    writeEpicChunk: async (generation, index, epics) => void chunks.set(`${generation}/${index}`, epics),
    readEpicChunks: async (generation, count) => Array.from({ length: count }, (_, i) => chunks.get(`${generation}/${i}`) ?? []).flat(),
    writePartition: async (generation, index, progress) => void partitions.set(`${generation}/${index}`, progress),
    readPartitions: async (generation, count) => Array.from({ length: count }, (_, i) => partitions.get(`${generation}/${i}`) ?? []).flat(),
    writeOrphans: async (generation, list) => void orphans.set(generation, list),
    async publish(head, epics) {
      state.head = head;
      state.published = epics;
    },
    dropGeneration: async (generation) => void state.dropped.push(generation),
    head: async () => state.head,
    clearPendingBefore: async (before) => void (state.pendingClearedBefore = before),
  };
  return { store, state, partitions };
}

/** The one reconcile run record, with the compare-and-set on starts. */
export function inMemoryRunStore(initial?: ReconcileRun): RunStore & { claims: string[] } {
  let run = initial && structuredClone(initial);
  let claimedBy = initial?.runId ?? null;
  const claims: string[] = [];
  return {
    claims,
    get: async () => run && structuredClone(run),
    save: async (next) => void (run = structuredClone(next)),
    async claimStart(previous, runId) {
      if (claimedBy !== previous) return false;
      claimedBy = runId;
      claims.push(runId);
      return true;
    },
  };
}

export function inMemoryQueue(): StepQueue & { pushed: Array<{ runId: string; step: number }> } {
  const pushed: Array<{ runId: string; step: number }> = [];
  return { pushed, push: async (message) => void pushed.push(message) };
}

/** A viewer cache with no expiry: it answers what it has and loads only the rest. */
export function inMemoryViewerCache(): ViewerCache {
  const visible = new Map<string, Set<string>>();
  const names = new Map<string, string>();
  const issues = new Map<string, Map<string, boolean>>();
  const access = new Map<string, IssueAccess>();
  let closed: string[] | undefined;
  return {
    issueAccess: async (accountId, issueKey) => access.get(`${accountId}:${issueKey}`),
    async rememberIssueAccess(accountId, issueKey, value) {
      access.set(`${accountId}:${issueKey}`, value);
    },
    async projectsClosedToApp(load) {
      closed = closed ?? (await load());
      return closed;
    },
    async browsableIssues(accountId, kind, ids, load) {
      const known = issues.get(`${kind}:${accountId}`) ?? new Map<string, boolean>();
      issues.set(`${kind}:${accountId}`, known);
      const missing = ids.filter((id) => !known.has(id));
      if (missing.length > 0) {
        const allowed = await load(missing);
        for (const id of missing) known.set(id, allowed.has(id));
      }
      return new Set(ids.filter((id) => known.get(id) === true));
    },
    async visibleProjects(accountId, load) {
      const hit = visible.get(accountId);
      if (hit) return hit;
      const loaded = await load();
      visible.set(accountId, loaded);
      return loaded;
    },
    async userNames(ids, load) {
      const missing = ids.filter((id) => !names.has(id));
      if (missing.length > 0) for (const [id, name] of await load(missing)) names.set(id, name);
      return new Map(ids.flatMap((id) => (names.has(id) ? [[id, names.get(id) as string] as const] : [])));
    },
  };
}

/** An epic as the stored rollups and the Jira search give it, with empty progress. */
export function epicEntry(key: string, destinationId: string | null, at = 1): EpicEntry {
  return {
    id: `1${key.replace(/\D/g, '')}`,
    key,
    summary: `Epic ${key}`,
    projectKey: key.split('-')[0] as string,
    statusCategory: 'indeterminate',
    destinationId,
    fAt: at,
    pAt: at,
    progress: emptyProgress(),
    doneWeeks: {},
    unestimatedKeys: [],
  };
}

/** A live destination as stored, ranked `priority`, at version 1 unless `extra` says otherwise. */
export function destination(id: string, priority: number, extra: Partial<Destination> = {}): Destination {
  return domainDestination({ id, priority, ...extra });
}
