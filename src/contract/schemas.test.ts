import type { ApiError, ResolverKey } from '.';
import { describeInvalid, PAYLOADS, type ParsedPayload } from './schemas';

function parsed<K extends ResolverKey>(key: K, payload: unknown): ParsedPayload<K> {
  const result = PAYLOADS[key].safeParse(payload);
  if (!result.success) throw new Error(`expected a valid payload, got ${describeInvalid(result.error).message}`);
  return result.data as ParsedPayload<K>;
}
function problem(key: ResolverKey, payload: unknown): ApiError {
  const result = PAYLOADS[key].safeParse(payload);
  if (result.success) throw new Error('expected a refusal');
  return describeInvalid(result.error);
}

describe('the destination draft', () => {
  const draft = { name: 'Checkout in 3 clicks', businessOwner: 'owner-1', targetDate: '2027-03-31' };
  const valid = (input: object) => parsed('destinations/create', { draft: input }).draft;
  const refused = (input: unknown) => problem('destinations/create', { draft: input });

  it('trims the name and fills in an empty description', () => {
    expect(valid({ ...draft, name: '  Checkout in 3 clicks ' })).toEqual({ ...draft, description: '' });
  });

  it('refuses an empty or blank name, on the name field, with the form\'s sentence', () => {
    expect(refused({ ...draft, name: '   ' })).toEqual({ code: 'INVALID_INPUT', field: 'name', message: 'Give the destination a name.' });
    expect(refused({ ...draft, name: '\u200B' }).message).toBe('Give the destination a name.');
    expect(refused({ ...draft, name: undefined }).field).toBe('name');
  });

  it('accepts 120 characters of name and refuses 121, counting emoji as one', () => {
    expect(valid({ ...draft, name: '🚀'.repeat(120) }).name).toBe('🚀'.repeat(120));
    expect(refused({ ...draft, name: 'x'.repeat(121) })).toMatchObject({ field: 'name', message: 'Shorten the name to 120 characters or fewer (it has 121).' });
  });

  it('refuses a name with a control character or a line break', () => {
    expect(refused({ ...draft, name: 'Pay\nouts' })).toMatchObject({ field: 'name', message: expect.stringContaining('retype it as plain text on one line') });
  });

  it('refuses a description over 2000 characters or with control characters, and normalises line breaks', () => {
    expect(valid({ ...draft, description: 'x'.repeat(2000) }).description).toHaveLength(2000);
    expect(refused({ ...draft, description: 'x'.repeat(2001) }).field).toBe('description');
    expect(refused({ ...draft, description: 'bell\u0007' }).field).toBe('description');
    expect(refused({ ...draft, description: 42 }).field).toBe('description');
    expect(valid({ ...draft, description: 'line 1\r\nline 2\tend ' }).description).toBe('line 1\nline 2\tend');
  });

  it('requires a business owner', () => {
    expect(refused({ ...draft, businessOwner: '' }).field).toBe('businessOwner');
    expect(refused({ ...draft, businessOwner: undefined }).field).toBe('businessOwner');
    expect(refused({ ...draft, businessOwner: 'two words' }).field).toBe('businessOwner');
  });

  it('drops an empty delivery lead and refuses one that is not an account id', () => {
    expect(valid({ ...draft, deliveryLead: '' }).deliveryLead).toBeUndefined();
    expect(valid({ ...draft, deliveryLead: ' lead-1 ' }).deliveryLead).toBe('lead-1');
    expect(refused({ ...draft, deliveryLead: 42 }).field).toBe('deliveryLead');
    expect(refused({ ...draft, deliveryLead: 'a\u0000b' }).field).toBe('deliveryLead');
  });

  it('refuses a target date that is missing or not a real calendar date', () => {
    expect(refused({ ...draft, targetDate: '' })).toMatchObject({ field: 'targetDate', message: expect.stringContaining('Set a target date') });
    expect(refused({ ...draft, targetDate: undefined }).field).toBe('targetDate');
    expect(refused({ ...draft, targetDate: '2026-02-30' })).toEqual({
      code: 'INVALID_INPUT', field: 'targetDate', message: 'The target date 2026-02-30 is not a real calendar date; use YYYY-MM-DD.',
    });
  });

  it('accepts a start date on the target date and refuses one after it or not a date', () => {
    expect(valid({ ...draft, startDate: draft.targetDate }).startDate).toBe(draft.targetDate);
    expect(valid({ ...draft, startDate: '' }).startDate).toBeUndefined();
    expect(refused({ ...draft, startDate: '2027-04-01' })).toMatchObject({
      field: 'startDate', message: 'The start date 2027-04-01 is after the target date 2027-03-31; move one of them.',
    });
    expect(refused({ ...draft, startDate: '2027-13-01' }).field).toBe('startDate');
  });

  it('refuses archived or unknown statuses', () => {
    expect(refused({ ...draft, status: 'archived' })).toMatchObject({ field: 'status', message: 'To archive a destination use Archive, not Save.' });
    expect(refused({ ...draft, status: 'done' })).toMatchObject({ field: 'status', message: 'The status must be one of draft, active, achieved.' });
  });

  it('refuses something that is not an object, or carries an unknown property', () => {
    expect(refused('Checkout')).toMatchObject({ field: 'draft', message: 'The destination is missing or not an object.' });
    expect(refused({ ...draft, colour: 'red' }).code).toBe('INVALID_INPUT');
  });
});

