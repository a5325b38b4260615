/**
 * Validation of the app's settings as an admin submits them. Project keys are upper-cased (Jira keys are
 * upper case, and people type `abc`), everything else must already be right.
 */
import { fail, ok, type Result } from './errors';
import { SETTINGS_LIMITS, type EstimateFieldSetting, type Settings } from './types';

const PROJECT_KEY = /^[A-Z][A-Z0-9_]{1,9}$/;
const CUSTOM_FIELD_ID = /^customfield_\d+$/;
const ESTIMATE_KINDS: ReadonlyArray<EstimateFieldSetting['kind']> = ['auto', 'points', 'originalEstimate', 'none'];
export const THROUGHPUT_WEEKS_MIN = SETTINGS_LIMITS.throughputWeeks.min;
export const THROUGHPUT_WEEKS_MAX = SETTINGS_LIMITS.throughputWeeks.max;

export function validateSettings(input: unknown): Result<Omit<Settings, 'version'>> {
  if (!isRecord(input)) return fail('INVALID_INPUT', 'The settings are missing or not an object.', 'settings');

  if (!Array.isArray(input.projectKeys)) {
    return fail('INVALID_INPUT', 'Projects in scope must be a list of project keys (empty for every project).', 'projectKeys');
  }
  const projectKeys: string[] = [];
  for (const [i, raw] of input.projectKeys.entries()) {
    const key = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
    if (!PROJECT_KEY.test(key)) {
      return fail('INVALID_INPUT', `"${String(raw)}" is not a Jira project key (2 to 10 letters, digits or _, starting with a letter).`, `projectKeys.${i}`);
    }
    if (projectKeys.includes(key)) return fail('INVALID_INPUT', `Project ${key} is listed twice.`, `projectKeys.${i}`);
    projectKeys.push(key);
  }

  const estimateField = validateEstimateField(input.estimateField);
  if (!estimateField.ok) return estimateField;

  const weeks = input.throughputWeeks;
  if (typeof weeks !== 'number' || !Number.isInteger(weeks) || weeks < THROUGHPUT_WEEKS_MIN || weeks > THROUGHPUT_WEEKS_MAX) {
    return fail('INVALID_INPUT', `The throughput window must be a whole number of weeks from ${THROUGHPUT_WEEKS_MIN} to ${THROUGHPUT_WEEKS_MAX}.`, 'throughputWeeks');
  }

  const onTrack = input.onTrackChance;
  const onTrackLimits = SETTINGS_LIMITS.onTrackChance;
  if (!isWholeWithin(onTrack, onTrackLimits)) {
    return fail('INVALID_INPUT', `"On track" needs a whole-percent chance from ${onTrackLimits.min} to ${onTrackLimits.max}.`, 'onTrackChance');
  }
  const atRisk = input.atRiskChance;
  const atRiskLimits = SETTINGS_LIMITS.atRiskChance;
  if (!isWholeWithin(atRisk, atRiskLimits)) {
    return fail('INVALID_INPUT', `"At risk" needs a whole-percent chance from ${atRiskLimits.min} to ${atRiskLimits.max}.`, 'atRiskChance');
  }
  if (atRisk >= onTrack) {
    return fail('INVALID_INPUT', `"At risk" must start below "on track" (${onTrack}%), or no destination could be at risk.`, 'atRiskChance');
  }

  return ok({ projectKeys, estimateField: estimateField.value, throughputWeeks: weeks, onTrackChance: onTrack, atRiskChance: atRisk });
}

function validateEstimateField(raw: unknown): Result<EstimateFieldSetting> {
  const kind = isRecord(raw) ? raw.kind : undefined;
  switch (kind) {
    case 'auto':
    case 'originalEstimate':
    case 'none':
      // Rebuilt rather than passed through, so stray properties never reach storage.
      return ok({ kind });
    case 'points': {
      const fieldId = isRecord(raw) ? raw.fieldId : undefined;
      if (typeof fieldId !== 'string' || !CUSTOM_FIELD_ID.test(fieldId)) {
        return fail('INVALID_INPUT', 'Choose the story points field (an id like customfield_10016).', 'estimateField.fieldId');
      }
      return ok({ kind, fieldId });
    }
    default:
      return fail('INVALID_INPUT', `The estimate must be one of ${ESTIMATE_KINDS.join(', ')}.`, 'estimateField.kind');
  }
}

function isWholeWithin(value: unknown, limits: { min: number; max: number }): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= limits.min && value <= limits.max;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
