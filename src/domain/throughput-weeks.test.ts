import { addDays } from './dates';
import { figuresOf } from './epic-figures';
import { DONE_HISTORY_WEEKS, weekOf, weeklyCounts } from './throughput-weeks';

describe('weekly throughput buckets', () => {
  it('numbers calendar weeks from Monday', () => {
    expect(weekOf('2026-11-23')).toBe(weekOf('2026-11-29'));
    expect(weekOf('2026-11-30')).toBe(weekOf('2026-11-29') + 1);
    expect(weekOf('1969-12-29')).toBe(0);
  });

  it('counts the calendar weeks ending with today\'s, oldest first, today\'s week included', () => {
    const today = '2026-11-25';
    const buckets = [{ [weekOf(today)]: 2, [weekOf('2026-11-22')]: 1 }, { [weekOf('2026-11-15')]: 4, [weekOf('2026-01-01')]: 9 }];
    expect(weeklyCounts(buckets, today, 3)).toEqual([4, 1, 2]);
    expect(weeklyCounts([undefined], today, 2)).toEqual([0, 0]);
  });

  it('keeps an epic with a year of daily deliveries to at most 55 buckets', () => {
    const today = '2026-11-25';
    const children = Array.from({ length: 400 }, (_, i) => ({
      id: String(i), key: `A-${i + 2}`, projectKey: 'A', statusCategory: 'done' as const, estimate: 1, resolved: addDays(today, -i), parentKey: 'A-1',
    }));
    const figures = figuresOf(['A-1'], children, today).get('A-1');
    const weeks = Object.keys(figures?.doneWeeks ?? {}).map(Number);
    expect(weeks.length).toBeLessThanOrEqual(DONE_HISTORY_WEEKS + 1);
    expect(Math.min(...weeks)).toBe(weekOf(today) - DONE_HISTORY_WEEKS);
  });
});