describe('the settings', () => {
  const settings = { projectKeys: ['ABC', 'SHOP_2'], estimateField: { kind: 'auto' }, throughputWeeks: 12, onTrackChance: 70, atRiskChance: 30 };
  const valid = (input: object) => parsed('settings/save', { settings: input, version: 3 }).settings;
  const refused = (input: unknown) => problem('settings/save', { settings: input, version: 3 });

  it('accepts valid settings as they are', () => {
    expect(valid(settings)).toEqual(settings);
  });

  it('accepts an empty project list, meaning every project', () => {
    expect(valid({ ...settings, projectKeys: [] }).projectKeys).toEqual([]);
  });

  it('upper-cases and trims project keys as people type them', () => {
    expect(valid({ ...settings, projectKeys: [' abc '] }).projectKeys).toEqual(['ABC']);
  });

  it('refuses a project key Jira could not have, pointing at its position', () => {
    expect(refused({ ...settings, projectKeys: ['ABC', '1AB'] }).field).toBe('projectKeys.1');
    expect(refused({ ...settings, projectKeys: ['A'] }).field).toBe('projectKeys.0');
    expect(refused({ ...settings, projectKeys: ['ABCDEFGHIJK'] }).field).toBe('projectKeys.0');
    expect(refused({ ...settings, projectKeys: [7] })).toMatchObject({ field: 'projectKeys.0', message: expect.stringContaining('"7" is not a Jira project key') });
  });

  it('refuses a project listed twice', () => {
    expect(refused({ ...settings, projectKeys: ['ABC', 'abc'] })).toMatchObject({ field: 'projectKeys.1', message: 'Project ABC is listed twice.' });
  });

  it('refuses project keys that are not a list', () => {
    expect(refused({ ...settings, projectKeys: 'ABC' }).field).toBe('projectKeys');
  });

  it('needs a customfield id for story points and keeps it', () => {
    expect(refused({ ...settings, estimateField: { kind: 'points' } }).field).toBe('estimateField.fieldId');
    expect(refused({ ...settings, estimateField: { kind: 'points', fieldId: 'storypoints' } }).field).toBe('estimateField.fieldId');
    expect(valid({ ...settings, estimateField: { kind: 'points', fieldId: 'customfield_10016' } }).estimateField).toEqual({ kind: 'points', fieldId: 'customfield_10016' });
  });

  it('drops stray properties from the estimate setting', () => {
    expect(valid({ ...settings, estimateField: { kind: 'none', fieldId: 'customfield_1' } }).estimateField).toEqual({ kind: 'none' });
  });

  it('refuses an unknown or missing estimate', () => {
    expect(refused({ ...settings, estimateField: { kind: 'hours' } })).toMatchObject({ field: 'estimateField.kind', message: 'The estimate must be one of auto, points, originalEstimate, none.' });
    expect(refused({ ...settings, estimateField: undefined })).toMatchObject({ field: 'estimateField', message: 'The estimate must be one of auto, points, originalEstimate, none.' });
  });

  it('accepts 1 and 52 throughput weeks and refuses 0, 53, fractions and strings', () => {
    expect(valid({ ...settings, throughputWeeks: 1 }).throughputWeeks).toBe(1);
    expect(valid({ ...settings, throughputWeeks: 52 }).throughputWeeks).toBe(52);
    for (const bad of [0, 53, 2.5, '12']) {
      expect(refused({ ...settings, throughputWeeks: bad })).toMatchObject({
        field: 'throughputWeeks', message: 'The throughput window must be a whole number of weeks from 1 to 52.',
      });
    }
  });

  it('refuses something that is not an object', () => {
    expect(refused(null)).toMatchObject({ field: 'settings', message: 'The settings are missing or not an object.' });
  });

  it('accepts chance thresholds at their limits, or left out', () => {
    expect(valid({ ...settings, onTrackChance: 100, atRiskChance: 99 })).toMatchObject({ onTrackChance: 100, atRiskChance: 99 });
    expect(valid({ ...settings, onTrackChance: 1, atRiskChance: 0 })).toMatchObject({ onTrackChance: 1, atRiskChance: 0 });
    expect(valid({ ...settings, onTrackChance: undefined, atRiskChance: undefined })).not.toHaveProperty('onTrackChance', expect.anything());
  });

  it('refuses a chance threshold that is not a whole percent within its limits', () => {
    for (const bad of [0, 101, 70.5, '70', null]) expect(refused({ ...settings, onTrackChance: bad }).field).toBe('onTrackChance');
    for (const bad of [-1, 100, 29.5]) expect(refused({ ...settings, atRiskChance: bad }).field).toBe('atRiskChance');
  });
});

