/**
 * Validation and lifecycle of destinations. Every expected refusal is a `Result` with the field at fault
 * and a sentence the admin can act on. Nothing is deleted silently: archive is the normal way out, and a
 * delete is refused while epics still point at the destination.
 */
import { dateOf } from './dates';
import { fail, ok, type Result } from './errors';
import type { AccountId, Destination, DestinationDraft, IsoDate, IsoDateTime, LiveStatus, Warning } from './types';

/** Limits of a destination's text, in characters (code points), after trimming. */
export const NAME_MAX = 120;
export const DESCRIPTION_MAX = 2000;
/** A success measure's name and unit (see `SuccessMeasure`). */
export const MEASURE_NAME_MAX = 120;
export const MEASURE_UNIT_MAX = 20;

/** A draft after validation: trimmed, with a description and a status to save. */
export interface ValidDraft extends DestinationDraft {
  description: string;
  status: LiveStatus;
}

export interface Audit {
  now: IsoDateTime;
  by: AccountId;
}

/**
 * The rules of a draft that need the stored destinations; the edge's schema has already checked its shapes
 * and limits. `others` are the stored destinations (the one being edited may be among them: pass its id as
 * `selfId`). A missing status keeps the status of `selfId`, or is `active` for a new destination, so that it
 * can be chosen on epics at once.
 */
export function validateDraft(
  input: DestinationDraft,
  others: readonly Destination[],
  today: IsoDate,
  selfId?: string,
): Result<{ draft: ValidDraft; warnings: Warning[] }> {
  const clash = findNameClash(input.name, others, selfId);
  if (clash) {
    return fail('INVALID_INPUT', `Another destination (${clash.id}) is already called "${clash.name}"; choose a different name.`, 'name');
  }
  const self = others.find((d) => d.id === selfId);
  const keptStatus = self === undefined || self.status === 'archived' ? undefined : self.status;
  const draft: ValidDraft = { ...input, description: input.description ?? '', status: input.status ?? keptStatus ?? 'active' };
  return ok({ draft, warnings: dateWarnings(draft, today) });
}

export function createDestination(draft: ValidDraft, meta: Audit & { id: string; priority: number }): Destination {
  return {
    ...copyDraft(draft),
    id: meta.id,
    priority: meta.priority,
    version: 1,
    createdAt: meta.now,
    createdBy: meta.by,
    updatedAt: meta.now,
    updatedBy: meta.by,
  };
}

export function updateDestination(
  current: Destination,
  draft: ValidDraft,
  expectedVersion: number,
  audit: Audit,
): Result<Destination> {
  const checked = checkVersion(current, expectedVersion);
  if (!checked.ok) return checked;
  if (current.status === 'archived') {
    return fail('CONFLICT', `Destination "${current.name}" is archived; restore it before editing.`);
  }
  const { id, priority, version, createdAt, createdBy } = current;
  return ok({ ...copyDraft(draft), id, priority, version: version + 1, createdAt, createdBy, updatedAt: audit.now, updatedBy: audit.by });
}

export function archiveDestination(current: Destination, expectedVersion: number, audit: Audit): Result<Destination> {
  const checked = checkVersion(current, expectedVersion);
  if (!checked.ok) return checked;
  if (current.status === 'archived') {
    return fail('CONFLICT', `Destination "${current.name}" is already archived.`);
  }
  // The priority is kept so restore can put it back without renumbering the others.
  return ok({ ...bump(current, audit), status: 'archived', archivedFrom: current.status });
}

/**
 * Brings an archived destination back with the status it had (or `draft` when unknown). Its name must still
 * be unique: another destination may have taken it meanwhile. `now` gives the date for the past-target warning.
 */
