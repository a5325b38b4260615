import { validateSettings } from './settings-rules';

const valid = { projectKeys: ['ABC', 'SHOP_2'], estimateField: { kind: 'auto' as const }, throughputWeeks: 12, onTrackChance: 70, atRiskChance: 30, checkInCadenceWeeks: 2 };

describe('validateSettings', () => {
  it('accepts settings whose at-risk threshold is below the on-track one', () => {
    expect(validateSettings(valid)).toEqual({ ok: true, value: valid });
    expect(validateSettings({ ...valid, onTrackChance: 100, atRiskChance: 99 }).ok).toBe(true);
    expect(validateSettings({ ...valid, onTrackChance: 1, atRiskChance: 0 }).ok).toBe(true);
  });

  it('refuses an at-risk threshold that is not below the on-track one, saying why', () => {
    expect(validateSettings({ ...valid, onTrackChance: 50, atRiskChance: 50 })).toMatchObject({
      ok: false,
      error: { field: 'atRiskChance', message: '"At risk" must start below "on track" (50%), or no destination could be at risk.' },
    });
  });
});