describe('describeInvalid', () => {
  it('puts the path in front of a fragment and says a sentence as it is', () => {
    expect(problem('destinations/update', { id: 'D-1', version: -1, draft: {} })).toEqual({ code: 'INVALID_INPUT', field: 'version', message: 'version must be a version number' });
    expect(problem('epic/alignment', { issueKey: 'pay-1' })).toEqual({ code: 'INVALID_INPUT', field: 'issueKey', message: 'issueKey must be an issue key such as PAY-12' });
  });
});

describe('the portfolio calls', () => {
  it('take a page from 1, and say so plainly for anything else', () => {
    expect(parsed('portfolio/get', { page: 3, status: ['active'] })).toEqual({ page: 3, status: ['active'] });
    for (const page of [0, 1.5, '2', -1]) {
      expect(problem('portfolio/get', { page })).toEqual({ code: 'INVALID_INPUT', field: 'page', message: 'The page must be a whole number from 1.' });
    }
  });

  it('list a destination\'s epics only when told which, a page of at most 200 from a whole offset', () => {
    expect(parsed('portfolio/epics', { destinationId: ' D-4 ', offset: 50, limit: 200 })).toEqual({ destinationId: 'D-4', offset: 50, limit: 200 });
    expect(problem('portfolio/epics', {})).toMatchObject({ field: 'destinationId' });
    expect(problem('portfolio/epics', undefined)).toEqual({ code: 'INVALID_INPUT', message: 'Say which destination\'s epics to list.' });
    expect(problem('portfolio/epics', { destinationId: 'PAY-1' })).toMatchObject({ field: 'destinationId', message: 'destinationId must be a destination id such as D-3' });
    expect(problem('portfolio/epics', { destinationId: 'D-1', limit: 201 })).toMatchObject({ field: 'limit', message: 'The limit must be a whole number from 1 to 200.' });
    expect(problem('portfolio/epics', { destinationId: 'D-1', offset: -1 })).toMatchObject({ field: 'offset', message: 'The offset must be a whole number from 0.' });
    expect(problem('portfolio/off-route', { projectKey: 'pay!' })).toMatchObject({ field: 'projectKey' });
    expect(problem('portfolio/off-route', { destinationId: 'D-1' }).code).toBe('INVALID_INPUT');
  });

  it('link a verdict\'s work only for a verdict the app gives, with the page\'s filters', () => {
    expect(parsed('portfolio/jql', { verdict: 'at risk', owner: 'u-1' })).toEqual({ verdict: 'at risk', owner: 'u-1' });
    expect(problem('portfolio/jql', { verdict: 'late' })).toEqual({
      code: 'INVALID_INPUT', field: 'verdict', message: 'The verdict must be one of on track, at risk, off track, arrived, no data.',
    });
    expect(problem('portfolio/jql', {})).toMatchObject({ field: 'verdict' });
    expect(problem('portfolio/export', { page: 2 }).code).toBe('INVALID_INPUT');
  });
});

