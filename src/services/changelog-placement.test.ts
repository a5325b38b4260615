import { dayNumber } from '../domain/epic-figures';
import { epicEntry } from '../../test/helpers/in-memory-ports';
import { placeFromChangelog } from './changelog-placement';

const vocab = { statusCategories: { '3': 'indeterminate' as const, '10001': 'done' as const }, estimate: { kind: 'points' as const, fieldId: 'customfield_10016', name: 'Story Points' }, appFieldId: 'customfield_10100' };
const statusItem = { field: 'status', fieldtype: 'jira', fieldId: 'status', from: '10000', to: '3', fromString: 'To Do', toString: 'In Progress' };

describe('changelog placement of a child', () => {
  const stored = (mark: [string, 0 | 1 | 2, number | null, number | null, number, number?]) => {
    const epic = { ...epicEntry('PAY-1', 'D-1'), members: { '201': mark } };
    return { epics: new Map([[epic.key, epic]]), orphans: new Map() };
  };
  const fields = { updated: '2026-11-25T10:00:00.000+0000', created: '2026-09-03T12:00:00.000+0000' };

  it('keeps the created day a mark already has', () => {
    const deltas = placeFromChangelog(stored(['PAY-2', 0, 3, null, 1, dayNumber('2026-09-01')]), { issueId: '201', key: 'PAY-2', items: [statusItem], payloadFields: fields }, vocab);
    expect(deltas).toEqual([{ t: 'member', at: Date.parse('2026-11-25T10:00:00Z'), key: 'PAY-1', id: '201', mark: ['PAY-2', 1, 3, null, Date.parse('2026-11-25T10:00:00Z'), dayNumber('2026-09-01')] }]);
  });

  it('gives a mark stored before creation days were kept the payload\'s created day', () => {
    const deltas = placeFromChangelog(stored(['PAY-2', 0, 3, null, 1]), { issueId: '201', key: 'PAY-2', items: [statusItem], payloadFields: fields }, vocab);
    expect(deltas?.[0]).toMatchObject({ t: 'member', mark: ['PAY-2', 1, 3, null, Date.parse('2026-11-25T10:00:00Z'), dayNumber('2026-09-03')] });
  });
});
