import { harness, asUser } from '../testing/harness';
import { parseJql } from './parse';

const sorted = (keys: string[]): string[] => [...keys].sort();

describe('JQL parsing', () => {
  it('keeps the order-by fields and directions', () => {
    const parsed = parseJql('cf[10100] ~ "D-1" order by created DESC, rank');
    expect(parsed.where).toMatchObject({ kind: 'term', field: 'cf[10100]', property: null, operator: '~', operand: { kind: 'value', value: 'D-1' } });
    expect(parsed.orderBy).toEqual([
      { field: 'created', direction: 'desc' },
      { field: 'rank', direction: 'asc' },
    ]);
  });

  it.each(['"Business destination".Id = "D-1"', 'cf[10000].Id = "x"', 'cf[10100].Id in (D-1, D-2)'])(
    'refuses %s exactly as Atlassian\'s parser does (no rewriting)',
    (jql) => {
      expect(() => parseJql(jql)).toThrow(/^Error in the JQL Query: extraneous input '\.Id'/);
    },
  );

  it('parses the same text twice to the same query (a shared JastBuilder would not)', () => {
    expect(parseJql('project = PAY')).toEqual(parseJql('project = PAY'));
  });
});

describe('JQL evaluation against the small site', () => {
  const h = harness();

  it.each([
    ['project = PAY', ['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4', 'PAY-5', 'PAY-6', 'PAY-7', 'PAY-8']],
    ['project in (Payments, SEC) AND issuetype = Epic', ['PAY-1', 'PAY-6', 'PAY-8', 'SEC-1']],
    ['project = 10001', ['SEC-1', 'SEC-2']],
    ['issuetype = 10001', ['PAY-1', 'PAY-6', 'PAY-8', 'SEC-1']],
    ['issuetype in (Story, Task) AND project = PAY', ['PAY-2', 'PAY-3', 'PAY-4', 'PAY-7']],
    ['parent = PAY-1', ['PAY-2', 'PAY-3', 'PAY-4']],
    ['parent in (PAY-1, SEC-1)', ['PAY-2', 'PAY-3', 'PAY-4', 'SEC-2']],
    ['parent = 10003', ['PAY-5']],
    ['project = PAY AND parent IS EMPTY', ['PAY-1', 'PAY-6', 'PAY-7', 'PAY-8']],
    ['project = PAY AND parent != PAY-1', ['PAY-5']],
    ['statusCategory = Done', ['PAY-2', 'PAY-5', 'SEC-2']],
    ['statusCategory in ("In Progress")', ['PAY-1', 'PAY-3', 'PAY-7', 'PAY-8', 'SEC-1']],
    ['statusCategory = new', ['PAY-4', 'PAY-6']],
    ['statusCategory = 3', ['PAY-2', 'PAY-5', 'SEC-2']],
    ['statusCategory != Done AND project = SEC', ['SEC-1']],
    ['status = "To Do"', ['PAY-4', 'PAY-6']],
    ['status not in ("To Do", Done) AND project = PAY', ['PAY-1', 'PAY-3', 'PAY-7', 'PAY-8']],
    ['resolved >= -7d', ['PAY-5', 'SEC-2']],
    ['resolutiondate >= "2026-10-01" AND resolutiondate < "2026-11-21"', ['PAY-2', 'PAY-5']],
    ['resolved >= -16w AND resolved <= startOfDay(-1d)', ['PAY-2', 'PAY-5']],
    ['resolved IS EMPTY AND project = SEC', ['SEC-1']],
    ['created < "2026-09-03"', ['PAY-1', 'PAY-2']],
    ['created >= "2026/09/09 00:00"', ['SEC-1', 'SEC-2']],
    ['key = PAY-3', ['PAY-3']],
    ['issuekey in (pay-1, PAY-2, 10009)', ['PAY-1', 'PAY-2', 'SEC-1']],
    ['id = 10004', ['PAY-4']],
    // Forge documents text search over the whole object value; a property needs a searchAlias.
    ['cf[10100] ~ "D-1"', ['PAY-1', 'SEC-1']],
    ['"Business destination" ~ "Instant payouts"', ['PAY-1', 'SEC-1']],
    ['issuetype = Epic AND cf[10100] !~ "D-1"', ['PAY-8']],
    ['issuetype = Epic AND cf[10100] IS EMPTY', ['PAY-6']],
    ['issuetype = Epic AND "Business destination" IS NOT EMPTY', ['PAY-1', 'PAY-8', 'SEC-1']],
    ['cf[10016] >= 5', ['PAY-3', 'SEC-2']],
    ['"Story point estimate" < 5', ['PAY-2', 'PAY-7']],
    ['project = PAY AND issuetype = Story AND cf[10016] IS EMPTY', ['PAY-4']],
    ['cf[10016] in (2, 3)', ['PAY-2', 'PAY-7']],
    ['project = PAY AND NOT statusCategory = Done AND NOT issuetype = Epic', ['PAY-3', 'PAY-4', 'PAY-7']],
    ['(project = SEC OR parent = PAY-1) AND statusCategory = Done', ['PAY-2', 'SEC-2']],
    ['project = PAY AND (issuetype = Epic OR (statusCategory = Done AND cf[10016] > 1))', ['PAY-1', 'PAY-2', 'PAY-6', 'PAY-8']],
    ['summary ~ "payout" AND project = PAY', ['PAY-1', 'PAY-3']],
    ['resolved >= startOfWeek()', ['SEC-2']],
    ['updated >= -7d', ['PAY-5', 'SEC-2']],
    ['resolution = Unresolved AND project = SEC', ['SEC-1']],
    ['resolution = Done', ['PAY-2', 'PAY-5', 'SEC-2']],
    ['resolution in (Unresolved) AND parent = PAY-1', ['PAY-3', 'PAY-4']],
    ['resolution != Unresolved AND parent = PAY-1', ['PAY-2']],
    ['resolution IS EMPTY AND issuetype = Epic', ['PAY-1', 'PAY-6', 'PAY-8', 'SEC-1']],
    ['issuetype in subTaskIssueTypes()', ['PAY-5']],
    ['issuetype in standardIssueTypes() AND project = SEC', ['SEC-1', 'SEC-2']],
    ['project = PAY AND issuetype not in standardIssueTypes()', ['PAY-5']],
  ])('%s', async (jql, expected) => {
    expect(sorted(await h.keys(jql))).toEqual(expected);
  });

  it('orders by key numerically within a project, not as text', async () => {
    const h2 = harness();
    h2.emulator.createIssue({ key: 'PAY-10', type: 'Task', summary: 'ten', status: 'To Do' }, 'u-admin');
    expect(await h2.keys('project = PAY ORDER BY key ASC')).toEqual(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4', 'PAY-5', 'PAY-6', 'PAY-7', 'PAY-8', 'PAY-10']);
  });

  it('orders by created descending, and newest first when no order is given', async () => {
    expect(await h.keys('parent = PAY-1 ORDER BY created DESC')).toEqual(['PAY-4', 'PAY-3', 'PAY-2']);
    expect(await h.keys('parent = PAY-1')).toEqual(['PAY-4', 'PAY-3', 'PAY-2']);
    expect(await h.keys('parent = PAY-1 ORDER BY created ASC, rank')).toEqual(['PAY-2', 'PAY-3', 'PAY-4']);
  });

  it('finds an issue by its updated time once it is edited', async () => {
    const h2 = harness();
    expect(await h2.keys('updated >= startOfDay() AND project = PAY')).toEqual([]);
    h2.emulator.updateIssue('PAY-6', { summary: 'renamed' }, 'u-dev');
    expect(await h2.keys('updated >= startOfDay() AND project = PAY ORDER BY updated DESC')).toEqual(['PAY-6']);
  });

  it('orders by resolution date with unresolved issues last', async () => {
    expect(await h.keys('parent = PAY-1 ORDER BY resolved ASC, key ASC')).toEqual(['PAY-2', 'PAY-3', 'PAY-4']);
  });

  it('gives a user nothing from projects they cannot browse', async () => {
    expect(sorted(await h.keys('cf[10100] ~ "D-1"', asUser('u-dev')))).toEqual(['PAY-1']);
    expect(sorted(await h.keys('cf[10100] ~ "D-1"', asUser('u-leader')))).toEqual(['PAY-1', 'SEC-1']);
  });

  it('matches nothing for an issue id the user cannot see, but refuses such a key (app function fragments list ids)', async () => {
    expect(sorted(await h.keys('issue in (10001, 10009) OR parent in (10001, 10009)', asUser('u-dev')))).toEqual(['PAY-1', 'PAY-2', 'PAY-3', 'PAY-4']);
    expect(await h.keys('issue = 99999')).toEqual([]);
    expect(await h.searchError('parent = SEC-1', asUser('u-dev'))).toBe("The value 'SEC-1' does not exist for the field 'parent'.");
  });

  it.each([
    ['foo = bar', "Field 'foo' does not exist or you do not have permission to view it."],
    ['customfield_10100 = D-1', "Field 'customfield_10100' does not exist or you do not have permission to view it."],
    ['cf[10100].Owner = x', "Error in the JQL Query: extraneous input '.Owner'"],
    // What Atlassian's parser refuses, and what Jira does not document, answers 400 (issue 9).
    ['"Business destination".Id = "D-1"', "Error in the JQL Query: extraneous input '.Id'"],
    ['cf[10000].Id = "x"', "Error in the JQL Query: extraneous input '.Id'"],
    ['hierarchyLevel = 1', "Field 'hierarchyLevel' does not exist or you do not have permission to view it."],
    ['issuetype.hierarchyLevel = 1', "Field 'issuetype.hierarchyLevel' does not exist or you do not have permission to view it."],
    ['cf[10100] = D-1', "The operator '=' is not supported by the 'cf[10100]' field."],
    ['issue in destinationWork("D-1")', "Unable to find JQL function 'destinationWork()'"],
    ['status = Doing', "The value 'Doing' does not exist for the field 'status'."],
    ['project = NOPE', "The value 'NOPE' does not exist for the field 'project'."],
    ['parent = PAY-99', "The value 'PAY-99' does not exist for the field 'parent'."],
    ['status > Done', "The operator '>' is not supported by the 'status' field."],
    ['project in PAY', "Error in the JQL Query: mismatched input '<EOF>' expecting '('"],
    ['project is PAY', "Error in the JQL Query: mismatched input 'PAY' expecting EMPTY"],
    ['project = EMPTY AND project > PAY', "The operator '>' is not supported by the 'project' field."],
    ['created > "2026-13-01"', "Date value '2026-13-01' for field 'created' is invalid."],
    ['created > lastLogin()', "Unable to find JQL function 'lastLogin()'."],
    ['issuetype in epicIssueTypes()', "Unable to find JQL function 'epicIssueTypes()' for field 'issuetype'."],
    ['resolution = Fixed', "The value 'Fixed' does not exist for the field 'resolution'."],
    ['cf[10016] > many', "The value 'many' is not a valid number for the field 'cf[10016]'."],
    ['status WAS Done', "The emulator does not support the history operator 'WAS' (field 'status')."],
    ['project = PAY ORDER BY assignee', "Not able to sort using field 'assignee'."],
    ['project = PAY ORDER BY status', "The emulator cannot order by 'status'; order by key, created, resolved or the story points field."],
  ])('refuses %s with a Jira-style 400', async (jql, message) => {
    expect(await h.searchError(jql)).toContain(message);
  });

  it('treats a project the user cannot browse as unknown, as Jira does', async () => {
    expect(await h.searchError('project = SEC', asUser('u-dev'))).toBe("The value 'SEC' does not exist for the field 'project'.");
  });

  it('refuses an unbounded query (ORDER BY only)', async () => {
    expect(await h.searchError('ORDER BY created DESC')).toBe('Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
  });

  it('refuses a syntax error with the parser message', async () => {
    expect(await h.searchError('project = PAY AND')).toMatch(/^Error in the JQL Query: /);
  });
});
