/**
 * An issue update applied from its event alone (changelog and `fields.updated`), against what is stored: the
 * facts (deltas) it makes, or null when the issue must be read instead. Null whenever there is doubt: the
 * changelog names something the rule cannot read (see `readChangelog`), the app keeps no mark for the issue
 * (or more than one), the issue's key changed, or the event is not newer than the stored fact. The last one is
 * what keeps late and reordered events safe: a fact applied from an event is stamped with the event's
 * `fields.updated`, so an older event arriving after it is read instead of overwriting it, and a read (stamped
 * with the time the app asked Jira) beats every event older than it.
 */
import { dateOf } from '../domain/dates';
import { dayNumber } from '../domain/epic-figures';
import { leftMark, projectOfKey, type ChildMark } from '../domain/epic-members';
import { changedAtOf, markAfter, readChangelog, type ChangeVocabulary, type LoggedItem } from '../domain/changelog-facts';
import type { EpicEntry } from '../domain/types';
import type { StoredPlaces } from './issue-placement';
import type { RollupDelta } from './rollup-ports';

export interface ChangelogInput {
  issueId: string;
  key: string;
  items: readonly LoggedItem[] | undefined;
  /** The event payload's fields: `updated` is the time of the change. */
  payloadFields: Record<string, unknown> | undefined;
}

export function placeFromChangelog(stored: StoredPlaces | undefined, input: ChangelogInput, vocab: ChangeVocabulary): RollupDelta[] | null {
  const updated = input.payloadFields?.updated;
  const at = changedAtOf(updated);
  if (stored === undefined || at === null || typeof updated !== 'string') return null;
  const change = readChangelog(input.items, vocab);
  if (change === null) return null;
  const { issueId, key } = input;
  const live = [...stored.epics.values()].filter((e) => e.deleted !== true);
  const asEpic = live.filter((e) => e.id === issueId);
  const asChildOf = live.filter((e) => {
    const m = e.members?.[issueId];
    return m !== undefined && m[1] !== -1;
  });
  const orphan = stored.orphans.get(issueId);
  const inFlight = orphan !== undefined && orphan.projectKey !== null ? orphan : undefined;
  // Exactly one place, or the stored facts disagree with themselves: read.
  if (asEpic.length + asChildOf.length + (inFlight ? 1 : 0) !== 1) return null;

  const epic = asEpic[0];
  if (epic) {
    if (epic.key !== key || at <= epic.fAt || change.parentKey !== undefined) return null;
    const next = {
      id: epic.id,
      key: epic.key,
      summary: change.summary ?? epic.summary,
      projectKey: epic.projectKey,
      statusCategory: change.statusCategory ?? epic.statusCategory,
      destinationId: change.destinationId === undefined ? epic.destinationId : change.destinationId,
    };
    // Written even when nothing differs: the newer stamp is what turns an older event, arriving later, to a read.
    return [{ t: 'fields', at, ...next }];
  }

  const parent = asChildOf[0];
  if (parent) {
    const mark = parent.members?.[issueId] as ChildMark;
    // A mark that came with the epic's progress is as new as that read.
    if (mark[0] !== key || at <= Math.max(mark[4], parent.pAt)) return null;
    const next = markAfter(mark, change, updated, at);
    if (next === null) return null;
    // A mark stored before creation days were kept learns it from the payload (`fields.created` is documented).
    const created = next[5] === undefined ? dateOf(input.payloadFields?.created) : null;
    if (created !== null) next.push(dayNumber(created));
    if (change.parentKey === undefined || change.parentKey === parent.key) {
      return [{ t: 'member', at, key: parent.key, id: issueId, mark: next }];
    }
    const leave: RollupDelta = { t: 'member', at, key: parent.key, id: issueId, mark: leftMark(key, at) };
    if (change.parentKey === null) {
      // No parent now: off-route while in flight.
      return next[1] === 1 ? [leave, { t: 'orphan', at, id: issueId, key, projectKey: projectOfKey(key), estimate: next[2] }] : [leave];
    }
    const target = stored.epics.get(change.parentKey);
    if (!knownEpic(target) || at <= target.pAt) return null;
    return [leave, { t: 'member', at, key: target.key, id: issueId, mark: next }];
  }

  const loose = inFlight as NonNullable<typeof inFlight>;
  if (loose.key !== key || at <= loose.at || change.parentKey !== undefined) return null;
  const category = change.statusCategory ?? 'indeterminate';
  const estimate = change.estimate === undefined ? loose.estimate : change.estimate;
  if (category !== 'indeterminate') return [{ t: 'orphan', at, id: issueId, key, projectKey: null, estimate: null }];
  return [{ t: 'orphan', at, id: issueId, key, projectKey: loose.projectKey, estimate }];
}

function knownEpic(entry: EpicEntry | undefined): entry is EpicEntry {
  return entry !== undefined && entry.deleted !== true && entry.members !== undefined;
}
