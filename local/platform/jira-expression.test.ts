import { compileJiraExpression, EXPRESSION_CONTEXTS, JiraExpressionError } from './jira-expression';
import { compileDisplayConditions, type IssueViewContext } from './display-conditions';

const compile = (source: string, use: keyof typeof EXPRESSION_CONTEXTS = 'validation') => compileJiraExpression(source, EXPRESSION_CONTEXTS[use], 'test');
const epic = { id: 10001, key: 'PAY-1', issueType: { id: '1', name: 'Épopée', hierarchyLevel: 1 } };
const story = { id: 10002, key: 'PAY-2', issueType: { id: '2', name: 'Story', hierarchyLevel: 0 } };

describe('the local Jira-expression subset', () => {
  it.each([
    ['a let binding', "let x = 1; x == 1"],
    ['a method call', "value.name.length() > 0"],
    ['an arrow function', 'issue.comments.map(c => c.id)'],
    ['a comparison outside the subset', 'issue.issueType.hierarchyLevel >= 1'],
    ['strict equality JavaScript-style', 'value === null'],
    ['a template literal', '`${value.name}`'],
    ['computed member access', "value['name'] != null"],
    ['subtraction', 'issue.issueType.hierarchyLevel - 1 == 0'],
    ['a variable this use does not get', 'customerRequest == null'],
    ['a property the platform does not model', 'issue.summary != null'],
    ['a property of a scalar', 'issue.key.length == 3'],
    ['an unterminated string', "value.name == 'x"],
  ])('refuses %s when the manifest loads', (_label, source) => {
    expect(() => compile(source)).toThrow(/outside what the local platform evaluates/);
  });

  it('refuses `value` where the use has none (a display condition)', () => {
    expect(() => compile('value == null', 'displayCondition')).toThrow(/not a context variable/);
  });

  it('fails `.` on null and on a key the map lacks; `?.` gives null for both', () => {
    expect(() => compile('value.name').evaluate({ value: null })).toThrow(JiraExpressionError);
    expect(() => compile('value.name').evaluate({ value: { id: 'D-1' } })).toThrow(JiraExpressionError);
    expect(compile('value?.name').evaluate({ value: null })).toBeNull();
    expect(compile('value?.name').evaluate({ value: { id: 'D-1' } })).toBeNull();
    expect(compile('value?.name').evaluate({ value: { id: 'D-1', name: 'N' } })).toBe('N');
  });

  it('takes only Booleans in logic and refuses adding null', () => {
    expect(() => compile("value?.name && true").evaluate({ value: { name: 'x' } })).toThrow(/Boolean/);
    expect(() => compile("!value?.name").evaluate({ value: {} })).toThrow(/Boolean/);
    expect(() => compile("'a' + value?.id").evaluate({ value: {} })).toThrow(/cannot add/);
    expect(compile("'a' + value.id + 1").evaluate({ value: { id: 'b' } })).toBe('ab1');
    expect(compile('1 + 2 == 3').evaluate({})).toBe(true);
  });

  it('reads precedence and the right-nested conditional as Jira does', () => {
    const e = compile("value == null || issue?.issueType?.hierarchyLevel == 1 ? 'yes' : value?.id != null ? 'id' : 'none'");
    expect(e.evaluate({ value: null, issue: story })).toBe('yes');
    expect(e.evaluate({ value: { id: 'D-1' }, issue: epic })).toBe('yes');
    expect(e.evaluate({ value: { id: 'D-1' }, issue: story })).toBe('id');
    expect(e.evaluate({ value: {}, issue: null })).toBe('none');
  });
});

describe('display conditions', () => {
  const on = (issue: typeof epic): IssueViewContext => ({ issue: { ...issue, id: String(issue.id) }, project: { id: '1', key: 'PAY' }, user: { accountId: 'u' } });

  it('by hierarchy level, a renamed epic type keeps the module and a story does not get it', () => {
    const byLevel = compileDisplayConditions({ jiraExpression: 'issue.issueType.hierarchyLevel == 1' }, 'test');
    expect(byLevel(on(epic))).toBe(true);
    expect(byLevel(on(story))).toBe(false);
  });

  it('by type name, as Jira documents issueType: a renamed epic type loses the module', () => {
    const byName = compileDisplayConditions({ issueType: 'Epic' }, 'test');
    expect(byName(on(epic))).toBe(false);
  });

  it('combines with and/or/not (one object or a list)', () => {
    const c = compileDisplayConditions({ or: [{ issueType: 'Story' }, { not: { jiraExpression: 'issue.issueType.hierarchyLevel != 1' } }] }, 'test');
    expect(c(on(epic))).toBe(true);
    expect(c(on(story))).toBe(true);
    expect(c(on({ ...story, issueType: { id: '3', name: 'Task', hierarchyLevel: 0 } }))).toBe(false);
  });

  it('hides the module when the expression fails or gives something other than true', () => {
    expect(compileDisplayConditions({ jiraExpression: 'issue.issueType.name' }, 'test')(on(epic))).toBe(false);
  });

  it.each([
    ['a condition it does not evaluate', { hasIssuePermission: 'EDIT_ISSUES' }],
    ['a misspelt condition', { jiraExpresion: 'true' }],
    ['an expression outside the subset', { jiraExpression: 'issue.summary != null' }],
    ['issueType of the wrong shape', { issueType: 1 }],
    ['an empty or', { or: [] }],
  ])('refuses %s', (_label, raw) => {
    expect(() => compileDisplayConditions(raw, 'test')).toThrow(/test/);
  });
});
