/**
 * The local platform reads the field's and panel's display conditions, edit validation and formatter from the
 * manifest, and refuses what it would not honour rather than ignore it (Jira would act on it; we could not).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { readManifest } from './manifest';

const ROOT = path.join(__dirname, '../..');
const FIELD = ['modules', 'jira:customField', 0];
const PANEL = ['modules', 'jira:issuePanel', 0];

/** The real manifest with one edit, read by the local platform from a temp folder. */
function readEdited(edit: (doc: YAML.Document) => void) {
  const doc = YAML.parseDocument(readFileSync(path.join(ROOT, 'manifest.yml'), 'utf8'));
  edit(doc);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'manifest-'));
  try {
    writeFileSync(path.join(dir, 'manifest.yml'), doc.toString());
    return readManifest(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const epic = { id: 10001, key: 'PAY-1', issueType: { id: '1', name: 'Initiative epic', hierarchyLevel: 1 } };
const story = { id: 10002, key: 'PAY-2', issueType: { id: '2', name: 'Story', hierarchyLevel: 0 } };
const vars = (issue: unknown, value: unknown) => ({ value, issue, project: { id: '1', key: 'PAY' }, user: { accountId: 'u' }, fieldId: 'customfield_1' });

describe('the manifest as the local platform reads it', () => {
  const manifest = readManifest(ROOT);

  it('validates the field by hierarchy level: a value on a non-epic is refused with the manifest message', () => {
    const field = manifest.field;
    expect(field?.validate(vars(epic, { id: 'D-1', name: 'x' }))).toBeNull();
    expect(field?.validate(vars(story, null))).toBeNull();
    expect(field?.validate(vars(story, { id: 'D-1', name: 'x' }))).toMatch(/Only epics serve a business destination/);
    // The type unknown (no issue): refused rather than guessed.
    expect(field?.validate(vars(null, { id: 'D-1' }))).toMatch(/Only epics/);
  });

  it('shows the panel and the field by hierarchy level, whatever the epic type is called', () => {
    const panel = manifest.surfaces.get('destination-panel');
    const field = manifest.surfaces.get('business-destination-field');
    const on = (issue: typeof epic) => ({ issue: { ...issue, id: String(issue.id) }, project: { id: '1', key: 'PAY' }, user: { accountId: 'u' } });
    expect(panel?.displayCondition?.(on(epic))).toBe(true);
    expect(panel?.displayCondition?.(on(story))).toBe(false);
    expect(field?.displayCondition?.(on(epic))).toBe(true);
    expect(field?.displayCondition?.(on(story))).toBe(false);
  });

  it.each([
    ['an edit key it does not honour (parser)', (d: YAML.Document) => d.setIn([...FIELD, 'edit', 'parser'], { expression: 'value' }), /edit has 'parser'/],
    ['a misspelt validation key', (d: YAML.Document) => d.setIn([...FIELD, 'edit', 'validation', 'errorMesage'], 'x'), /edit.validation has 'errorMesage'/],
    ['validation without an errorMessage', (d: YAML.Document) => d.deleteIn([...FIELD, 'edit', 'validation', 'errorMessage']), /needs an expression and an errorMessage/],
    ['a validation expression outside the subset', (d: YAML.Document) => d.setIn([...FIELD, 'edit', 'validation', 'expression'], 'issue.issueType.hierarchyLevel >= 1'), /edit.validation.expression.*outside/],
    ['a formatter expression outside the subset', (d: YAML.Document) => d.setIn([...FIELD, 'view', 'formatter', 'expression'], '`${value.name}`'), /formatter.expression.*outside/],
    ['a view resource (UI Kit view, not hosted)', (d: YAML.Document) => d.setIn([...FIELD, 'view', 'resource'], 'field-edit'), /view has 'resource'/],
    ['a field display condition it does not evaluate', (d: YAML.Document) => d.setIn([...FIELD, 'displayConditions', 'canEditIssues'], true), /'canEditIssues' is not a display condition/],
    ['a misspelt panel display condition', (d: YAML.Document) => d.setIn([...PANEL, 'displayConditions'], { jiraExpresion: 'true' }), /'jiraExpresion' is not a display condition/],
    ['a panel expression with a variable it does not get', (d: YAML.Document) => d.setIn([...PANEL, 'displayConditions', 'jiraExpression'], 'value == null'), /not a context variable/],
  ])('refuses %s when it loads', (_label, edit, message) => {
    expect(() => readEdited(edit)).toThrow(message);
  });

  it('loads the unedited manifest through the same path (control)', () => {
    expect(readEdited(() => undefined).field?.moduleKey).toBe('business-destination-field');
  });
});