export function restoreDestination(
  current: Destination,
  expectedVersion: number,
  others: readonly Destination[],
  audit: Audit,
): Result<{ destination: Destination; warnings: Warning[] }> {
  const checked = checkVersion(current, expectedVersion);
  if (!checked.ok) return checked;
  if (current.status !== 'archived') {
    return fail('CONFLICT', `Destination "${current.name}" is not archived, so there is nothing to restore.`);
  }
  const clash = findNameClash(current.name, others, current.id);
  if (clash) {
    return fail('CONFLICT', `Cannot restore "${current.name}": destination ${clash.id} is now called "${clash.name}". Rename or archive ${clash.id} first.`);
  }
  const { archivedFrom, ...rest } = bump(current, audit);
  const destination: Destination = { ...rest, status: archivedFrom ?? 'draft' };
  return ok({ destination, warnings: dateWarnings(destination, dateOf(audit.now) ?? audit.now.slice(0, 10)) });
}

/** Deleting is refused while any epic points at the destination, so no epic is left with a dangling id. */
export function canDelete(destination: Destination, alignedEpicCount: number): Result<Destination> {
  if (alignedEpicCount > 0) {
    const epics = alignedEpicCount === 1 ? '1 epic points' : `${alignedEpicCount} epics point`;
    return fail('CONFLICT', `Destination "${destination.name}" cannot be deleted: ${epics} to it. Move ${alignedEpicCount === 1 ? 'that epic' : 'those epics'} to another destination, or archive it instead.`);
  }
  return ok(destination);
}

/** Optimistic concurrency: refuses a save based on a version that is no longer the stored one. */
export function checkVersion(current: Destination, expectedVersion: number): Result<Destination> {
  return current.version === expectedVersion
    ? ok(current)
    : fail('CONFLICT', `Destination "${current.name}" was changed by someone else (version ${current.version}); reload and try again.`);
}

/**
 * The next id, `D-<n>`, above every existing id and above `lastIssued` (the highest number ever handed out,
 * which storage must keep, since the ids of deleted destinations are no longer in `existingIds`).
 */
export function nextDestinationId(existingIds: readonly string[], lastIssued = 0): string {
  let highest = lastIssued;
  for (const id of existingIds) highest = Math.max(highest, destinationNumber(id) ?? 0);
  return `D-${highest + 1}`;
}

/**
 * The shape of every destination id, `D-<n>` with n from 1 to 999,999,999: the one rule for the resolvers'
 * schemas, the site-file loader and `nextDestinationId`. Short and plain, so it fits every storage key the
 * app builds from it (KVS keys are up to 500 characters of `[a-zA-Z0-9:._\s-#]`).
 */
export const DESTINATION_ID = /^D-([1-9]\d{0,8})$/;

export function isDestinationId(id: string): boolean {
  return DESTINATION_ID.test(id);
}

/** The number in `D-<n>`, or `null` for any other shape. */
export function destinationNumber(id: string): number | null {
  const match = DESTINATION_ID.exec(id);
  return match ? Number(match[1]) : null;
}

/** The priority for a new or restored destination: after every live one (archived ones move down behind it). */
export function nextPriority(all: readonly Destination[]): number {
  return all.filter((d) => d.status !== 'archived').length + 1;
}

/**
 * Ranks every destination: the live ones 1..n in their current order, then the archived ones after them in
 * theirs, so live priorities never have a gap and a new destination never ranks below an archived one.
 * `lastLive` (a destination being created or restored, already carrying its new version) goes right after
 * the other live ones. Only destinations whose priority changes get a new version. Returns every
 * destination, ranked.
 */
export function rankDestinations(all: readonly Destination[], audit: Audit, lastLive?: Destination): Destination[] {
  const others = all.filter((d) => d.id !== lastLive?.id);
  const live = others.filter((d) => d.status !== 'archived').sort(byRank);
  if (lastLive) live.push(lastLive);
  const archived = others.filter((d) => d.status === 'archived').sort(byRank);
  return [...live, ...archived].map((d, i) => {
    if (d.priority === i + 1) return d;
    return d === lastLive ? { ...d, priority: i + 1 } : { ...bump(d, audit), priority: i + 1 };
  });
}

