import type { Clock } from '../services/ports';
import { readTimer, systemClock } from './clock';

const fixed = (ms: number): Clock => ({ now: () => new Date(ms), today: () => new Date(ms).toISOString().slice(0, 10) });

describe('readTimer', () => {
  it('orders reads taken in the same millisecond, and follows the clock when it moves on', () => {
    const next = readTimer(fixed(1_000));
    expect([next(), next(), next()]).toEqual([1_000, 1_001, 1_002]);
    const later = readTimer(fixed(5_000));
    expect(later()).toBe(5_000);
  });

  it('keeps its own sequence: two timers (two containers) do not share state', () => {
    const a = readTimer(fixed(1_000));
    const b = readTimer(fixed(1_000));
    a();
    a();
    expect(b()).toBe(1_000);
  });
});

describe('systemClock', () => {
  it('gives today as the UTC calendar day of now', () => {
    expect(systemClock.today()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(systemClock.today()).toBe(systemClock.now().toISOString().slice(0, 10));
  });
});
