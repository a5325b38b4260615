import fc from 'fast-check';
import { addDays, diffDays } from './dates';
import { burnUp, burnUpStart, stepFor, MAX_BURN_UP_POINTS, type BurnUpIssue } from './burn-up';

const issue = (created: string, resolved: string | null = null, estimate: number | null = null): BurnUpIssue => ({ created, resolved, estimate });

describe('burnUp', () => {
  it('matches a hand count of created and resolved issues, day by day', () => {
    const issues = [issue('2026-11-02', '2026-11-04', 3), issue('2026-11-03', null, 5), issue('2026-11-03', '2026-11-05', 0.1), issue('2026-11-06', null, 0.2)];
    expect(burnUp(issues, '2026-11-02', '2026-11-06', 'day')).toEqual([
      { date: '2026-11-02', scope: 1, done: 0, scopeEstimate: 3, doneEstimate: 0 },
      { date: '2026-11-03', scope: 3, done: 0, scopeEstimate: 8.1, doneEstimate: 0 },
      { date: '2026-11-04', scope: 3, done: 1, scopeEstimate: 8.1, doneEstimate: 3 },
      { date: '2026-11-05', scope: 3, done: 2, scopeEstimate: 8.1, doneEstimate: 3.1 },
      { date: '2026-11-06', scope: 4, done: 2, scopeEstimate: 8.3, doneEstimate: 3.1 },
    ]);
  });

  it('counts issues created before the range from its first point, and not a resolution after its end', () => {
    const points = burnUp([issue('2026-01-10', '2026-12-20')], '2026-11-02', '2026-11-03', 'day');
    expect(points.map((p) => [p.scope, p.done])).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('puts weekly points on each Sunday and ends on the last day asked for', () => {
    const points = burnUp([issue('2026-11-04', '2026-11-10')], '2026-11-04', '2026-11-18', 'week');
    expect(points.map((p) => [p.date, p.scope, p.done])).toEqual([
      ['2026-11-08', 1, 0],
      ['2026-11-15', 1, 1],
      ['2026-11-18', 1, 1],
    ]);
  });

  it('counts a resolution dated before the creation (bad data) as done on the creation day', () => {
    expect(burnUp([issue('2026-11-03', '2026-11-01')], '2026-11-02', '2026-11-03', 'day').map((p) => p.done)).toEqual([0, 1]);
  });

  it('is empty for a range that ends before it starts', () => {
    expect(burnUp([issue('2026-11-03')], '2026-11-05', '2026-11-04', 'day')).toEqual([]);
  });

  it('never shows more done than scope, and scope and done only grow (property)', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => addDays('2025-06-01', n));
    const arbIssue = fc.record({ created: day, resolved: fc.option(day, { nil: null }), estimate: fc.option(fc.integer({ min: 0, max: 13 }), { nil: null }) });
    fc.assert(
      fc.property(fc.array(arbIssue, { maxLength: 60 }), day, fc.integer({ min: 0, max: 300 }), (issues, from, length) => {
        const to = addDays(from, length);
        const points = burnUp(issues, from, to, stepFor(from, to));
        expect(points.length).toBeLessThanOrEqual(MAX_BURN_UP_POINTS);
        expect(points.at(-1)?.date).toBe(to);
        for (const [i, p] of points.entries()) {
          expect(p.done).toBeLessThanOrEqual(p.scope);
          expect(p.scope).toBe(issues.filter((x) => x.created <= p.date).length);
          if (i > 0) {
            const before = points[i - 1]!;
            expect(p.scope).toBeGreaterThanOrEqual(before.scope);
            expect(p.done).toBeGreaterThanOrEqual(before.done);
          }
        }
      }),
    );
  });
});

describe('burnUpStart', () => {
  it("starts at the destination's start date, else the first issue's creation, at most two years back", () => {
    expect(burnUpStart([issue('2026-03-01')], '2026-12-01', '2026-05-01')).toBe('2026-05-01');
    expect(burnUpStart([issue('2026-03-01'), issue('2026-02-01')], '2026-12-01')).toBe('2026-02-01');
    const start = burnUpStart([issue('2020-01-01')], '2026-12-01');
    expect(diffDays(start, '2026-12-01')).toBe(2 * 52 * 7 - 1);
    expect(burnUpStart([], '2026-12-01')).toBe('2026-12-01');
  });
});
