import { addDays } from './dates';
import { forecast, weeklyThroughput } from './forecast';

const today = '2026-11-25';
const daysAgo = (...days: number[]): string[] => days.map((d) => addDays(today, -d));
/** `perWeek[i]` items done in the week `i` weeks ago (i = 0 is the week ending today). */
const doneByWeek = (...perWeek: number[]): string[] =>
  perWeek.flatMap((count, weeksAgo) => daysAgo(...new Array<number>(count).fill(weeksAgo * 7 + 1)));

const base = { today, windowWeeks: 4, total: 20, targetDate: '2026-12-31' };

describe('weeklyThroughput', () => {
  it('counts today in the newest week and lists the weeks oldest first', () => {
    expect(weeklyThroughput(daysAgo(0, 6, 7, 27), today, 4)).toEqual([1, 0, 1, 2]);
  });

  it('ignores done dates before the window, after today, or unreadable', () => {
    expect(weeklyThroughput([...daysAgo(28, -1), 'soon', '2026-02-30'], today, 4)).toEqual([0, 0, 0, 0]);
  });

  it('reads Jira resolution instants by their UTC date', () => {
    // 00:30 at +01:00 on 19 Nov is 23:30 UTC on 18 Nov: 7 days before today, so the second-newest week.
    expect(weeklyThroughput(['2026-11-19T00:30:00.000+0100'], today, 2)).toEqual([1, 0]);
  });
});

describe('forecast', () => {
  it('says no data when the destination has no work at all', () => {
    const f = forecast({ ...base, doneDates: [], remaining: 0, total: 0 });
    expect(f.verdict).toBe('no data');
    expect(f.forecastDate).toBeNull();
  });

  it('says arrived when nothing remains, whatever the throughput', () => {
    const f = forecast({ ...base, doneDates: daysAgo(400), remaining: 0, total: 5 });
    expect(f.verdict).toBe('arrived');
    expect(f.reason).toBe('All 5 items are done.');
  });

  it('says no data, and why, when no work finished in the window', () => {
    const f = forecast({ ...base, doneDates: daysAgo(28, 40), remaining: 3 });
    expect(f.verdict).toBe('no data');
    expect(f.throughputPerWeek).toBe(0);
    expect(f.reason).toContain('No work finished in the last 4 weeks');
  });

  it('forecasts today plus remaining over weekly throughput, in days rounded up', () => {
    // 3 done in 4 weeks is 0.75 a week: 1 remaining item takes 7 / 0.75 = 9.33 days, so 10.
    const f = forecast({ ...base, doneDates: doneByWeek(1, 1, 1, 0), remaining: 1 });
    expect(f.throughputPerWeek).toBe(0.75);
    expect(f.forecastDate).toBe('2026-12-05');
  });

  it('is on track when both the mean and the pessimistic forecast meet the target', () => {
    const f = forecast({ ...base, doneDates: doneByWeek(2, 2, 2, 2), remaining: 4 });
    expect(f.verdict).toBe('on track');
    expect(f.forecastDate).toBe('2026-12-09');
    expect(f.pessimisticDate).toBe('2026-12-09');
    expect(f.reason).toContain('At 2 items a week (last 4 weeks), the 4 remaining items finish by 2026-12-09');
  });

  it('is at risk when the mean forecast meets the target but the slower half of the weeks would not', () => {
    // Mean 2 a week → 14 days; slower half (1 and 1) → 1 a week → 28 days.
    const f = forecast({ ...base, doneDates: doneByWeek(3, 1, 3, 1), remaining: 4, targetDate: '2026-12-15' });
    expect(f.verdict).toBe('at risk');
    expect(f.forecastDate).toBe('2026-12-09');
    expect(f.pessimisticDate).toBe('2026-12-23');
  });

  it('is at risk when the slower half of the weeks finished nothing', () => {
    const f = forecast({ ...base, doneDates: doneByWeek(4, 0, 4, 0), remaining: 2 });
    expect(f.verdict).toBe('at risk');
    expect(f.pessimisticDate).toBeNull();
    expect(f.reason).toContain('the slower half of the weeks finished nothing');
  });

  it('is at risk up to 14 days late and off track from 15', () => {
    const steady = { ...base, doneDates: doneByWeek(2, 2, 2, 2), remaining: 4 }; // forecast 2026-12-09
    expect(forecast({ ...steady, targetDate: '2026-11-25' }).verdict).toBe('at risk');
    const late = forecast({ ...steady, targetDate: '2026-11-24' });
    expect(late.verdict).toBe('off track');
    expect(late.reason).toContain('15 days after the target 2026-11-24');
  });

  it('is off track when the target date has already passed by weeks', () => {
    const f = forecast({ ...base, doneDates: doneByWeek(5, 5, 5, 5), remaining: 1, targetDate: '2026-10-01' });
    expect(f.verdict).toBe('off track');
  });
});
