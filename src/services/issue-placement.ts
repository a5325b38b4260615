/**
 * Where one issue counts in the stored rollups, from its facts as Jira has them now and from what is stored:
 * the facts (deltas) that move it there. Shared by the issue trigger (facts from one read) and the daily
 * catch-up (facts from a search of recent changes), so both apply a change the same way.
 *
 * Everything is found by issue id (keys change when an issue moves between projects): the epic entry with the
 * issue's id, and the epics whose stored marks hold it as a child. Epics the app keeps no marks for are
 * returned in `readChildren`: their children must be read once.
 */
import { orphanOf } from '../domain/epic-figures';
import { figuresOfMembers, leftMark, liveMembers, markOf, projectOfKey, type ChildMark } from '../domain/epic-members';
import { changedPlace, previousKey, previousParents, type ChangeItem } from '../domain/rollup-changes';
import { ISSUE_KEY, type EpicEntry, type OrphanEntry } from '../domain/types';
import type { IssueFacts, RollupDelta } from './rollup-ports';

export interface StoredPlaces {
  epics: Map<string, EpicEntry>;
  orphans: Map<string, OrphanEntry>;
}

export interface PlacementInput {
  issueId: string;
  /** The key the event (or search) named the issue by. */
  key: string;
  /** Facts read now; `null` when Jira says the issue no longer exists. */
  facts: IssueFacts | null;
  items?: readonly ChangeItem[] | undefined;
  /** The event payload's fields (a deleted issue's type, as it was; its parent where Jira sends it). */
  payloadFields?: Record<string, unknown> | undefined;
  /** The site's epic-level issue type ids: Forge documents no `hierarchyLevel` on the payload's issue type. */
  epicTypeIds?: readonly string[];
  created: boolean;
  at: number;
}

export interface Placement {
  deltas: RollupDelta[];
  readChildren: Set<string>;
  /** A deleted epic whose children the app never stored: they cannot be found without a recalculation. */
  lostChildren: boolean;
}

export function placeIssue(stored: StoredPlaces | undefined, input: PlacementInput): Placement {
  const { issueId, facts, items, at } = input;
  const epics = stored?.epics ?? new Map<string, EpicEntry>();
  const live = [...epics.values()].filter((e) => e.deleted !== true);
  const asEpic = live.filter((e) => e.id === issueId);
  const asChildOf = live.filter((e) => {
    const m = e.members?.[issueId];
    return m !== undefined && m[1] !== -1;
  });
  const storedOrphan = stored?.orphans.get(issueId);
  const wasOrphan = storedOrphan !== undefined && storedOrphan.projectKey !== null;
  const deltas: RollupDelta[] = [];
  const readChildren = new Set<string>();
  const known = (key: string) => {
    const e = epics.get(key);
    return e !== undefined && e.deleted !== true && e.members !== undefined ? e : undefined;
  };
  const leave = (epic: EpicEntry) => deltas.push({ t: 'member', at, key: epic.key, id: issueId, mark: leftMark(epic.members?.[issueId]?.[0] ?? input.key, at) });
  const orphanGone = () => deltas.push({ t: 'orphan', at, id: issueId, key: input.key, projectKey: null, estimate: null });
  let lostChildren = false;

  if (facts === null) {
    // Gone from Jira: whatever it was, it contributes nothing now.
    if (input.key !== '') deltas.push({ t: 'deleted', at, key: input.key });
    for (const e of asEpic) if (e.key !== input.key) deltas.push({ t: 'deleted', at, key: e.key });
    orphanGone();
    for (const e of asChildOf) leave(e);
    // Jira sends no event for a deleted epic's children: they lose their parent silently. The stored marks
    // say who they were; the in-flight ones are off-route now.
    const byKey = epics.get(input.key);
    const gone = asEpic.length > 0 ? asEpic : byKey && byKey.deleted !== true ? [byKey] : [];
    for (const e of gone) for (const [id, mark] of liveMembers(e)) orphanedChild(deltas, id, mark, at);
    const parent = parentKeyOf(input.payloadFields);
    if (parent && asChildOf.length === 0 && !known(parent)) readChildren.add(parent);
    lostChildren = isEpicPayload(input.payloadFields, input.epicTypeIds ?? []) && !gone.some((e) => e.members !== undefined);
  } else if (facts.level === 1) {
    const key = facts.epic.key;
    const current = epics.get(key);
    if (!current || current.deleted === true || !sameFields(current, facts.epic)) deltas.push({ t: 'fields', at, ...facts.epic });
    // Moved between projects (a new key) or stored under another key: one entry per issue id.
    const moved = asEpic.filter((e) => e.key !== key);
    const oldKey = previousKey(items);
    const oldEntry = oldKey !== null && oldKey !== key ? epics.get(oldKey) : undefined;
    if (oldEntry && oldEntry.deleted !== true && !moved.includes(oldEntry)) moved.push(oldEntry);
    for (const e of moved) deltas.push({ t: 'deleted', at, key: e.key });
    if (!known(key)) {
      const source = moved.find((e) => e.members !== undefined);
      if (source?.members) {
        deltas.push({ t: 'progress', at, ...figuresOfMembers(key, source.members), members: source.members });
      } else if (input.created || asChildOf.length > 0 || wasOrphan) {
        // New, or a child just made an epic: it has no children yet.
        deltas.push({ t: 'progress', at, ...figuresOfMembers(key, {}), members: {} });
      } else {
        readChildren.add(key);
      }
    }
    // A child made an epic leaves the epic it was under, and is no orphan.
    for (const e of asChildOf) leave(e);
    if (wasOrphan || changedPlace(items)) orphanGone();
  } else if (facts.level === 0) {
    const child = facts.child;
    const parent = child.parentKey;
    // An epic made a story is no epic any more.
    for (const e of asEpic) deltas.push({ t: 'deleted', at, key: e.key });
    for (const e of asChildOf) if (e.key !== parent) leave(e);
    // A parent the changelog names but whose marks the app does not keep: read it to take this child out.
    for (const k of previousParents(items)) {
      if (k !== parent && ISSUE_KEY.test(k) && epics.get(k)?.deleted !== true && !asChildOf.some((e) => e.key === k) && !known(k)) readChildren.add(k);
    }
    if (parent !== null) {
      const epic = known(parent);
      const mark = markOf(child, at);
      if (!epic) readChildren.add(parent);
      else if (!sameMark(epic.members?.[issueId], mark)) deltas.push({ t: 'member', at, key: parent, id: issueId, mark });
    }
    const orphan = orphanOf(child, at);
    const same = storedOrphan !== undefined && storedOrphan.projectKey === orphan.projectKey && storedOrphan.estimate === orphan.estimate && storedOrphan.key === orphan.key;
    // An issue with an epic that did not change place was no orphan before either: nothing to undo.
    if (!same && (orphan.projectKey !== null || wasOrphan || changedPlace(items) || asEpic.length > 0)) {
      deltas.push({ t: 'orphan', at, id: issueId, key: orphan.key, projectKey: orphan.projectKey, estimate: orphan.estimate });
    }
  } else {
    // A sub-task (or an issue made one): counted nowhere.
    for (const e of asEpic) deltas.push({ t: 'deleted', at, key: e.key });
    for (const e of asChildOf) leave(e);
    if (wasOrphan) orphanGone();
  }
  return { deltas, readChildren, lostChildren };
}

