import fc from 'fast-check';
import { addDays, diffDays } from './dates';
import { forecast, verdictOf, weeklyThroughput } from './forecast';

const today = '2026-11-25';
const daysAgo = (...days: number[]): string[] => days.map((d) => addDays(today, -d));
/** `perWeek[i]` items done in the week `i` weeks ago (i = 0 is the week ending today). */
const doneByWeek = (...perWeek: number[]): string[] =>
  perWeek.flatMap((count, weeksAgo) => daysAgo(...new Array<number>(count).fill(weeksAgo * 7 + 1)));

const base = { today, windowWeeks: 4, total: 20, targetDate: '2026-12-31', thresholds: { onTrackChance: 70, atRiskChance: 30 } };

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

  it('forecasts the median arrival of futures replayed from past weeks, inside its likely range', () => {
    // Steady weeks of 2: every future needs exactly 2 weeks for 4 items.
    const f = forecast({ ...base, doneDates: doneByWeek(2, 2, 2, 2), remaining: 4 });
    expect(f.throughputPerWeek).toBe(2);
    expect(f.forecastDate).toBe('2026-12-09');
    expect(f.range).toMatchObject({ likelyFrom: '2026-12-09', likelyTo: '2026-12-09', probabilityByTarget: 1 });
    expect([f.daysEarly, f.daysLate]).toEqual([22, 0]);
  });

  it('reads the verdict from the chance of arriving by the target and the thresholds', () => {
    // One week in four delivered 10 items, so 1 − 0.75^k of futures are done within k weeks.
    const lumpy = { ...base, doneDates: doneByWeek(10, 0, 0, 0), remaining: 10 };
    const within = (weeks: number) => forecast({ ...lumpy, targetDate: addDays(today, weeks * 7) });
    expect(within(6).range?.probabilityByTarget).toBeGreaterThanOrEqual(0.7); // 1 − 0.75^6 ≈ 82%
    expect(within(6).verdict).toBe('on track');
    expect(within(2).range?.probabilityByTarget).toBeGreaterThanOrEqual(0.3); // ≈ 44%
    expect(within(2).verdict).toBe('at risk');
    expect(within(0).range?.probabilityByTarget).toBeLessThan(0.3);
    expect(within(0).verdict).toBe('off track');
    // The same futures under stricter thresholds: the verdict follows the settings, not a second rule.
    expect(forecast({ ...lumpy, targetDate: addDays(today, 42), thresholds: { onTrackChance: 90, atRiskChance: 50 } }).verdict).toBe('at risk');
  });

  it('never calls a destination at risk when its chance is above the on-track threshold (98%, 134 days early)', () => {
    // The reported case: a far target and a steady pace. The old rule said "at risk" from a pessimistic date.
    const f = forecast({ ...base, doneDates: doneByWeek(4, 0, 4, 0, 4, 0, 4, 0), windowWeeks: 8, remaining: 20, targetDate: '2027-05-31' });
    expect(f.range?.probabilityByTarget).toBeGreaterThanOrEqual(0.7);
    expect(f.verdict).toBe('on track');
    expect(f.daysLate).toBe(0);
  });

  it('says late days and the chance in words a leader reads, without statistics', () => {
    const f = forecast({ ...base, doneDates: doneByWeek(2, 2, 2, 2), remaining: 4, targetDate: '2026-11-30' });
    expect(f.verdict).toBe('off track');
    expect([f.daysEarly, f.daysLate]).toEqual([0, 9]);
    expect(f.reason).toBe('At 2 items a week (last 4 weeks), the 4 remaining items most likely finish by 2026-12-09, 9 days after the target 2026-11-30: almost no chance of arriving by the target (off track below 30%).');
    expect(f.reason).not.toMatch(/P\d\d|percentile|simulat|normal approximation|pessimistic/i);
  });

  it('is off track when the target date has already passed by weeks', () => {
    const f = forecast({ ...base, doneDates: doneByWeek(5, 5, 5, 5), remaining: 1, targetDate: '2026-10-01' });
    expect(f.verdict).toBe('off track');
    expect(f.range?.probabilityByTarget).toBe(0);
  });

  it('tells one story for any history: verdict from the chance, date inside its range, early or late from the date', () => {
    const thresholdsArb = fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 100 }))
      .filter(([atRisk, onTrack]) => atRisk < onTrack)
      .map(([atRiskChance, onTrackChance]) => ({ atRiskChance, onTrackChance }));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 16 }),
        fc.integer({ min: 1, max: 150 }),
        fc.integer({ min: -60, max: 800 }),
        thresholdsArb,
        (weekly, remaining, targetOffset, thresholds) => {
          const f = forecast({
            doneDates: doneByWeek(...[...weekly].reverse()),
            remaining,
            total: remaining + 5,
            today,
            targetDate: addDays(today, targetOffset),
            windowWeeks: weekly.length,
            thresholds,
          });
          if (weekly.every((w) => w === 0)) {
            expect(f.verdict).toBe('no data');
            return;
          }
          const chance = Math.round((f.range?.probabilityByTarget ?? Number.NaN) * 100);
          const expected = chance >= thresholds.onTrackChance ? 'on track' : chance >= thresholds.atRiskChance ? 'at risk' : 'off track';
          expect(f.verdict).toBe(expected);
          expect(f.verdict).toBe(verdictOf(f.range?.probabilityByTarget ?? Number.NaN, thresholds));
          if (f.forecastDate !== null) {
            expect(f.range?.likelyFrom).not.toBeNull();
            expect(f.forecastDate >= (f.range?.likelyFrom ?? '')).toBe(true);
            if (f.range?.likelyTo != null) expect(f.forecastDate <= f.range.likelyTo).toBe(true);
            expect((f.daysLate ?? 0) - (f.daysEarly ?? 0)).toBe(diffDays(addDays(today, targetOffset), f.forecastDate));
            expect(Math.min(f.daysLate ?? 0, f.daysEarly ?? 0)).toBe(0);
          } else {
            expect(f.range?.likelyTo).toBeNull();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
