import { addDays } from './dates';
import { forecastRange } from './forecast-range';

const today = '2026-11-25';

describe('forecastRange', () => {
  it('gives one date when every past week delivered the same', () => {
    const range = forecastRange({ weekly: [5, 5, 5, 5], remaining: 50, today, targetDate: addDays(today, 70) });
    expect(range).toEqual({ p50: addDays(today, 70), p85: addDays(today, 70), probabilityByTarget: 1, method: 'monte carlo' });
    expect(forecastRange({ weekly: [5, 5, 5, 5], remaining: 50, today, targetDate: addDays(today, 69) })?.probabilityByTarget).toBe(0);
  });

  it('widens the range for lumpy delivery, as the odds of drawing a productive week say', () => {
    // One week in four delivered all 10 items: the chance to be done within k weeks is 1 − 0.75^k.
    const range = forecastRange({ weekly: [0, 0, 0, 10], remaining: 10, today, targetDate: addDays(today, 28) });
    expect(range?.p50).toBe(addDays(today, 3 * 7));
    expect(range?.p85).toBe(addDays(today, 7 * 7));
    expect(range?.probabilityByTarget).toBeCloseTo(1 - 0.75 ** 4, 1);
  });

  it('is the same on every call for the same inputs', () => {
    const input = { weekly: [1, 4, 0, 2, 7, 3], remaining: 40, today, targetDate: '2027-03-01' };
    expect(forecastRange(input)).toEqual(forecastRange(input));
  });

  it('has nothing to say without a pace or without remaining work', () => {
    expect(forecastRange({ weekly: [0, 0, 0], remaining: 10, today, targetDate: '2027-01-01' })).toBeNull();
    expect(forecastRange({ weekly: [3, 3], remaining: 0, today, targetDate: '2027-01-01' })).toBeNull();
  });

  it('reads very long horizons from the normal approximation, agreeing with the mean pace', () => {
    const range = forecastRange({ weekly: [2, 2, 2, 2], remaining: 600, today, targetDate: addDays(today, 7 * 250) });
    expect(range).toMatchObject({ method: 'normal approximation', p50: addDays(today, 300 * 7), p85: addDays(today, 300 * 7), probabilityByTarget: 0 });
  });

  it('puts the chance at zero when the target date has passed', () => {
    expect(forecastRange({ weekly: [5, 5], remaining: 5, today, targetDate: '2026-11-01' })?.probabilityByTarget).toBe(0);
  });

  it('leaves the percentile dates empty beyond ten years', () => {
    const range = forecastRange({ weekly: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], remaining: 1000, today, targetDate: '2030-01-01' });
    expect(range?.p50).toBeNull();
    expect(range?.probabilityByTarget).toBe(0);
  });
});