/**
 * The epic keys `placeIssue` looks up for this input besides the issue's own places (the epics holding it as
 * a child or being it, found by issue id): a reader of part of the site reads these. Keep it in step with
 * every `epics.get` above.
 */
export function keysToRead(input: Omit<PlacementInput, 'at' | 'created' | 'issueId'>): string[] {
  const { facts, items } = input;
  const keys: string[] = [];
  if (facts === null) keys.push(input.key, parentKeyOf(input.payloadFields) ?? '');
  else if (facts.level === 1) keys.push(facts.epic.key, previousKey(items) ?? '');
  else if (facts.level === 0) keys.push(facts.child.parentKey ?? '', ...previousParents(items));
  return [...new Set(keys.filter((k) => ISSUE_KEY.test(k)))];
}

/** A child of a deleted epic: off-route now if it is in flight (Jira left it without a parent). */
function orphanedChild(deltas: RollupDelta[], id: string, mark: ChildMark, at: number): void {
  const [key, category, estimate] = mark;
  if (category === 1) deltas.push({ t: 'orphan', at, id, key, projectKey: projectOfKey(key), estimate });
}

function sameMark(a: ChildMark | undefined, b: ChildMark): boolean {
  return a !== undefined && a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

function sameFields(entry: EpicEntry, epic: Extract<IssueFacts, { level: 1 }>['epic']): boolean {
  return entry.id === epic.id && entry.summary === epic.summary && entry.projectKey === epic.projectKey && entry.statusCategory === epic.statusCategory && JSON.stringify(entry.destinationId) === JSON.stringify(epic.destinationId);
}

/** Whether an event's (possibly late) payload shows an epic-level issue: by type id, or a level if one is sent. */
function isEpicPayload(fields: Record<string, unknown> | undefined, epicTypeIds: readonly string[]): boolean {
  const type = fields?.issuetype;
  if (typeof type !== 'object' || type === null) return false;
  const { id, hierarchyLevel } = type as { id?: unknown; hierarchyLevel?: unknown };
  return hierarchyLevel === 1 || (typeof id === 'string' && epicTypeIds.includes(id));
}

function parentKeyOf(fields: Record<string, unknown> | undefined): string | null {
  const parent = fields?.parent;
  if (typeof parent === 'object' && parent !== null && 'key' in parent) {
    const key = (parent as { key: unknown }).key;
    return typeof key === 'string' && ISSUE_KEY.test(key) ? key : null;
  }
  return null;
}
