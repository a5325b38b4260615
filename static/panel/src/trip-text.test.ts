import { afterEach, describe, expect, it } from '@jest/globals';
import { MAX_CONCERN_TEXT, type CheckInView } from '../../../src/contract';
import { setLocale } from '../../common/format';
import { checkInMarkers, concernCount, speakerOf } from './trip-text';

afterEach(() => setLocale(undefined));

const checkIn = (role: 'owner' | 'lead', at: string): CheckInView => ({ by: `u-${role}`, byName: role, role, status: 'at risk', note: '', week: at.slice(0, 10), at });

describe('checkInMarkers', () => {
  it('marks the latest check-in of each role that has one, oldest first', () => {
    const owner = checkIn('owner', '2026-11-30T09:00:00.000Z');
    const lead = checkIn('lead', '2026-11-20T09:00:00.000Z');
    expect(checkInMarkers({ latest: { owner, lead } })).toEqual([lead, owner]);
    expect(checkInMarkers({ latest: { owner: null, lead } })).toEqual([lead]);
  });

  it('marks nothing before the voices answer or when nobody checked in', () => {
    expect(checkInMarkers(null)).toEqual([]);
    expect(checkInMarkers({ latest: { owner: null, lead: null } })).toEqual([]);
  });
});

describe('speakerOf', () => {
  const destination = { businessOwnerName: 'Lee Leader', deliveryLeadName: 'Dana Developer' };
  it('names the owner or the lead', () => {
    expect(speakerOf({ role: 'owner' }, destination)).toBe('Lee Leader (business owner)');
    expect(speakerOf({ role: 'lead' }, destination)).toBe('Dana Developer (delivery lead)');
    expect(speakerOf({ role: 'lead' }, { businessOwnerName: 'Lee Leader' })).toBe('The delivery lead');
  });
});

describe('concernCount', () => {
  it('counts as the backend does (trimmed) and says how many are too many', () => {
    setLocale('en_US');
    expect(concernCount('  hello \n')).toEqual({ length: 5, over: false, label: '5 of 1,000 characters' });
    expect(concernCount(`${'x'.repeat(MAX_CONCERN_TEXT)}   `)).toMatchObject({ over: false });
    expect(concernCount('x'.repeat(MAX_CONCERN_TEXT + 1))).toEqual({ length: MAX_CONCERN_TEXT + 1, over: true, label: '1 character too many (at most 1,000)' });
    expect(concernCount('x'.repeat(MAX_CONCERN_TEXT + 12)).label).toBe('12 characters too many (at most 1,000)');
  });
});
