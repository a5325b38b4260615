/**
 * The per-epic model both read paths share: an epic's figures from its direct children, in-flight orphans,
 * facts applied newest-first, and the done counts a forecast reads. A view then costs O(epics), not O(issues).
 */
import { dateOf } from './dates';
import { addItem, emptyProgress, sizedEstimate } from './progress';
import { DONE_HISTORY_WEEKS, weekOf } from './throughput-weeks';
import { markOf, withMember, type Members } from './epic-members';
import type { ChildFacts, EpicEntry, IsoDate, OrphanEntry, RollupDelta } from './types';

const DAY_MS = 86_400_000;
/** Unestimated child keys kept per stored epic: the warning shows at most `MAX_REFS` in all. */
const UNESTIMATED_KEYS_PER_EPIC = 5;

export function dayNumber(date: IsoDate): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export type EpicFigures = Pick<EpicEntry, 'key' | 'progress' | 'doneWeeks' | 'unestimatedKeys'>;

/** Figures with the per-child marks they were made from (stamped 0: as new as the read that carries them). */
export type EpicFiguresWithMembers = EpicFigures & { members: Members };

/**
 * Each epic's figures from its direct children; every key in `epicKeys` gets an entry, even childless.
 * `keysPerEpic` bounds the unestimated keys kept per epic (a stored epic keeps a few); `withMembers: false`
 * skips the per-child marks (a live view that stores nothing).
 */
export function figuresOf(epicKeys: readonly string[], children: readonly ChildFacts[], today: IsoDate, keysPerEpic = UNESTIMATED_KEYS_PER_EPIC, withMembers = true): Map<string, EpicFiguresWithMembers> {
  const out = new Map<string, EpicFiguresWithMembers>(epicKeys.map((key) => [key, { key, progress: emptyProgress(), doneWeeks: {}, unestimatedKeys: [], members: {} }]));
  const oldest = weekOf(today) - DONE_HISTORY_WEEKS;
  for (const child of children) {
    if (child.parentKey === null) continue;
    const figures = out.get(child.parentKey);
    if (!figures) continue;
    addItem(figures.progress, { ...child, epicKey: child.parentKey });
    // The stored epic keeps each child's mark, so an event can update it without re-reading the siblings.
    if (withMembers) figures.members[child.id] = markOf(child, 0);
    if (sizedEstimate(child.estimate) === null && figures.unestimatedKeys.length < keysPerEpic) figures.unestimatedKeys.push(child.key);
    if (child.statusCategory === 'done' && child.resolved !== null) {
      const date = dateOf(child.resolved);
      if (date === null) continue;
      // Weekly buckets (throughput-weeks.ts): what the forecast reads, in a few bytes a week.
      const week = weekOf(date);
      if (week < oldest) continue;
      figures.doneWeeks[week] = (figures.doneWeeks[week] ?? 0) + 1;
    }
  }
  return out;
}

/** A child's contribution when it has no epic: only in-flight orphans count (as off-route). */
export function orphanOf(child: ChildFacts, at: number): OrphanEntry {
  return child.parentKey === null && child.statusCategory === 'indeterminate'
    ? { key: child.key, projectKey: child.projectKey, estimate: child.estimate, at }
    : { key: child.key, projectKey: null, estimate: null, at };
}

/** Apply one fact if it is at least as new as what is stored; returns whether anything changed. */
export function applyDelta(epics: Map<string, EpicEntry>, orphans: Map<string, OrphanEntry>, delta: RollupDelta): boolean {
  switch (delta.t) {
    case 'fields': {
      const current = epics.get(delta.key);
      if (current && current.fAt > delta.at) return false;
      const { t: _t, at, ...fields } = delta;
      epics.set(delta.key, current
        ? { ...current, ...fields, fAt: at, ...(current.deleted ? { deleted: undefined } : {}) }
        : { ...fields, fAt: at, progress: emptyProgress(), doneWeeks: {}, unestimatedKeys: [], pAt: 0 });
      stripUndefined(epics.get(delta.key) as EpicEntry);
      return true;
    }
    case 'progress': {
      const current = epics.get(delta.key);
      // Progress of an epic the app has not seen yet waits until its fields arrive (a stub keeps it).
      if (current && current.pAt > delta.at) return false;
      const base: EpicEntry = current ?? { key: delta.key, id: '', summary: '', projectKey: delta.key.split('-')[0] ?? '', statusCategory: 'new', destinationId: null, fAt: 0, progress: emptyProgress(), doneWeeks: {}, unestimatedKeys: [], pAt: 0 };
      const next: EpicEntry = { ...base, progress: delta.progress, doneWeeks: delta.doneWeeks, unestimatedKeys: delta.unestimatedKeys, pAt: delta.at };
      if (delta.members) next.members = delta.members;
      else delete next.members;
      epics.set(delta.key, next);
      return true;
    }
    case 'member': {
      const current = epics.get(delta.key);
      const next = current && withMember(current, delta.id, delta.mark);
      if (!next) return false;
      epics.set(delta.key, next);
      return true;
    }
    case 'deleted': {
      const current = epics.get(delta.key);
      if (!current || current.fAt > delta.at) return false;
      epics.set(delta.key, { ...current, deleted: true, fAt: delta.at });
      return true;
    }
    case 'orphan': {
      const current = orphans.get(delta.id);
      if (current && current.at > delta.at) return false;
      orphans.set(delta.id, { key: delta.key, projectKey: delta.projectKey, estimate: delta.estimate, at: delta.at });
      return true;
    }
  }
}

function stripUndefined(entry: EpicEntry): void {
  if (entry.deleted === undefined) delete entry.deleted;
}

/** An entry counts once its fields were read (a progress-only stub is an epic the app has not seen yet). */
export function isLive(entry: EpicEntry): boolean {
  return entry.deleted !== true && entry.fAt > 0;
}

/** `PAY-9` before `PAY-10`: the order Jira's `ORDER BY key` gives, so stored and live views list alike. */
export function compareKeys(a: string, b: string): number {
  const ia = a.lastIndexOf('-');
  const ib = b.lastIndexOf('-');
  const pa = a.slice(0, ia);
  const pb = b.slice(0, ib);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return Number(a.slice(ia + 1)) - Number(b.slice(ib + 1));
}