function byRank(a: Destination, b: Destination): number {
  return a.priority - b.priority || (destinationNumber(a.id) ?? 0) - (destinationNumber(b.id) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A delete first marks the destination as being deleted, so nobody can point an epic at it while the delete
 * checks that no epic does. A mark older than this was left by a delete that died (a resolver runs at most
 * 25 s) and no longer blocks anyone.
 */
export const DELETION_LEASE_MS = 60_000;

/** Whether a deletion mark set at `since` (ms) still stands at `now` (ms). */
export function deletionInProgress(since: number | undefined, now: number): boolean {
  return since !== undefined && now - since < DELETION_LEASE_MS;
}

/**
 * Renumbers priorities 1..n in the order given, which must name every non-archived destination exactly
 * once; archived ones follow in their previous order. Only destinations whose priority changed get a new
 * version. Returns every destination, ranked.
 */
export function reorderDestinations(all: readonly Destination[], orderedIds: readonly string[], audit: Audit): Result<Destination[]> {
  const live = new Map(all.filter((d) => d.status !== 'archived').map((d) => [d.id, d]));
  const seen = new Set<string>();
  for (const id of orderedIds) {
    if (seen.has(id)) return fail('INVALID_INPUT', `${id} appears more than once in the new order.`, 'orderedIds');
    if (!live.has(id)) return fail('INVALID_INPUT', `${id} is not a destination that can be ordered (unknown or archived); reload and try again.`, 'orderedIds');
    seen.add(id);
  }
  const missing = [...live.keys()].filter((id) => !seen.has(id));
  if (missing.length > 0) {
    return fail('INVALID_INPUT', `The new order leaves out ${missing.join(', ')}; reload and try again.`, 'orderedIds');
  }

  const archived = all.filter((d) => d.status === 'archived').sort(byRank);
  const ranked = [...orderedIds.map((id) => live.get(id) as Destination), ...archived];
  return ok(ranked.map((d, i) => (d.priority === i + 1 ? d : { ...bump(d, audit), priority: i + 1 })));
}

function findNameClash(name: string, others: readonly Destination[], selfId: string | undefined): Destination | undefined {
  const key = nameKey(name);
  return others.find((d) => d.id !== selfId && d.status !== 'archived' && nameKey(d.name) === key);
}

function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}

// A past target date is accepted (history gets entered late) but never silently. An achieved destination
// is exempt: having reached it, a past date is expected, and a warning on every save would be noise.
function dateWarnings(d: Pick<Destination, 'targetDate' | 'status'>, today: IsoDate): Warning[] {
  if (d.status === 'achieved' || d.targetDate >= today) return [];
  return [{ code: 'PAST_TARGET_DATE', message: `The target date ${d.targetDate} is in the past (today is ${today}); check it is the date you meant.` }];
}

function copyDraft(draft: ValidDraft): Pick<Destination, 'name' | 'description' | 'businessOwner' | 'deliveryLead' | 'targetDate' | 'startDate' | 'status' | 'successMeasure'> {
  const { name, description, businessOwner, targetDate, status } = draft;
  return {
    name,
    description,
    businessOwner,
    targetDate,
    status,
    ...(draft.deliveryLead === undefined ? {} : { deliveryLead: draft.deliveryLead }),
    ...(draft.startDate === undefined ? {} : { startDate: draft.startDate }),
    // Rebuilt field by field, so nothing stray in a draft reaches storage.
    ...(draft.successMeasure === undefined ? {} : { successMeasure: { name: draft.successMeasure.name, unit: draft.successMeasure.unit, baseline: draft.successMeasure.baseline, target: draft.successMeasure.target } }),
  };
}

function bump(d: Destination, audit: Audit): Destination {
  return { ...d, version: d.version + 1, updatedAt: audit.now, updatedBy: audit.by };
}
