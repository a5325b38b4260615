import {
  archiveDestination,
  canDelete,
  checkVersion,
  createDestination,
  nextDestinationId,
  nextPriority,
  deletionInProgress,
  DELETION_LEASE_MS,
  rankDestinations,
  reorderDestinations,
  restoreDestination,
  updateDestination,
  validateDraft,
  type ValidDraft,
} from './destination-rules';
import type { Result } from './errors';
import { destination } from './test-fixtures';
import type { DestinationDraft } from './types';

const today = '2026-11-25';
const audit = { now: '2026-11-25T10:00:00.000Z', by: 'admin-2' };
const draft = { name: 'Checkout in 3 clicks', businessOwner: 'owner-1', targetDate: '2027-03-31' };

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.message}`);
  return result.value;
}
function error<T>(result: Result<T>) {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}
const valid = (input: DestinationDraft = draft): ValidDraft => value(validateDraft(input, [], today)).draft;

describe('validateDraft', () => {
  it('fills in an empty description and the active status', () => {
    const result = value(validateDraft(draft, [], today));
    expect(result.draft).toEqual({ ...draft, description: '', status: 'active' });
    expect(result.warnings).toEqual([]);
  });

  it('refuses a name another live destination has, whatever the case', () => {
    const others = [destination({ id: 'D-1', name: 'Checkout In 3 Clicks' })];
    const e = error(validateDraft(draft, others, today));
    expect(e).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
    expect(e.message).toContain('D-1');
  });

  it('allows a name only an archived destination has, or the destination being edited', () => {
    const archived = destination({ id: 'D-1', name: draft.name, status: 'archived' });
    const self = destination({ id: 'D-2', name: draft.name.toUpperCase() });
    expect(validateDraft(draft, [archived, self], today, 'D-2').ok).toBe(true);
  });

  it('keeps the current status on edit when the form sends none', () => {
    const self = destination({ id: 'D-2', status: 'achieved' });
    expect(value(validateDraft(draft, [self], today, 'D-2')).draft.status).toBe('achieved');
  });

  it('accepts a past target date with a warning, never silently', () => {
    const result = value(validateDraft({ ...draft, targetDate: '2026-11-24' }, [], today));
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'PAST_TARGET_DATE' })]);
    expect(value(validateDraft({ ...draft, targetDate: today }, [], today)).warnings).toEqual([]);
  });

  it('does not warn about a past target date on an achieved destination', () => {
    expect(value(validateDraft({ ...draft, targetDate: '2026-01-01', status: 'achieved' }, [], today)).warnings).toEqual([]);
  });
});

describe('createDestination and updateDestination', () => {
  const created = createDestination(valid({ ...draft, startDate: '2027-01-01' }), { ...audit, id: 'D-3', priority: 4 });

  it('creates version 1 with the audit fields set from the arguments', () => {
    expect(created).toMatchObject({ id: 'D-3', priority: 4, version: 1, createdAt: audit.now, updatedBy: 'admin-2', startDate: '2027-01-01' });
  });

  it('applies the draft, bumps the version and keeps identity, rank and creation audit', () => {
    const later = { now: '2026-11-26T09:00:00.000Z', by: 'admin-3' };
    const updated = value(updateDestination(created, valid({ ...draft, name: 'Two clicks' }), 1, later));
    expect(updated).toMatchObject({ id: 'D-3', priority: 4, name: 'Two clicks', version: 2, createdAt: audit.now, updatedAt: later.now, updatedBy: 'admin-3' });
    expect(updated).not.toHaveProperty('startDate');
  });

  it('refuses a stale version with a conflict naming the current one', () => {
    const e = error(updateDestination({ ...created, version: 5 }, valid(), 4, audit));
    expect(e).toEqual({ code: 'CONFLICT', message: 'Destination "Checkout in 3 clicks" was changed by someone else (version 5); reload and try again.' });
  });

  it('refuses to edit an archived destination', () => {
    expect(error(updateDestination({ ...created, status: 'archived' }, valid(), 1, audit)).message).toContain('restore it before editing');
  });
});

describe('archive and restore', () => {
  const achieved = destination({ id: 'D-1', name: 'Portal', status: 'achieved', version: 3 });

  it('archives, remembering the status to restore, and keeps the priority', () => {
    const archived = value(archiveDestination(achieved, 3, audit));
    expect(archived).toMatchObject({ status: 'archived', archivedFrom: 'achieved', version: 4, priority: achieved.priority });
  });

  it('refuses to archive twice or from a stale version', () => {
    expect(error(archiveDestination({ ...achieved, status: 'archived' }, 3, audit)).message).toContain('already archived');
    expect(error(archiveDestination(achieved, 2, audit)).code).toBe('CONFLICT');
  });

  it('restores the previous status and drops the archive marker', () => {
    const archived = value(archiveDestination(achieved, 3, audit));
    const { destination: restored, warnings } = value(restoreDestination(archived, 4, [], audit));
    expect(restored.status).toBe('achieved');
    expect(restored.version).toBe(5);
    expect(restored).not.toHaveProperty('archivedFrom');
    expect(warnings).toEqual([]);
  });

  it('restores as draft when the previous status is unknown, warning about a past target date', () => {
    const old = destination({ id: 'D-1', status: 'archived', targetDate: '2026-06-30' });
    const { destination: restored, warnings } = value(restoreDestination(old, 1, [], audit));
    expect(restored.status).toBe('draft');
    expect(warnings.map((w) => w.code)).toEqual(['PAST_TARGET_DATE']);
  });

  it('refuses to restore when a live destination has taken the name meanwhile', () => {
    const old = destination({ id: 'D-1', name: 'Portal', status: 'archived' });
    const e = error(restoreDestination(old, 1, [old, destination({ id: 'D-5', name: 'portal' })], audit));
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toContain('Rename or archive D-5 first');
  });

  it('refuses to restore a destination that is not archived', () => {
    expect(error(restoreDestination(achieved, 3, [], audit)).message).toContain('not archived');
  });
});

describe('canDelete', () => {
  const d = destination({ id: 'D-1', name: 'Portal' });

  it('allows deleting a destination no epic points to', () => {
    expect(canDelete(d, 0).ok).toBe(true);
  });

  it('refuses with the reason and the count while epics point to it', () => {
    expect(error(canDelete(d, 3)).message).toBe('Destination "Portal" cannot be deleted: 3 epics point to it. Move those epics to another destination, or archive it instead.');
    expect(error(canDelete(d, 1)).message).toContain('1 epic points to it');
  });
});

describe('checkVersion', () => {
  it('passes the current version through', () => {
    expect(checkVersion(destination({ id: 'D-1', version: 2 }), 2).ok).toBe(true);
  });
});

describe('nextDestinationId', () => {
  it('numbers after the highest existing id, not after the count', () => {
    expect(nextDestinationId(['D-1', 'D-7', 'D-3'])).toBe('D-8');
    expect(nextDestinationId([])).toBe('D-1');
  });

  it('never reuses the number of a deleted destination when given the last number issued', () => {
    expect(nextDestinationId(['D-1'], 9)).toBe('D-10');
  });

  it('ignores ids of another shape', () => {
    expect(nextDestinationId(['D-2', 'X-99', 'D-05', 'D-'])).toBe('D-3');
  });
});

describe('nextPriority', () => {
  it('ranks a new destination right after the live ones, ahead of archived ones', () => {
    expect(nextPriority([destination({ id: 'D-1', priority: 2 }), destination({ id: 'D-2', priority: 5, status: 'archived' })])).toBe(2);
  });
});

describe('rankDestinations', () => {
  const ranks = (list: ReturnType<typeof rankDestinations>) => list.map((d) => [d.id, d.priority, d.version]);

  it('closes gaps among live destinations and puts archived ones after all of them', () => {
    const all = [
      destination({ id: 'D-1', priority: 1 }),
      destination({ id: 'D-2', priority: 3, status: 'archived' }),
      destination({ id: 'D-3', priority: 7 }),
      destination({ id: 'D-4', priority: 5 }),
    ];
    expect(ranks(rankDestinations(all, audit))).toEqual([['D-1', 1, 1], ['D-4', 2, 2], ['D-3', 3, 2], ['D-2', 4, 2]]);
  });

  it('places a new destination after the live ones and moves archived ones behind it', () => {
    const all = [destination({ id: 'D-1', priority: 1 }), destination({ id: 'D-2', priority: 2, status: 'archived' })];
    const created = destination({ id: 'D-3', priority: 99 });
    expect(ranks(rankDestinations([...all, created], audit, created))).toEqual([['D-1', 1, 1], ['D-3', 2, 1], ['D-2', 3, 2]]);
  });

  it('breaks a tie between equal priorities by id, so every reader gets the same order', () => {
    const all = [destination({ id: 'D-10', priority: 2 }), destination({ id: 'D-9', priority: 2 }), destination({ id: 'D-1', priority: 1 })];
    expect(rankDestinations(all, audit).map((d) => d.id)).toEqual(['D-1', 'D-9', 'D-10']);
  });

  it('changes nothing when the ranking already holds', () => {
    const all = [destination({ id: 'D-1', priority: 1 }), destination({ id: 'D-2', priority: 2 }), destination({ id: 'D-3', priority: 3, status: 'archived' })];
    expect(rankDestinations(all, audit)).toEqual(all);
  });
});

describe('deletionInProgress', () => {
  it('holds a fresh mark and lets an abandoned one go', () => {
    expect(deletionInProgress(undefined, 1_000)).toBe(false);
    expect(deletionInProgress(1_000, 1_000 + DELETION_LEASE_MS - 1)).toBe(true);
    expect(deletionInProgress(1_000, 1_000 + DELETION_LEASE_MS)).toBe(false);
  });
});

describe('reorderDestinations', () => {
  const all = [
    destination({ id: 'D-1', priority: 1 }),
    destination({ id: 'D-2', priority: 2 }),
    destination({ id: 'D-3', priority: 3, status: 'archived' }),
    destination({ id: 'D-4', priority: 4, status: 'draft' }),
  ];

  it('ranks 1..n in the given order, archived after, and bumps only the changed ones', () => {
    const ranked = value(reorderDestinations(all, ['D-2', 'D-1', 'D-4'], audit));
    expect(ranked.map((d) => [d.id, d.priority, d.version])).toEqual([
      ['D-2', 1, 2],
      ['D-1', 2, 2],
      ['D-4', 3, 2],
      ['D-3', 4, 2],
    ]);
    expect(ranked[0]?.updatedBy).toBe('admin-2');
  });

  it('leaves destinations whose rank does not change untouched', () => {
    const ranked = value(reorderDestinations(all.filter((d) => d.id !== 'D-3'), ['D-1', 'D-2', 'D-4'], audit));
    expect(ranked.map((d) => [d.priority, d.version])).toEqual([[1, 1], [2, 1], [3, 2]]);
    expect(ranked[0]).toBe(all[0]);
  });

  it('refuses an order that is not a permutation of the live ids', () => {
    expect(error(reorderDestinations(all, ['D-1', 'D-1', 'D-2', 'D-4'], audit)).message).toContain('D-1 appears more than once');
    expect(error(reorderDestinations(all, ['D-1', 'D-2', 'D-3', 'D-4'], audit)).message).toContain('D-3 is not a destination that can be ordered');
    expect(error(reorderDestinations(all, ['D-2', 'D-1'], audit))).toMatchObject({ field: 'orderedIds', message: 'The new order leaves out D-4; reload and try again.' });
  });
});
