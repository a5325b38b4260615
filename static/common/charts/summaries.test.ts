import { afterEach, describe, expect, it } from '@jest/globals';
import type { CheckInView, SceneryTrend, TripHistory } from '../../../src/contract';
import { setLocale } from '../format';
import { burnUpSummary, measureSummary, scenerySummary, targetPace, type Reading } from './summaries';

afterEach(() => setLocale(undefined));

const forecast: TripHistory['forecast'] = {
  verdict: 'at risk', forecastDate: '2027-01-10', daysEarly: 0, daysLate: 21, throughputPerWeek: 2, remaining: 8, windowWeeks: 12, reason: '',
  range: { likelyFrom: '2026-12-28', likelyTo: '2027-01-25', probabilityByTarget: 0.35, method: 'monte carlo' },
};
const point = (date: string, done: number, scope: number) => ({ date, done, scope, doneEstimate: done * 2, scopeEstimate: scope * 2 });
const history = {
  burnUp: { step: 'week' as const, points: [point('2026-10-04', 1, 10), point('2026-11-29', 6, 14)] },
  targetDate: '2026-12-20',
  forecast,
};
const checkIn = (at: string, measure?: number): CheckInView => ({ by: 'u', byName: 'Lee', role: 'owner', status: 'on track', note: '', week: at.slice(0, 10), at, ...(measure === undefined ? {} : { measure }) });

describe('burnUpSummary', () => {
  it('says the first and last done, the scope, the target, the forecast range, its chance and the check-ins', () => {
    setLocale('en_US');
    expect(burnUpSummary({ history, name: 'Payouts', checkIns: [checkIn('2026-11-02T09:00:00Z')] })).toBe(
      'Burn-up of Payouts: done rose from 1 to 6 of 14 issues in scope between Oct 4, 2026 and Nov 29, 2026; target Dec 20, 2026; ' +
        'the pace to the target needed 10.5 done by Nov 29, 2026, 6 are; ' +
        "today's forecast is likely between Dec 28, 2026 and Jan 25, 2027, 35% chance by the target date; 1 check-in marked.",
    );
  });
  it('by estimate, and without history, forecast range or check-ins', () => {
    setLocale('en_US');
    expect(burnUpSummary({ history, name: 'Payouts' }, 'estimate')).toMatch(/done rose from 2 to 12 of 28 estimate in scope/);
    expect(burnUpSummary({ history: { ...history, burnUp: { step: 'day', points: [] }, forecast: { ...forecast, range: null } }, name: 'Payouts' })).toBe(
      'Burn-up of Payouts: no history yet; target Dec 20, 2026; no forecast range yet.',
    );
  });
});

describe('targetPace', () => {
  it('runs from the first day\'s done to all of today\'s scope on the target date, and says where it stands today', () => {
    // Oct 4 to Dec 20 is 77 days; Nov 29 is 56 of them: 1 + 13 * 56 / 77.
    expect(targetPace(history)).toEqual({ from: { date: '2026-10-04', value: 1 }, to: { date: '2026-12-20', value: 14 }, now: { date: '2026-11-29', value: 1 + (13 * 56) / 77 } });
    expect(targetPace(history, 'estimate')?.to.value).toBe(28);
  });
  it('has no "today" once the history reaches the target date, and no line without history or after the target', () => {
    expect(targetPace({ ...history, targetDate: '2026-11-29' })?.now).toBeNull();
    expect(targetPace({ ...history, targetDate: '2026-10-04' })).toBeNull();
    expect(targetPace({ ...history, burnUp: { step: 'day', points: [] } })).toBeNull();
  });
});

describe('measureSummary', () => {
  const measure = { name: 'Paid within a minute', unit: '%', baseline: 30, target: 60 };
  it('says the baseline, the target and the latest value', () => {
    setLocale('en_US');
    const readings = [checkIn('2026-10-05T09:00:00Z', 31), checkIn('2026-11-02T09:00:00Z', 38.25)] as Reading[];
    expect(measureSummary(measure, readings)).toBe('Paid within a minute: baseline 30 %, target 60 %; 2 values from check-ins, the latest 38.25 % on Nov 2, 2026.');
  });
  it('says when no value was given yet', () => {
    expect(measureSummary({ ...measure, unit: '' }, [])).toBe('Paid within a minute: baseline 30, target 60; no value given with a check-in yet.');
  });
});

describe('scenerySummary', () => {
  const p = (weekEnd: string, share: number | null) => ({ weekEnd, inFlight: share === null ? 0 : 100, offRoute: share ?? 0, share, reconstructed: false, jql: 'x' });
  const trend: SceneryTrend = { asOf: '2026-11-25', points: [p('2026-09-06', null), p('2026-09-13', 40), p('2026-11-25', 16)], projectKey: 'PAY', projects: ['PAY'], limits: '' };
  it('skips weeks with nothing in flight and names the project', () => {
    setLocale('en_US');
    expect(scenerySummary(trend)).toBe('Off-route share of work in flight in PAY, week by week: 40% in the week to Sep 13, 2026, 16% in the week to Nov 25, 2026.');
  });
  it('says when nothing was in flight', () => {
    expect(scenerySummary({ ...trend, projectKey: null, points: [p('2026-09-06', null)] })).toBe('Off-route share of work in flight: nothing in flight in the last week.');
  });
});
