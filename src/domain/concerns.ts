/**
 * Concerns ("say something"): anyone who can see an epic of a destination raises a concern on the
 * destination from that epic; the destination's owner and lead answer it or close it; the author sees the
 * answer. A concern shown to someone who cannot browse its epic carries neither the epic's key nor its
 * summary. Pure: the concerns, the destination and the viewer's rights are arguments.
 */
import { fail, ok, type Result } from './errors';
import { roleOf } from './check-ins';
import { isBlank, textProblem } from './text';
import type { AccountId, Destination, IsoDateTime } from './types';

/** A concern is a question or a worry in a few sentences. */
export const MAX_CONCERN_TEXT = 1000;
/**
 * Concerns not yet closed (open or answered) one destination holds. They are kept in one stored value with
 * their answers and are never dropped to make room, so their worst case must fit it: a 1000-character CJK text
 * and answer (3 KB each), a 255-character epic summary and two 128-character account ids make about 7.5 KB,
 * and 25 of them about 190 KB of the 240 KiB a value may hold. Closed ones make way for newer ones.
 */
export const MAX_OPEN_CONCERNS = 25;

export type ConcernState = 'open' | 'answered' | 'closed';

export interface Concern {
  /** `C-<n>`, unique within the destination. */
  id: string;
  destinationId: string;
  text: string;
  by: AccountId;
  at: IsoDateTime;
  /** The epic it was raised from (by id: keys change when an issue moves). */
  epicId: string;
  epicKey: string;
  epicSummary: string;
  state: ConcernState;
  answer?: { text: string; by: AccountId; at: IsoDateTime };
}

/** What a viewer is shown of a concern: the epic only when the viewer may browse it. */
export type ConcernView = Omit<Concern, 'epicKey' | 'epicSummary' | 'epicId'> & { epic: { key: string; summary: string } | null };

function checkText(text: string, what: string): Result<string> {
  const trimmed = text.trim();
  if (isBlank(trimmed)) return fail('INVALID_INPUT', `The ${what} is empty.`, 'text');
  if (trimmed.length > MAX_CONCERN_TEXT) return fail('INVALID_INPUT', `The ${what} has ${trimmed.length} characters; at most ${MAX_CONCERN_TEXT} are allowed.`, 'text');
  const problem = textProblem(trimmed, 'multiline');
  return problem === null ? ok(trimmed) : fail('INVALID_INPUT', `The ${what} ${problem}.`, 'text');
}

/**
 * The concerns with a new one raised by `by` from `epic`. The caller has checked that `by` may browse the
 * epic and that the epic serves `destination`.
 */
export function raiseConcern(
  concerns: readonly Concern[],
  destination: Destination,
  by: AccountId,
  epic: { id: string; key: string; summary: string },
  text: string,
  at: IsoDateTime,
): Result<{ concerns: Concern[]; concern: Concern }> {
  if (destination.status === 'archived') return fail('CONFLICT', `"${destination.name}" is archived: concerns can no longer be raised on it.`);
  const checked = checkText(text, 'concern');
  if (!checked.ok) return checked;
  if (concerns.filter((c) => c.state !== 'closed').length >= MAX_OPEN_CONCERNS) {
    return fail('CONFLICT', `"${destination.name}" already has ${MAX_OPEN_CONCERNS} concerns not yet closed; ask its owner or lead to close some first.`);
  }
  const next = 1 + concerns.reduce((max, c) => Math.max(max, Number(c.id.slice(2)) || 0), 0);
  const concern: Concern = { id: `C-${next}`, destinationId: destination.id, text: checked.value, by, at, epicId: epic.id, epicKey: epic.key, epicSummary: epic.summary, state: 'open' };
  return ok({ concerns: [...concerns, concern], concern });
}

/** The owner or the lead answers a concern (it stays answered until closed), or closes it, with or without an answer. */
export function respondToConcern(
  concerns: readonly Concern[],
  destination: Destination,
  by: AccountId,
  id: string,
  response: { answer?: string; close: boolean },
  at: IsoDateTime,
): Result<Concern[]> {
  if (roleOf(destination, by) === null) return fail('FORBIDDEN', `Only the business owner and the delivery lead of "${destination.name}" can answer its concerns.`);
  const current = concerns.find((c) => c.id === id);
  if (!current) return fail('NOT_FOUND', `Concern ${id} does not exist on "${destination.name}" (it may have been removed). Reload the list.`);
  if (current.state === 'closed') return fail('CONFLICT', `Concern ${id} is already closed.`);
  let answer = current.answer;
  if (response.answer !== undefined) {
    const checked = checkText(response.answer, 'answer');
    if (!checked.ok) return checked;
    answer = { text: checked.value, by, at };
  } else if (!response.close) {
    return fail('INVALID_INPUT', 'Give an answer, or close the concern.', 'answer');
  }
  const state: ConcernState = response.close ? 'closed' : 'answered';
  const changed: Concern = { ...current, state, ...(answer ? { answer } : {}) };
  return ok(concerns.map((c) => (c.id === id ? changed : c)));
}

/** A concern as `mayBrowse` lets a viewer see it: without the epic's key and summary when its epic is hidden. */
export function concernView(concern: Concern, mayBrowse: (epicId: string) => boolean): ConcernView {
  const { epicId, epicKey, epicSummary, ...rest } = concern;
  return { ...rest, epic: mayBrowse(epicId) ? { key: epicKey, summary: epicSummary } : null };
}
