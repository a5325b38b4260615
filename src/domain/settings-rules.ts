/**
 * The rule of the settings that spans fields: the edge's schema has checked each field (project keys
 * upper-cased and unique, the estimate, whole numbers within `SETTINGS_LIMITS`), and the service has filled
 * a threshold the caller left out with its stored value, so the two thresholds are compared here.
 */
import { fail, ok, type Result } from './errors';
import type { Settings } from './types';

export function validateSettings(input: Omit<Settings, 'version'>): Result<Omit<Settings, 'version'>> {
  if (input.atRiskChance >= input.onTrackChance) {
    return fail('INVALID_INPUT', `"At risk" must start below "on track" (${input.onTrackChance}%), or no destination could be at risk.`, 'atRiskChance');
  }
  return ok(input);
}
