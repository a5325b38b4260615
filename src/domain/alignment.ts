/**
 * Which destination an epic drives toward. The field value comes from Jira and is untrusted: it should be
 * the stored `{id, name}`, a bare id is accepted defensively, and anything else is reported, never dropped.
 * The stored `name` is only a display copy; the id decides.
 */
import type { Alignment, Destination, FieldDestination, Warning } from './types';

export function alignEpic(fieldValue: unknown, destinationsById: ReadonlyMap<string, Destination>): Alignment {
  const id = destinationIdOf(fieldValue);
  if (id === null) return { kind: 'unaligned', malformed: false };
  if (typeof id !== 'string') return { kind: 'unaligned', malformed: true };
  const destination = destinationsById.get(id);
  if (destination === undefined) return { kind: 'unknown', destinationId: id };
  return destination.status === 'archived' ? { kind: 'archived', destination } : { kind: 'aligned', destination };
}

/**
 * The one reader of the field value: the destination id, `null` when the field is empty, and a marker when it
 * holds something unreadable. Reading its own answer again gives the same answer.
 */
export function destinationIdOf(fieldValue: unknown): FieldDestination {
  if (fieldValue === null || fieldValue === undefined) return null;
  if (typeof fieldValue === 'string') return fieldValue.trim() === '' ? null : fieldValue.trim();
  if (typeof fieldValue === 'object' && !Array.isArray(fieldValue) && 'id' in fieldValue) {
    const { id } = fieldValue;
    if (typeof id === 'string') return id.trim() === '' ? null : id.trim();
  }
  return UNREADABLE;
}

const UNREADABLE: FieldDestination = { unreadable: true };

/**
 * The warning a person should see for epics whose field does not resolve to a live destination, or `null`
 * when there is nothing to say. All `epicKeys` share the same alignment (the rollup groups them). `refs`
 * lists the destination id first, then the epic keys, so a capped list still names the destination.
 */
export function alignmentWarning(alignment: Alignment, epicKeys: readonly string[]): Warning | null {
  const epics = epicKeys.length === 1 ? `Epic ${epicKeys[0]}` : `${epicKeys.length} epics`;
  const point = epicKeys.length === 1 ? 'points' : 'point';
  const its = epicKeys.length === 1 ? 'its' : 'their';
  const them = epicKeys.length === 1 ? 'it' : 'them';
  const offRoute = `${epicKeys.length === 1 ? 'Its' : 'Their'} work counts as off-route.`;
  switch (alignment.kind) {
    case 'aligned':
      return null;
    case 'unaligned':
      return alignment.malformed
        ? {
            code: 'UNKNOWN_DESTINATION',
            message: `${epics}: the Business destination field holds a value the app cannot read; set ${its} destination again. ${offRoute}`,
            refs: [...epicKeys],
          }
        : null;
    case 'unknown':
      return {
        code: 'UNKNOWN_DESTINATION',
        message: `${epics} ${point} to destination ${alignment.destinationId}, which does not exist (it may have been deleted); choose another destination for ${them}. ${offRoute}`,
        refs: [alignment.destinationId, ...epicKeys],
      };
    case 'archived':
      return {
        code: 'ARCHIVED_DESTINATION',
        message: `${epics} ${point} to "${alignment.destination.name}" (${alignment.destination.id}), which is archived; restore it or choose another destination. ${offRoute}`,
        refs: [alignment.destination.id, ...epicKeys],
      };
  }
}
