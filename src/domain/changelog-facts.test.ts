import { changedAtOf, markAfter, readChangelog, type ChangeVocabulary, type LoggedItem } from './changelog-facts';
import { dayNumber } from './epic-figures';
import type { ChildMark } from './epic-members';

const vocab: ChangeVocabulary = {
  statusCategories: { '10000': 'new', '10001': 'indeterminate', '10002': 'done' },
  estimate: { kind: 'points', fieldId: 'customfield_10016', name: 'Story Points' },
  appFieldId: 'customfield_10100',
};
const status = (to: string | null): LoggedItem => ({ field: 'status', fieldId: 'status', from: '10001', fromString: 'In Progress', to, toString: 'Done' });
const resolution = (from: string | null, to: string | null): LoggedItem => ({ field: 'resolution', fieldId: 'resolution', from, fromString: from && 'Done', to, toString: to && 'Done' });
const points = (toString: string | null, to: string | null = null): LoggedItem => ({ field: 'Story Points', fieldId: 'customfield_10016', from: null, fromString: '3', to, toString });

describe('readChangelog', () => {
  it('maps a status id to its category and reads a resolution set or cleared', () => {
    expect(readChangelog([status('10002'), resolution(null, '10000')], vocab)).toEqual({ statusCategory: 'done', resolution: 'set' });
    expect(readChangelog([resolution('10000', null)], vocab)).toEqual({ resolution: 'cleared' });
  });

  it('reads an estimate from `toString` when `to` is null (number fields), and a cleared one as null', () => {
    expect(readChangelog([points('5')], vocab)).toEqual({ estimate: 5 });
    expect(readChangelog([points(null)], vocab)).toEqual({ estimate: null });
    const hours: ChangeVocabulary = { ...vocab, estimate: { kind: 'originalEstimate' } };
    expect(readChangelog([{ field: 'timeoriginalestimate', fieldId: 'timeoriginalestimate', from: null, to: '7200', toString: null }], hours)).toEqual({ estimate: 2 });
  });

  it('reads an epic\'s summary and destination, and a company-managed parent change', () => {
    expect(readChangelog([{ field: 'summary', fieldId: 'summary', fromString: 'a', toString: 'b' }], vocab)).toEqual({ summary: 'b' });
    expect(readChangelog([{ field: 'Business destination', fieldId: 'customfield_10100', to: '{"id":"D-2","name":"x"}', toString: 'x' }], vocab)).toEqual({ destinationId: 'D-2' });
    expect(readChangelog([{ field: 'Business destination', fieldId: 'customfield_10100', to: null, toString: null }], vocab)).toEqual({ destinationId: null });
    expect(readChangelog([{ field: 'IssueParentAssociation', from: '1', fromString: 'PAY-1', to: '6', toString: 'PAY-6' }], vocab)).toEqual({ parentKey: 'PAY-6' });
    expect(readChangelog([{ field: 'IssueParentAssociation', from: '1', fromString: 'PAY-1', to: null, toString: null }], vocab)).toEqual({ parentKey: null });
  });

  it('ignores items the figures do not use, alongside ones they do', () => {
    expect(readChangelog([{ field: 'description', fieldId: 'description' }, status('10001')], vocab)).toEqual({ statusCategory: 'indeterminate' });
  });

  it('answers null (read the issue) for anything it cannot read for certain', () => {
    for (const items of [
      undefined,
      [],
      [status(null)],
      [status('99999')],
      [resolution('10000', '10001')],
      [points('three')],
      [points('-1')],
      [{ field: 'issuetype', fieldId: 'issuetype', to: '10001' }],
      [{ field: 'project', fieldId: 'project', to: '10001' }],
      [{ field: 'Key', fromString: 'PAY-1', toString: 'SEC-9' }],
      [{ field: 'Epic Link', fromString: 'PAY-1', toString: 'PAY-6' }],
      [{ field: 'Business destination', fieldId: 'customfield_10100', to: 'not json', toString: 'x' }],
      [{ field: 'summary', fieldId: 'summary', toString: null }],
    ] as Array<LoggedItem[] | undefined>) {
      expect(readChangelog(items, vocab)).toBeNull();
    }
  });
});

describe('markAfter', () => {
  const inFlight: ChildMark = ['PAY-3', 1, 5, null, 1000];
  const done: ChildMark = ['PAY-2', 2, 3, dayNumber('2026-10-01'), 1000];

  it('makes a child done on the day of the change when the resolution is set with it', () => {
    expect(markAfter(inFlight, { statusCategory: 'done', resolution: 'set' }, '2026-11-20T23:30:00.000-0200', 2000)).toEqual(['PAY-3', 2, 5, dayNumber('2026-11-21'), 2000]);
  });

  it('keeps the done day of a child that stays done, and drops it when it is reopened', () => {
    expect(markAfter(done, { estimate: 8 }, '2026-11-20T10:00:00.000+0000', 2000)).toEqual(['PAY-2', 2, 8, dayNumber('2026-10-01'), 2000]);
    expect(markAfter(done, { statusCategory: 'indeterminate', resolution: 'cleared' }, '2026-11-20T10:00:00.000+0000', 2000)).toEqual(['PAY-2', 1, 3, null, 2000]);
    expect(markAfter(done, { statusCategory: 'indeterminate' }, '2026-11-20T10:00:00.000+0000', 2000)).toEqual(['PAY-2', 1, 3, null, 2000]);
  });

  it('answers null when a child is made done without a resolution item, or for a tombstone', () => {
    expect(markAfter(inFlight, { statusCategory: 'done' }, '2026-11-20T10:00:00.000+0000', 2000)).toBeNull();
    expect(markAfter(['PAY-3', -1, null, null, 1000], { statusCategory: 'done', resolution: 'set' }, '2026-11-20T10:00:00.000+0000', 2000)).toBeNull();
  });
});

describe('changedAtOf', () => {
  it('reads Jira\'s offsets without a colon, and nothing else', () => {
    expect(changedAtOf('2021-01-20T15:58:12.797+1100')).toBe(Date.parse('2021-01-20T04:58:12.797Z'));
    expect(changedAtOf('yesterday')).toBeNull();
    expect(changedAtOf(undefined)).toBeNull();
  });
});
