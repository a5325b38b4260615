import { addDays } from './dates';
import { forecastRange } from './forecast-range';

const today = '2026-11-25';

describe('forecastRange', () => {
  it('gives one date when every past week delivered the same', () => {
    const result = forecastRange({ weekly: [5, 5, 5, 5], remaining: 50, today, targetDate: addDays(today, 70) });
    expect(result).toEqual({
      forecastDate: addDays(today, 70),
      range: { likelyFrom: addDays(today, 70), likelyTo: addDays(today, 70), probabilityByTarget: 1, method: 'monte carlo' },
    });
    expect(forecastRange({ weekly: [5, 5, 5, 5], remaining: 50, today, targetDate: addDays(today, 69) })?.range.probabilityByTarget).toBe(0);
  });

  it('widens the range for lumpy delivery, as the odds of drawing a productive week say', () => {
    // One week in four delivered all 10 items: the chance to be done within k weeks is 1 − 0.75^k.
    // So the median is 3 weeks (1 − 0.75³ ≈ 58%), the likely range 1 week (25% ≥ 15%) to 7 weeks (87% ≥ 85%).
    const result = forecastRange({ weekly: [0, 0, 0, 10], remaining: 10, today, targetDate: addDays(today, 28) });
    expect(result?.forecastDate).toBe(addDays(today, 3 * 7));
    expect(result?.range.likelyFrom).toBe(addDays(today, 7));
    expect(result?.range.likelyTo).toBe(addDays(today, 7 * 7));
    expect(result?.range.probabilityByTarget).toBeCloseTo(1 - 0.75 ** 4, 1);
  });

  it('gives the chance in whole percent, the number every view shows', () => {
    const result = forecastRange({ weekly: [1, 4, 0, 2, 7, 3], remaining: 40, today, targetDate: '2027-03-01' });
    const chance = result?.range.probabilityByTarget ?? Number.NaN;
    expect(Math.round(chance * 100) / 100).toBe(chance);
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
    const result = forecastRange({ weekly: [2, 2, 2, 2], remaining: 600, today, targetDate: addDays(today, 7 * 250) });
    expect(result?.forecastDate).toBe(addDays(today, 300 * 7));
    expect(result?.range).toMatchObject({ method: 'normal approximation', likelyFrom: addDays(today, 300 * 7), likelyTo: addDays(today, 300 * 7), probabilityByTarget: 0 });
  });

  it('puts the chance at zero when the target date has passed', () => {
    expect(forecastRange({ weekly: [5, 5], remaining: 5, today, targetDate: '2026-11-01' })?.range.probabilityByTarget).toBe(0);
  });

  it('leaves the percentile dates empty beyond ten years', () => {
    const result = forecastRange({ weekly: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0], remaining: 1000, today, targetDate: '2030-01-01' });
    expect(result?.forecastDate).toBeNull();
    expect(result?.range.likelyTo).toBeNull();
    expect(result?.range.probabilityByTarget).toBe(0);
  });
});
