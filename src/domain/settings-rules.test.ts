import type { Result } from './errors';
import { validateSettings } from './settings-rules';

const valid = { projectKeys: ['ABC', 'SHOP_2'], estimateField: { kind: 'auto' }, throughputWeeks: 12, onTrackChance: 70, atRiskChance: 30 };
const errorOf = <T>(r: Result<T>) => (r.ok ? undefined : r.error);

describe('validateSettings', () => {
  it('accepts valid settings and returns them without a version', () => {
    expect(validateSettings({ ...valid, version: 3 })).toEqual({ ok: true, value: valid });
  });

  it('accepts an empty project list, meaning every project', () => {
    expect(validateSettings({ ...valid, projectKeys: [] }).ok).toBe(true);
  });

  it('upper-cases and trims project keys as people type them', () => {
    const r = validateSettings({ ...valid, projectKeys: [' abc '] });
    expect(r.ok && r.value.projectKeys).toEqual(['ABC']);
  });

  it('refuses a project key Jira could not have, pointing at its position', () => {
    expect(errorOf(validateSettings({ ...valid, projectKeys: ['ABC', '1AB'] }))?.field).toBe('projectKeys.1');
    expect(errorOf(validateSettings({ ...valid, projectKeys: ['A'] }))?.field).toBe('projectKeys.0');
    expect(errorOf(validateSettings({ ...valid, projectKeys: ['ABCDEFGHIJK'] }))?.field).toBe('projectKeys.0');
    expect(errorOf(validateSettings({ ...valid, projectKeys: [7] }))?.field).toBe('projectKeys.0');
  });

  it('refuses a project listed twice', () => {
    expect(errorOf(validateSettings({ ...valid, projectKeys: ['ABC', 'abc'] }))).toMatchObject({ field: 'projectKeys.1', message: 'Project ABC is listed twice.' });
  });

  it('refuses project keys that are not a list', () => {
    expect(errorOf(validateSettings({ ...valid, projectKeys: 'ABC' }))?.field).toBe('projectKeys');
  });

  it('needs a customfield id for story points and keeps it', () => {
    expect(errorOf(validateSettings({ ...valid, estimateField: { kind: 'points' } }))?.field).toBe('estimateField.fieldId');
    expect(errorOf(validateSettings({ ...valid, estimateField: { kind: 'points', fieldId: 'storypoints' } }))?.field).toBe('estimateField.fieldId');
    const r = validateSettings({ ...valid, estimateField: { kind: 'points', fieldId: 'customfield_10016' } });
    expect(r.ok && r.value.estimateField).toEqual({ kind: 'points', fieldId: 'customfield_10016' });
  });

  it('drops stray properties from the estimate setting', () => {
    const r = validateSettings({ ...valid, estimateField: { kind: 'none', fieldId: 'customfield_1' } });
    expect(r.ok && r.value.estimateField).toEqual({ kind: 'none' });
  });

  it('refuses an unknown estimate kind', () => {
    expect(errorOf(validateSettings({ ...valid, estimateField: { kind: 'hours' } }))?.field).toBe('estimateField.kind');
    expect(errorOf(validateSettings({ ...valid, estimateField: undefined }))?.field).toBe('estimateField.kind');
  });

  it('accepts 1 and 52 throughput weeks and refuses 0, 53, fractions and strings', () => {
    expect(validateSettings({ ...valid, throughputWeeks: 1 }).ok).toBe(true);
    expect(validateSettings({ ...valid, throughputWeeks: 52 }).ok).toBe(true);
    for (const bad of [0, 53, 2.5, '12']) {
      expect(errorOf(validateSettings({ ...valid, throughputWeeks: bad }))?.field).toBe('throughputWeeks');
    }
  });

  it('refuses something that is not an object', () => {
    expect(errorOf(validateSettings(null))?.field).toBe('settings');
  });

  it('accepts chance thresholds at their limits, in whole percent', () => {
    expect(validateSettings({ ...valid, onTrackChance: 100, atRiskChance: 99 }).ok).toBe(true);
    expect(validateSettings({ ...valid, onTrackChance: 1, atRiskChance: 0 }).ok).toBe(true);
  });

  it('refuses a chance threshold that is not a whole percent within its limits', () => {
    for (const bad of [0, 101, 70.5, '70', null]) {
      expect(errorOf(validateSettings({ ...valid, onTrackChance: bad }))?.field).toBe('onTrackChance');
    }
    for (const bad of [-1, 100, 29.5, undefined]) {
      expect(errorOf(validateSettings({ ...valid, atRiskChance: bad }))?.field).toBe('atRiskChance');
    }
  });

  it('refuses an at-risk threshold that is not below the on-track one, saying why', () => {
    expect(errorOf(validateSettings({ ...valid, onTrackChance: 50, atRiskChance: 50 }))).toMatchObject({
      field: 'atRiskChance',
      message: '"At risk" must start below "on track" (50%), or no destination could be at risk.',
    });
  });
});
