import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { FIELD_FORMATTER_EXPRESSION, fieldValueText } from '../../src/contract/field-text';

const manifest: unknown = YAML.parse(readFileSync(path.join(__dirname, '../../manifest.yml'), 'utf8'));
const field = (manifest as { modules: { 'jira:customField': Array<{ view: { formatter: { expression: string } } }> } }).modules['jira:customField'][0];

// The expression's operators read the same in JavaScript, so evaluating it here stands in for Jira.
const evaluate = new Function('value', `return (${FIELD_FORMATTER_EXPRESSION});`) as (value: unknown) => unknown;

describe('the Business destination field text', () => {
  it('is what the manifest formatter computes', () => {
    expect(field?.view.formatter.expression).toBe(FIELD_FORMATTER_EXPRESSION);
  });

  it.each([
    ['an empty field', null, ''],
    ['a destination with its name', { id: 'D-1', name: 'Instant payouts' }, 'Instant payouts'],
    ['an id without a name', { id: 'D-99' }, 'Unknown destination (D-99)'],
    ['an id with a null name', { id: 'D-99', name: null }, 'Unknown destination (D-99)'],
  ])('shows %s the same in Jira and in the app', (_, value, text) => {
    expect(fieldValueText(value)).toBe(text);
    expect(evaluate(value)).toBe(text);
  });
});
