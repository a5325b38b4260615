import { afterEach, describe, expect, it } from '@jest/globals';
import { MAX_CONCERN_TEXT } from '../../../src/contract';
import { setLocale } from '../../common/format';
import { burnUpSummary, chartSpan, concernCount, speakerOf } from './trip-text';

afterEach(() => setLocale(undefined));

const point = (date: string, done: number, scope: number) => ({ date, done, scope, doneEstimate: 0, scopeEstimate: 0 });

describe('burnUpSummary', () => {
  it('says where done and scope stand now and started, and the target date', () => {
    setLocale('en_US');
    const history = { targetDate: '2026-12-20', burnUp: { step: 'week' as const, points: [point('2026-09-06', 0, 1), point('2026-11-29', 4, 9)] } };
    expect(burnUpSummary('Faster checkout', history)).toBe(
      'Burn-up of Faster checkout: on Nov 29, 2026, 4 of 9 issues done; on Sep 6, 2026, 0 of 1 issue; target date Dec 20, 2026.',
    );
  });

  it('says there is no history rather than nothing', () => {
    setLocale('en_US');
    expect(burnUpSummary('X', { targetDate: '2027-01-04', burnUp: { step: 'day', points: [] } })).toBe('Burn-up of X: no history yet; target date Jan 4, 2027.');
  });
});

describe('chartSpan', () => {
  it('widens the span to a target date before, inside or after the points', () => {
    expect(chartSpan('2026-09-01', '2026-11-29', '2026-12-20')).toEqual(['2026-09-01', '2026-12-20']);
    expect(chartSpan('2026-09-01', '2026-11-29', '2026-10-01')).toEqual(['2026-09-01', '2026-11-29']);
    expect(chartSpan('2026-09-01', '2026-11-29', '2026-08-01')).toEqual(['2026-08-01', '2026-11-29']);
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
