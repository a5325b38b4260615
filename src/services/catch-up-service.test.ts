import { catchUpPages, catchUpService, type CatchUpDeps } from './catch-up-service';
import type { StoredSite } from './rollup-ports';

describe('catchUpPages', () => {
  it('reads at least 50 pages, and a quarter of the stored issues on a big site', () => {
    expect(catchUpPages(0)).toBe(50);
    expect(catchUpPages(10_020)).toBe(50);
    // 2% daily churn of 250,500 issues is 5,010 changes: caught up, not rebuilt.
    expect(catchUpPages(250_500)).toBe(627);
    expect(catchUpPages(1_000_000)).toBe(2500);
  });
});

describe('the daily run', () => {
  const NOW = Date.parse('2026-11-30T03:00:00Z');
  function deps(items: number, changedPages: number, msPerPage = 10) {
    let now = NOW;
    const started: string[] = [];
    const applied: number[] = [];
    const site = { head: { items, estimateKey: 'count' }, epics: new Map(), orphans: new Map() } as unknown as StoredSite;
    const d: CatchUpDeps = {
      jira: {
        changedSince: async (_meta: unknown, _hours: number, _estimate: unknown, token?: string) => {
          now += msPerPage;
          const page = Number(token ?? 0);
          const issues = Array.from({ length: 100 }, (_, i) => ({ id: String(page * 100 + i + 1), key: `PAY-${page * 100 + i + 1}`, facts: { level: -1 as const } }));
          return { issues, next: page + 1 < changedPages ? String(page + 1) : undefined };
        },
      } as unknown as CatchUpDeps['jira'],
      freshness: {
        siteFacts: async () => ({ meta: { appFieldId: 'f', epicTypeIds: ['1'], standardTypeIds: ['2'], pointsFields: [] }, estimate: { kind: 'count' } as never }),
        applyChanged: async (_m, _e, issues) => (applied.push(issues.length), issues.length),
      },
      reader: { loadWithMarks: async () => site },
      store: { readTime: () => now },
      reconcile: { start: async (by) => (started.push(by), { runId: 'r9' } as never) },
      runs: { get: async () => undefined, save: async () => undefined, claimStart: async () => true },
      clock: { now: () => new Date(now), today: () => '2026-11-30' },
    };
    return { d, started, applied };
  }

  it('catches up with 2% churn of a 250,500-issue site instead of rebuilding it', async () => {
    const { d, started, applied } = deps(250_500, 51);
    const outcome = await catchUpService(d).daily();
    expect(outcome).toMatchObject({ kind: 'catch-up', issues: 5100, complete: true });
    expect(started).toEqual([]);
    expect(applied).toEqual([5100]);
  });

  it('rebuilds when a day changed over a quarter of the site', async () => {
    const { d, started } = deps(10_000, 60);
    expect(await catchUpService(d).daily()).toMatchObject({ kind: 'rebuild', reason: 'churn' });
    expect(started).toEqual(['schedule']);
  });

  it('applies what it read when its time runs out, and says the catch-up is not complete', async () => {
    const { d, started, applied } = deps(1_000_000, 400, 1_000);
    const outcome = await catchUpService(d).daily();
    expect(outcome).toMatchObject({ kind: 'catch-up', complete: false });
    expect(started).toEqual([]);
    expect(applied[0]).toBe(3000);
  });
});
