import { changeMatters, changedPlace, previousKey, previousParents } from './rollup-changes';

const watched = { appFieldId: 'customfield_10100', estimateFieldId: 'customfield_10016' };

describe('changeMatters', () => {
  it('ignores a change of description, labels or assignee without asking for site facts', () => {
    expect(changeMatters([{ field: 'description', fieldId: 'description' }, { field: 'labels', fieldId: 'labels' }, { field: 'assignee', fieldId: 'assignee' }])).toBe('no');
  });

  it('takes a status, parent, type, project or key change as relevant', () => {
    expect(changeMatters([{ field: 'status', fieldId: 'status' }])).toBe('yes');
    expect(changeMatters([{ field: 'IssueParentAssociation' }])).toBe('yes');
    expect(changeMatters([{ field: 'issuetype', fieldId: 'issuetype' }])).toBe('yes');
    expect(changeMatters([{ field: 'Key', fromString: 'A-1' }])).toBe('yes');
    expect(changeMatters([{ field: 'project', fieldId: 'project' }])).toBe('yes');
  });

  it('needs the site facts for a custom field, and then knows the destination and estimate fields only', () => {
    const other = [{ field: 'Team', fieldId: 'customfield_10001' }];
    expect(changeMatters(other)).toBe('custom');
    expect(changeMatters(other, watched)).toBe('no');
    expect(changeMatters([{ field: 'Story Points', fieldId: 'customfield_10016' }], watched)).toBe('yes');
    expect(changeMatters([{ field: 'Business destination', fieldId: 'customfield_10100' }], watched)).toBe('yes');
  });

  it('counts an original estimate change only when the figures measure original estimates', () => {
    const items = [{ field: 'timeoriginalestimate', fieldId: 'timeoriginalestimate' }];
    expect(changeMatters(items, watched)).toBe('no');
    expect(changeMatters(items, { ...watched, estimateFieldId: 'timeoriginalestimate' })).toBe('yes');
  });

  it('takes an event without a changelog, or an unknown named field, as relevant', () => {
    expect(changeMatters(undefined)).toBe('yes');
    expect(changeMatters([{ field: 'Some renamed thing' }])).toBe('yes');
  });
});

describe('changelog readers', () => {
  it('reads the old key of a moved issue and the parents it left', () => {
    const items = [{ field: 'Key', fromString: 'PAY-1' }, { field: 'IssueParentAssociation', fromString: 'PAY-9' }, { fieldId: 'parent', fromString: null }];
    expect(previousKey(items)).toBe('PAY-1');
    expect(previousParents(items)).toEqual(['PAY-9']);
    expect(changedPlace(items)).toBe(true);
    expect(changedPlace([{ field: 'status', fieldId: 'status' }])).toBe(false);
  });
});