describe('the trip over time: success measure, cadence, check-ins, concerns', () => {
  const draft = { name: 'Payouts', businessOwner: 'u-1', targetDate: '2027-01-01' };
  const withMeasure = (successMeasure: unknown) => ({ draft: { ...draft, successMeasure } });

  it('accepts a success measure, trimmed, with an empty unit when none is given', () => {
    expect(parsed('destinations/create', withMeasure({ name: ' Paid in a minute ', baseline: 20, target: 95 })).draft.successMeasure)
      .toEqual({ name: 'Paid in a minute', unit: '', baseline: 20, target: 95 });
  });

  it('refuses a measure without a name, over its limits, not finite, or whose target is its baseline', () => {
    expect(problem('destinations/create', withMeasure({ name: ' ', unit: '%', baseline: 1, target: 2 }))).toMatchObject({ field: 'successMeasure.name' });
    expect(problem('destinations/create', withMeasure({ name: 'x'.repeat(121), unit: '%', baseline: 1, target: 2 }))).toMatchObject({ field: 'successMeasure.name' });
    expect(parsed('destinations/create', withMeasure({ name: 'x'.repeat(120), unit: 'u'.repeat(20), baseline: 1, target: 2 })).draft.successMeasure?.unit).toHaveLength(20);
    expect(problem('destinations/create', withMeasure({ name: 'n', unit: 'u'.repeat(21), baseline: 1, target: 2 }))).toMatchObject({ field: 'successMeasure.unit' });
    expect(problem('destinations/create', withMeasure({ name: 'n', unit: '', baseline: Infinity, target: 2 }))).toMatchObject({ field: 'successMeasure.baseline' });
    expect(problem('destinations/create', withMeasure({ name: 'n', unit: '', baseline: 1, target: '2' }))).toMatchObject({ field: 'successMeasure.target' });
    expect(problem('destinations/create', withMeasure({ name: 'n', unit: '', baseline: 5, target: 5 }))).toMatchObject({ field: 'successMeasure.target', message: expect.stringContaining('differ') });
    expect(problem('destinations/create', withMeasure({ name: 'n', unit: '', baseline: 1, target: 2, extra: 1 }))).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('takes a check-in cadence of 1 to 12 whole weeks, or none (kept as it is)', () => {
    const settings = { projectKeys: [], estimateField: { kind: 'auto' }, throughputWeeks: 12 };
    expect(parsed('settings/save', { settings: { ...settings, checkInCadenceWeeks: 12 }, version: 1 }).settings.checkInCadenceWeeks).toBe(12);
    expect(parsed('settings/save', { settings, version: 1 }).settings.checkInCadenceWeeks).toBeUndefined();
    for (const bad of [0, 13, 1.5, '2']) {
      expect(problem('settings/save', { settings: { ...settings, checkInCadenceWeeks: bad }, version: 1 })).toMatchObject({ field: 'checkInCadenceWeeks', message: expect.stringContaining('1 to 12') });
    }
  });

  it('checks check-in and concern payloads', () => {
    expect(parsed('trip/check-in', { destinationId: 'D-1', status: 'at risk', note: 'n', measure: 3.5 })).toMatchObject({ measure: 3.5 });
    expect(problem('trip/check-in', { destinationId: 'D-1', status: 'fine', note: '' })).toMatchObject({ field: 'status' });
    expect(problem('trip/check-in', { destinationId: 'D-1', status: 'on track', note: '', measure: NaN })).toMatchObject({ field: 'measure' });
    expect(parsed('trip/respond', { destinationId: 'D-1', concernId: 'C-3' }).close).toBe(false);
    expect(problem('trip/respond', { destinationId: 'D-1', concernId: 'C-0' })).toMatchObject({ field: 'concernId' });
    expect(problem('concern/raise', { issueKey: 'PAY-1', text: 'x'.repeat(2001) })).toMatchObject({ field: 'text' });
  });
});
