import { applyDelta, figuresOf } from './epic-figures';
import { figuresOfMembers, leftMark, markOf } from './epic-members';
import type { ChildFacts, EpicEntry, OrphanEntry } from './types';

const child = (id: string, key: string, statusCategory: ChildFacts['statusCategory'], estimate: number | null, resolved: string | null = null): ChildFacts => ({ id, key, projectKey: 'PAY', statusCategory, estimate, resolved, parentKey: 'PAY-1' });

function stored(children: ChildFacts[], pAt = 100): Map<string, EpicEntry> {
  const f = figuresOf(['PAY-1'], children, '2026-11-25').get('PAY-1');
  if (!f) throw new Error('no figures');
  return new Map([['PAY-1', { ...f, id: '1', summary: 'E', projectKey: 'PAY', statusCategory: 'new', destinationId: null, fAt: pAt, pAt }]]);
}

describe('per-child marks', () => {
  const kids = [child('11', 'PAY-2', 'done', 3, '2026-11-20'), child('12', 'PAY-3', 'indeterminate', 5), child('13', 'PAY-4', 'new', null)];

  it('gives the same figures from the marks as from the children', () => {
    const entry = stored(kids).get('PAY-1') as EpicEntry;
    const fromMembers = figuresOfMembers('PAY-1', entry.members ?? {});
    expect(fromMembers.progress).toEqual(entry.progress);
    expect(fromMembers.doneWeeks).toEqual(entry.doneWeeks);
    expect(fromMembers.unestimatedKeys).toEqual(entry.unestimatedKeys);
  });

  it('updates an epic from one child\'s fact, and ignores an older fact for that child', () => {
    const epics = stored(kids);
    const orphans = new Map<string, OrphanEntry>();
    expect(applyDelta(epics, orphans, { t: 'member', at: 200, key: 'PAY-1', id: '12', mark: markOf({ ...kids[1] as ChildFacts, statusCategory: 'done', resolved: '2026-11-25' }, 200) })).toBe(true);
    expect(epics.get('PAY-1')?.progress.count).toEqual({ new: 1, indeterminate: 0, done: 2, total: 3 });
    expect(applyDelta(epics, orphans, { t: 'member', at: 150, key: 'PAY-1', id: '12', mark: markOf(kids[1] as ChildFacts, 150) })).toBe(false);
    expect(epics.get('PAY-1')?.progress.count.done).toBe(2);
  });

  it('ignores a fact read before the snapshot the marks came with', () => {
    const epics = stored(kids, 300);
    expect(applyDelta(epics, new Map(), { t: 'member', at: 200, key: 'PAY-1', id: '12', mark: leftMark('PAY-3', 200) })).toBe(false);
    expect(epics.get('PAY-1')?.progress.count.total).toBe(3);
  });

  it('takes a child that left out of the figures, and keeps a tombstone against a late older fact', () => {
    const epics = stored(kids);
    applyDelta(epics, new Map(), { t: 'member', at: 200, key: 'PAY-1', id: '13', mark: leftMark('PAY-4', 200) });
    expect(epics.get('PAY-1')?.progress.count).toEqual({ new: 0, indeterminate: 1, done: 1, total: 2 });
    expect(applyDelta(epics, new Map(), { t: 'member', at: 180, key: 'PAY-1', id: '13', mark: markOf(kids[2] as ChildFacts, 180) })).toBe(false);
    expect(epics.get('PAY-1')?.unestimatedKeys).toEqual([]);
  });

  it('adds a child that joined', () => {
    const epics = stored(kids);
    applyDelta(epics, new Map(), { t: 'member', at: 200, key: 'PAY-1', id: '14', mark: markOf(child('14', 'PAY-9', 'indeterminate', 2), 200) });
    expect(epics.get('PAY-1')?.progress.estimate).toMatchObject({ indeterminate: 7, total: 10, unestimated: 1 });
  });
});
