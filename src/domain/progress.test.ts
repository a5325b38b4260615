import { emptyProgress, progressOf, shareOf, sumProgress } from './progress';
import type { StatusCategory, WorkItem } from './types';

let n = 0;
const item = (statusCategory: StatusCategory, estimate: number | null): WorkItem => {
  n += 1;
  return { id: String(n), key: `A-${n}`, projectKey: 'A', statusCategory, estimate, resolved: null, epicKey: 'A-0' };
};

describe('progressOf', () => {
  it('buckets count and estimate by status category', () => {
    const p = progressOf([item('new', 3), item('indeterminate', 5), item('done', 2), item('done', 1)]);
    expect(p.count).toEqual({ new: 1, indeterminate: 1, done: 2, total: 4 });
    expect(p.estimate).toEqual({ new: 3, indeterminate: 5, done: 3, total: 11, unestimated: 0 });
  });

  it('counts an unestimated issue in the count but not in the estimate', () => {
    const p = progressOf([item('indeterminate', null), item('indeterminate', 2)]);
    expect(p.count.indeterminate).toBe(2);
    expect(p.estimate.indeterminate).toBe(2);
    expect(p.estimate.unestimated).toBe(1);
  });

  it('treats a zero estimate as estimated', () => {
    expect(progressOf([item('new', 0)]).estimate.unestimated).toBe(0);
  });

  it('treats a non-finite estimate as unestimated instead of poisoning the sums', () => {
    const p = progressOf([item('done', Number.NaN), item('done', 4)]);
    expect(p.estimate.done).toBe(4);
    expect(p.estimate.unestimated).toBe(1);
  });

  it('gives empty progress for no items', () => {
    expect(progressOf([])).toEqual(emptyProgress());
  });
});

describe('sumProgress', () => {
  it('adds every bucket of every part', () => {
    const a = progressOf([item('new', 1), item('done', null)]);
    const b = progressOf([item('indeterminate', 2), item('done', 3)]);
    expect(sumProgress([a, b])).toEqual({
      count: { new: 1, indeterminate: 1, done: 2, total: 4 },
      estimate: { new: 1, indeterminate: 2, done: 3, total: 6, unestimated: 1 },
    });
  });

  it('returns a fresh empty progress for no parts', () => {
    const sum = sumProgress([]);
    sum.count.new = 9;
    expect(emptyProgress().count.new).toBe(0);
  });
});

describe('shareOf', () => {
  it('gives the share by count and by estimate separately', () => {
    const part = progressOf([item('new', 1)]);
    const whole = progressOf([item('new', 1), item('done', 3), item('done', null), item('new', null)]);
    expect(shareOf(part, whole)).toEqual({ count: 0.25, estimate: 0.25 });
  });

  it('gives 0 rather than NaN when the whole is empty', () => {
    expect(shareOf(emptyProgress(), emptyProgress())).toEqual({ count: 0, estimate: 0 });
  });
});

describe('estimates out of bounds', () => {
  it('counts an estimate above the bound, negative or not finite as unestimated, so sums stay finite', () => {
    const p = progressOf([item('done', 1e308), item('done', 1e308), item('done', -1), item('done', Number.NaN), item('done', 2)]);
    expect(p.estimate.done).toBe(2);
    expect(p.estimate.unestimated).toBe(4);
    expect(Number.isFinite(sumProgress([p, p]).estimate.total)).toBe(true);
  });
});
