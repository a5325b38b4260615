import { alignEpic, alignmentWarning, destinationIdOf } from './alignment';
import { destination } from './test-fixtures';

const live = destination({ id: 'D-1', name: 'Checkout in 3 clicks' });
const gone = destination({ id: 'D-2', name: 'Old portal', status: 'archived' });
const done = destination({ id: 'D-3', status: 'achieved' });
const byId = new Map([live, gone, done].map((d) => [d.id, d]));

describe('alignEpic', () => {
  it('aligns the stored {id, name} value to its destination by id, ignoring a stale name', () => {
    expect(alignEpic({ id: 'D-1', name: 'Renamed since' }, byId)).toEqual({ kind: 'aligned', destination: live });
  });

  it('accepts a bare id string defensively', () => {
    expect(alignEpic(' D-1 ', byId)).toEqual({ kind: 'aligned', destination: live });
  });

  it('counts an achieved destination as aligned', () => {
    expect(alignEpic({ id: 'D-3', name: '' }, byId).kind).toBe('aligned');
  });

  it('treats an empty field as unaligned, not malformed', () => {
    for (const empty of [null, undefined, '', { id: '', name: '' }]) {
      expect(alignEpic(empty, byId)).toEqual({ kind: 'unaligned', malformed: false });
    }
  });

  it('flags garbage as unaligned and malformed', () => {
    for (const garbage of [42, ['D-1'], { name: 'D-1' }, { id: 7 }, true]) {
      expect(alignEpic(garbage, byId)).toEqual({ kind: 'unaligned', malformed: true });
    }
  });

  it('reports an id no destination has as unknown', () => {
    expect(alignEpic({ id: 'D-99', name: 'Ghost' }, byId)).toEqual({ kind: 'unknown', destinationId: 'D-99' });
  });

  it('reports an archived destination as archived, not aligned', () => {
    expect(alignEpic('D-2', byId)).toEqual({ kind: 'archived', destination: gone });
  });
});

describe('destinationIdOf', () => {
  it('distinguishes empty (null) from unreadable (a marker that survives storage)', () => {
    expect(destinationIdOf(null)).toBeNull();
    expect(destinationIdOf({ id: 'D-4', name: 'x' })).toBe('D-4');
    expect(destinationIdOf({})).toEqual({ unreadable: true });
    expect(destinationIdOf({ id: 42 })).toEqual({ unreadable: true });
  });

  it('reads its own answer, and that answer after a round trip through storage, the same way', () => {
    for (const raw of [null, ' D-4 ', { id: 'D-4' }, { id: 42 }, 7, ['D-1']]) {
      const read = destinationIdOf(raw);
      expect(destinationIdOf(read)).toEqual(read);
      expect(destinationIdOf(JSON.parse(JSON.stringify(read)))).toEqual(read);
    }
  });
});

describe('alignmentWarning', () => {
  it('says nothing for an aligned or an empty field', () => {
    expect(alignmentWarning({ kind: 'aligned', destination: live }, ['A-1'])).toBeNull();
    expect(alignmentWarning({ kind: 'unaligned', malformed: false }, ['A-1'])).toBeNull();
  });

  it('names the unknown id and the epic, destination first in refs', () => {
    const w = alignmentWarning({ kind: 'unknown', destinationId: 'D-99' }, ['A-1']);
    expect(w?.code).toBe('UNKNOWN_DESTINATION');
    expect(w?.message).toContain('Epic A-1 points to destination D-99, which does not exist');
    expect(w?.refs).toEqual(['D-99', 'A-1']);
  });

  it('groups several epics on an archived destination in one warning', () => {
    const w = alignmentWarning({ kind: 'archived', destination: gone }, ['A-1', 'B-2']);
    expect(w?.code).toBe('ARCHIVED_DESTINATION');
    expect(w?.message).toContain('2 epics point to "Old portal" (D-2), which is archived');
    expect(w?.refs).toEqual(['D-2', 'A-1', 'B-2']);
  });

  it('reports an unreadable field value instead of dropping it', () => {
    const w = alignmentWarning({ kind: 'unaligned', malformed: true }, ['A-1']);
    expect(w?.message).toContain('cannot read');
  });
});
