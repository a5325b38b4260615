/**
 * Per-child contributions kept on a stored epic, so one child's event updates its epic without re-reading the
 * siblings from Jira (Jira charges points for every issue a search returns; events are free).
 *
 * An epic's `members` map a child's issue id to a compact mark. A mark carries the time its fact was read,
 * and a child that left is kept a while as a tombstone (category -1), so facts applied in any order converge on
 * the newest read, like every other stored fact. The epic's figures are a function of its live members.
 */
import { compareKeys, dayNumber, type EpicFigures } from './epic-figures';
import { dateOf } from './dates';
import { addItem, emptyProgress, sizedEstimate } from './progress';
import { weekOfDay } from './throughput-weeks';
import type { ChildFacts, EpicEntry, StatusCategory } from './types';

/** Status category as a digit; -1 marks a child that left the epic (a tombstone). */
export type MarkCategory = -1 | 0 | 1 | 2;

/**
 * `[key, category, estimate, done day (days since 1970-01-01) or null, read at (ms), created day]`: about 46
 * bytes a child. The created day (for the burn-up's scope line) is absent on marks stored before it was read;
 * the next rebuild or event re-read adds it.
 */
export type ChildMark = [string, MarkCategory, number | null, number | null, number, number?];

/** A stored epic's children by issue id. */
export type Members = Record<string, ChildMark>;

/** A tombstone only has to outlive facts still in flight (events arrive minutes late at most). */
const TOMBSTONE_MS = 24 * 3_600_000;
/** Unestimated child keys kept per stored epic (as `figuresOf` keeps). */
const UNESTIMATED_KEYS_PER_EPIC = 5;

const CATEGORIES: readonly StatusCategory[] = ['new', 'indeterminate', 'done'];

/** One child's mark, as read at `at`. */
export function markOf(child: ChildFacts, at: number): ChildMark {
  const category = CATEGORIES.indexOf(child.statusCategory) as 0 | 1 | 2;
  const doneDate = child.statusCategory === 'done' && child.resolved !== null ? dateOf(child.resolved) : null;
  const mark: ChildMark = [child.key, category, sizedEstimate(child.estimate), doneDate === null ? null : dayNumber(doneDate), at];
  const created = child.created ? dateOf(child.created) : null;
  if (created !== null) mark.push(dayNumber(created));
  return mark;
}

/** The mark of a child that left (moved, deleted, or no longer a child), as learnt at `at`. */
export function leftMark(key: string, at: number): ChildMark {
  return [key, -1, null, null, at];
}

/** Every epic's members from its children as one search read them at `at`. */
export function membersOf(epicKeys: readonly string[], children: readonly ChildFacts[], at: number): Map<string, Members> {
  const out = new Map<string, Members>(epicKeys.map((key) => [key, {}]));
  for (const child of children) {
    const members = child.parentKey === null ? undefined : out.get(child.parentKey);
    if (members) members[child.id] = markOf(child, at);
  }
  return out;
}

/** The epic's figures from its live members (keys of unestimated children in key order). */
export function figuresOfMembers(key: string, members: Members, keysPerEpic = UNESTIMATED_KEYS_PER_EPIC): EpicFigures {
  const progress = emptyProgress();
  const doneWeeks: Record<string, number> = {};
  const unestimated: string[] = [];
  for (const [id, [childKey, category, estimate, doneDay]] of Object.entries(members)) {
    if (category === -1) continue;
    const statusCategory = CATEGORIES[category] as StatusCategory;
    addItem(progress, { id, key: childKey, projectKey: projectOfKey(childKey), statusCategory, estimate, resolved: null, epicKey: key });
    if (estimate === null) unestimated.push(childKey);
    if (category === 2 && doneDay !== null) {
      const week = weekOfDay(doneDay);
      doneWeeks[week] = (doneWeeks[week] ?? 0) + 1;
    }
  }
  return { key, progress, doneWeeks, unestimatedKeys: unestimated.sort(compareKeys).slice(0, keysPerEpic) };
}

/**
 * Apply one child's mark to its epic's members if it is newer than what the epic holds for that child.
 * Returns the epic with figures recomputed, or undefined when nothing changed (or the epic keeps no members:
 * then the caller must have written a full `progress` fact first).
 */
export function withMember(entry: EpicEntry, childId: string, mark: ChildMark): EpicEntry | undefined {
  const members = entry.members;
  if (members === undefined) return undefined;
  const current = members[childId];
  // A mark that came with the progress snapshot is as new as that read (`pAt`), whatever its own stamp says:
  // a fact read before the snapshot is already reflected in it.
  if (Math.max(current?.[4] ?? 0, entry.pAt) > mark[4]) return undefined;
  const next: Members = {};
  const horizon = mark[4] - TOMBSTONE_MS;
  for (const [id, m] of Object.entries(members)) if (m[1] !== -1 || m[4] >= horizon) next[id] = m;
  if (mark[1] === -1 && !current) return undefined;
  next[childId] = mark;
  return { ...entry, ...figuresOfMembers(entry.key, next), members: next };
}

/** The live members of a stored epic (children it counts now), by id. */
export function liveMembers(entry: EpicEntry): Array<[string, ChildMark]> {
  return Object.entries(entry.members ?? {}).filter(([, m]) => m[1] !== -1);
}

/** Issue keys are `<project key>-<number>`: a child's project without storing it. */
export function projectOfKey(key: string): string {
  return key.slice(0, key.lastIndexOf('-'));
}
