import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { FIELD_FORMATTER_EXPRESSION, fieldValueText } from '../../src/contract/field-text';
import { compileJiraExpression, EXPRESSION_CONTEXTS } from '../../local/platform/jira-expression';
import { readManifest } from '../../local/platform/manifest';

const ROOT = path.join(__dirname, '../..');
const manifest: unknown = YAML.parse(readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8'));
const field = (manifest as { modules: { 'jira:customField': Array<{ view: { formatter: { expression: string } } }> } }).modules['jira:customField'][0];

// The local platform's strict Jira-expression evaluator stands in for Jira: it fails where Jira may fail
// (reading a key a map lacks with `.`), so an expression that passes here does not rely on leniency.
const formatter = compileJiraExpression(FIELD_FORMATTER_EXPRESSION, EXPRESSION_CONTEXTS.formatter, 'formatter');

describe('the Business destination field text', () => {
  it('is what the manifest formatter computes', () => {
    expect(field?.view.formatter.expression).toBe(FIELD_FORMATTER_EXPRESSION);
  });

  it.each([
    ['an empty field', null, ''],
    ['an undefined value', undefined, ''],
    ['a destination with its name', { id: 'D-1', name: 'Instant payouts' }, 'Instant payouts'],
    ['an id without a name', { id: 'D-99' }, 'Unknown destination (D-99)'],
    ['an id with a null name', { id: 'D-99', name: null }, 'Unknown destination (D-99)'],
    ['a value with neither id nor name', {}, ''],
  ])('shows %s the same in Jira and in the app', (_, value, text) => {
    expect(fieldValueText(value)).toBe(text);
    expect(formatter.evaluate({ value })).toBe(text);
    // And as the local platform shows the field, from the manifest it loaded.
    expect(readManifest(ROOT).field?.format(value)).toBe(text);
  });

  it('would fail in Jira without optional chaining on a missing name (the strictness the test relies on)', () => {
    const naive = compileJiraExpression("value.name != null ? value.name : 'x'", EXPRESSION_CONTEXTS.formatter, 'naive');
    expect(() => naive.evaluate({ value: { id: 'D-1' } })).toThrow(/does not exist/);
  });
});
