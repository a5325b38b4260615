/**
 * Check-ins: the business owner and the delivery lead each say, in a word and a short note, how the trip is
 * going. One current check-in per person per week (a second one that week replaces the first), history kept
 * for two years, a reminder when the last one is older than the cadence, and a flag when what people say and
 * what the data says disagree. Pure: the history, the destination and the dates are arguments.
 */
import { addDays, diffDays, startOfWeek } from './dates';
import { fail, ok, type Result } from './errors';
import { textProblem } from './text';
import type { AccountId, ChanceThresholds, Destination, Forecast, IsoDate, IsoDateTime } from './types';

export const CHECK_IN_STATUSES = ['on track', 'at risk', 'off track'] as const;
export type CheckInStatus = (typeof CHECK_IN_STATUSES)[number];
export type CheckInRole = 'owner' | 'lead';

/** A note is a sentence or two, not a report. */
export const MAX_CHECK_IN_NOTE = 500;
/** Weeks of check-ins kept (about 210 bytes each, two people: about 44 KB, well within one stored value). */
export const CHECK_IN_HISTORY_WEEKS = 104;
/** Reminder cadence in weeks when the setting is absent. */
export const DEFAULT_CHECK_IN_CADENCE_WEEKS = 2;

export interface CheckIn {
  by: AccountId;
  role: CheckInRole;
  status: CheckInStatus;
  note: string;
  /** The Monday of the week it counts for. */
  week: IsoDate;
  at: IsoDateTime;
  /** The success measure's value at the time, when the destination names one. */
  measure?: number;
}

/** Who may check in on `destination`: its business owner, then its delivery lead; anyone else may not. */
export function roleOf(destination: Pick<Destination, 'businessOwner' | 'deliveryLead'>, accountId: AccountId): CheckInRole | null {
  if (destination.businessOwner === accountId) return 'owner';
  if (destination.deliveryLead === accountId) return 'lead';
  return null;
}

export interface CheckInDraft {
  status: CheckInStatus;
  note: string;
  measure?: number;
}

/**
 * The history with `draft` recorded by `by` at `at`: refused for anyone but the owner and the lead, for an
 * archived destination, or for a note that is too long or holds control characters. The person's check-in
 * of the same week is replaced; weeks older than the history keeps fall off.
 */
export function recordCheckIn(history: readonly CheckIn[], destination: Destination, by: AccountId, draft: CheckInDraft, at: IsoDateTime): Result<CheckIn[]> {
  const role = roleOf(destination, by);
  if (role === null) return fail('FORBIDDEN', `Only the business owner and the delivery lead of "${destination.name}" can check in on it.`);
  if (destination.status === 'archived') return fail('CONFLICT', `"${destination.name}" is archived: restore it before checking in.`, 'destinationId');
  const note = draft.note.trim();
  if (note.length > MAX_CHECK_IN_NOTE) return fail('INVALID_INPUT', `The note has ${note.length} characters; at most ${MAX_CHECK_IN_NOTE} are allowed.`, 'note');
  const problem = textProblem(note, 'multiline');
  if (problem !== null) return fail('INVALID_INPUT', `The note ${problem}.`, 'note');
  if (draft.measure !== undefined && !Number.isFinite(draft.measure)) return fail('INVALID_INPUT', 'The measure must be a number.', 'measure');
  const day = at.slice(0, 10);
  const week = startOfWeek(day);
  const next: CheckIn = { by, role, status: draft.status, note, week, at, ...(draft.measure === undefined ? {} : { measure: draft.measure }) };
  const oldest = addDays(week, -7 * (CHECK_IN_HISTORY_WEEKS - 1));
  const kept = history.filter((c) => !(c.by === by && c.week === week) && c.week >= oldest);
  return ok([...kept, next].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)));
}

/** The newest check-in of each role (the history is kept oldest first). */
export function latestCheckIns(history: readonly CheckIn[]): Partial<Record<CheckInRole, CheckIn>> {
  const out: Partial<Record<CheckInRole, CheckIn>> = {};
  for (const c of history) if (!out[c.role] || out[c.role]!.at <= c.at) out[c.role] = c;
  return out;
}

/** Whether a check-in is due: none yet, or the newest is older than the cadence (in weeks). */
export function checkInDue(history: readonly CheckIn[], today: IsoDate, cadenceWeeks: number): { due: boolean; lastDay: IsoDate | null } {
  let last: IsoDate | null = null;
  for (const c of history) {
    const day = c.at.slice(0, 10);
    if (last === null || day > last) last = day;
  }
  return { due: isCheckInDue(last, today, cadenceWeeks), lastDay: last };
}

/** The reminder rule from the newest check-in's day alone (what a summary keeps): none yet, or older than the cadence. */
export function isCheckInDue(lastDay: IsoDate | null, today: IsoDate, cadenceWeeks: number): boolean {
  return lastDay === null || diffDays(lastDay, today) > 7 * cadenceWeeks;
}

export interface Disagreement {
  /** What the newest check-in says. */
  says: CheckInStatus;
  by: AccountId;
  role: CheckInRole;
  /** The chance of arriving by the target date, in percent. */
  chance: number;
  reason: string;
}

/**
 * When the newest check-in and the data disagree: it says on track while the chance is below the "at risk"
 * threshold, or it says off track while the chance is at or above the "on track" threshold. `null` when they
 * agree, when nobody has checked in, or when there is no chance to compare (no forecast yet).
 */
export function disagreementOf(history: readonly CheckIn[], chance: number | null, thresholds: ChanceThresholds): Disagreement | null {
  if (chance === null || history.length === 0) return null;
  const { owner, lead } = latestCheckIns(history);
  const newest = [owner, lead].filter((c): c is CheckIn => c !== undefined).sort((a, b) => (a.at < b.at ? 1 : -1))[0];
  if (!newest) return null;
  const who = newest.role === 'owner' ? 'The business owner' : 'The delivery lead';
  const base = { says: newest.status, by: newest.by, role: newest.role, chance };
  if (newest.status === 'on track' && chance < thresholds.atRiskChance) {
    return { ...base, reason: `${who} says on track, but the data gives a ${chance}% chance by the target date (below the ${thresholds.atRiskChance}% "at risk" line).` };
  }
  if (newest.status === 'off track' && chance >= thresholds.onTrackChance) {
    return { ...base, reason: `${who} says off track, but the data gives a ${chance}% chance by the target date (at or above the ${thresholds.onTrackChance}% "on track" line).` };
  }
  return null;
}

/** The newest check-in of a role as a summary keeps it: enough for the flag and the reminder. */
export interface LatestSaid {
  status: CheckInStatus;
  at: IsoDateTime;
  by: AccountId;
}

/** The disagreement flag from the newest check-in of each role alone (the rule above looks at nothing else). */
export function disagreementOfLatest(latest: { owner: LatestSaid | null; lead: LatestSaid | null } | undefined, chance: number | null, thresholds: ChanceThresholds): Disagreement | null {
  if (!latest) return null;
  const newest: CheckIn[] = [];
  if (latest.owner) newest.push({ ...latest.owner, role: 'owner', note: '', week: '' });
  if (latest.lead) newest.push({ ...latest.lead, role: 'lead', note: '', week: '' });
  return disagreementOf(newest, chance, thresholds);
}

/** The chance of arriving by the target date in whole percent, as the verdict reads it; `null` without a range. */
export function chanceOf(forecast: Pick<Forecast, 'range'> | null | undefined): number | null {
  const p = forecast?.range?.probabilityByTarget;
  return typeof p === 'number' ? Math.round(p * 100) : null;
}
