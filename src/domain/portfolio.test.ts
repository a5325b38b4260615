import { applyDelta, compareKeys, figuresOf, isLive, orphanOf } from './epic-figures';
import { assemblePortfolio, type ForecastMemo } from './portfolio';
import { rollupPortfolio } from './rollup';
import type { ChildFacts, Destination, Epic, EpicEntry, Forecast, OrphanEntry, PortfolioRollup, StatusCategory, WorkItem } from './types';

const TODAY = '2026-11-25';

function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
}

function destination(id: string, priority: number, status: Destination['status'] = 'active'): Destination {
  return {
    id, name: id, description: '', businessOwner: 'u', targetDate: '2027-01-15', priority, status, version: 1,
    createdAt: '2026-01-01T00:00:00Z', createdBy: 'u', updatedAt: '2026-01-01T00:00:00Z', updatedBy: 'u',
  };
}

/** A site with every case: aligned, unaligned, unknown and archived destinations, two projects, orphans. */
function randomSite(seed: number) {
  const r = random(seed);
  const destinations = [destination('D-1', 1), destination('D-2', 2), destination('D-3', 3, 'archived')];
  const targets = ['D-1', 'D-2', 'D-3', 'D-404', null];
  const categories: StatusCategory[] = ['new', 'indeterminate', 'done'];
  const epics: Epic[] = [];
  const items: WorkItem[] = [];
  for (let e = 1; e <= 40; e++) {
    const projectKey = e % 3 === 0 ? 'OPS' : 'PAY';
    const key = `${projectKey}-${e}`;
    epics.push({ id: String(e), key, summary: `Epic ${e}`, projectKey, statusCategory: 'indeterminate', destinationId: targets[Math.floor(r() * targets.length)] ?? null });
    const n = Math.floor(r() * 12);
    for (let c = 0; c < n; c++) {
      const category = categories[Math.floor(r() * 3)] as StatusCategory;
      const id = String(1000 + e * 100 + c);
      items.push({
        id, key: `${projectKey}-${id}`, projectKey, statusCategory: category,
        estimate: r() < 0.2 ? null : Math.floor(r() * 8),
        resolved: category === 'done' ? `2026-${String(9 + Math.floor(r() * 3)).padStart(2, '0')}-1${Math.floor(r() * 9)}` : null,
        epicKey: key,
      });
    }
  }
  for (let o = 0; o < 15; o++) {
    const id = String(9000 + o);
    items.push({ id, key: `PAY-${id}`, projectKey: o % 2 ? 'PAY' : 'OPS', statusCategory: 'indeterminate', estimate: o % 4 === 0 ? null : 2, resolved: null, epicKey: null });
  }
  // Jira answers `ORDER BY key`: the live rollup sees epics in that order.
  epics.sort((a, b) => compareKeys(a.key, b.key));
  return { destinations, epics, items };
}

function stored(site: ReturnType<typeof randomSite>): { epics: EpicEntry[]; orphans: OrphanEntry[] } {
  const children: ChildFacts[] = site.items.map((i) => ({ ...i, parentKey: i.epicKey }));
  const figures = figuresOf(site.epics.map((e) => e.key), children, TODAY);
  const epics = site.epics.map((e) => ({ ...e, fAt: 1, pAt: 1, ...(figures.get(e.key) as NonNullable<ReturnType<typeof figures.get>>) }));
  const orphans = children.filter((c) => c.parentKey === null).map((c) => orphanOf(c, 1));
  return { epics, orphans };
}

function comparable(rollup: PortfolioRollup) {
  return {
    destinations: rollup.destinations.map((d) => ({ id: d.destination.id, epics: [...d.epicKeys].sort(), progress: d.progress, forecast: d.forecast })),
    offRoute: { ...rollup.offRoute, epicKeys: [...rollup.offRoute.epicKeys].sort() },
    warnings: rollup.warnings.map((w) => (w.code === 'UNESTIMATED_WORK' ? { code: w.code, message: w.message } : w)),
  };
}

describe('the portfolio from per-epic figures', () => {
  it.each([1, 2, 3, 4, 5])('assemble the same portfolio as the domain rollup over the items (seed %i)', (seed) => {
    const site = randomSite(seed);
    const settings = { projectKeys: seed % 2 === 0 ? ['PAY'] : [], throughputWeeks: 12, estimateField: { kind: 'auto' as const }, onTrackChance: 70, atRiskChance: 30 };
    const live = rollupPortfolio({ ...site, settings, today: TODAY, includeArchived: true });
    const { epics, orphans } = stored(site);
    const fromStore = assemblePortfolio({ destinations: site.destinations, epics, orphans, settings, today: TODAY, includeArchived: true });
    expect(comparable(fromStore)).toEqual(comparable(live));
  });

  it('applies the newest read whatever the order facts arrive in', () => {
    const epics = new Map<string, EpicEntry>();
    const orphans = new Map<string, OrphanEntry>();
    const base = { id: '1', key: 'PAY-1', summary: 's', projectKey: 'PAY', statusCategory: 'new' as const };
    applyDelta(epics, orphans, { t: 'fields', at: 20, ...base, destinationId: 'D-2' });
    applyDelta(epics, orphans, { t: 'fields', at: 10, ...base, destinationId: 'D-1' });
    expect(epics.get('PAY-1')?.destinationId).toBe('D-2');
    applyDelta(epics, orphans, { t: 'orphan', at: 30, id: '7', key: 'PAY-7', projectKey: null, estimate: null });
    applyDelta(epics, orphans, { t: 'orphan', at: 25, id: '7', key: 'PAY-7', projectKey: 'PAY', estimate: 3 });
    expect(orphans.get('7')?.projectKey).toBeNull();
  });

  it('keeps a deleted epic out of every figure, and an older fact cannot bring it back', () => {
    const epics = new Map<string, EpicEntry>();
    const orphans = new Map<string, OrphanEntry>();
    const base = { id: '1', key: 'PAY-1', summary: 's', projectKey: 'PAY', statusCategory: 'new' as const, destinationId: 'D-1' };
    applyDelta(epics, orphans, { t: 'fields', at: 10, ...base });
    applyDelta(epics, orphans, { t: 'deleted', at: 20, key: 'PAY-1' });
    applyDelta(epics, orphans, { t: 'fields', at: 15, ...base });
    const rollup = assemblePortfolio({ destinations: [destination('D-1', 1)], epics: [...epics.values()].filter(isLive), orphans: [], settings: { projectKeys: [], throughputWeeks: 12, estimateField: { kind: 'none' }, onTrackChance: 70, atRiskChance: 30 }, today: TODAY });
    expect(rollup.destinations[0]?.epicKeys).toEqual([]);
  });

  it('recomputes a stored forecast of the old shape or of other thresholds rather than reusing it', () => {
    const site = randomSite(3);
    const { epics, orphans } = stored(site);
    const settings = { projectKeys: [], throughputWeeks: 12, estimateField: { kind: 'auto' as const }, onTrackChance: 70, atRiskChance: 30 };
    const input = { destinations: site.destinations, epics, orphans, settings, today: TODAY };
    const fresh = assemblePortfolio({ ...input, forecasts: {} }).destinations[0]?.forecast;
    expect(fresh?.range).toBeDefined();
    // What an older version stored: the same fingerprint fields without the shape, and a pessimistic date.
    const memo: ForecastMemo = {};
    assemblePortfolio({ ...input, forecasts: memo });
    const entry = memo['D-1'];
    if (!entry) throw new Error('the view stored no forecast for D-1');
    const oldFingerprint = entry.fingerprint.split('|').filter((_, i) => ![0, 3, 4].includes(i)).join('|');
    const old = { verdict: 'at risk', forecastDate: '2026-12-01', pessimisticDate: null, throughputPerWeek: 1, remaining: 1, windowWeeks: 12, reason: 'old' } as unknown as Forecast;
    const reread = assemblePortfolio({ ...input, forecasts: { 'D-1': { fingerprint: oldFingerprint, forecast: old } } });
    expect(reread.destinations[0]?.forecast).toEqual(fresh);
    // Stricter thresholds: the stored forecast for 70/30 does not answer for 100/99.
    const strict = assemblePortfolio({ ...input, settings: { ...settings, onTrackChance: 100, atRiskChance: 99 }, forecasts: memo });
    expect(strict.destinations[0]?.forecast.verdict).toBe(fresh && (fresh.range?.probabilityByTarget ?? 0) >= 0.995 ? 'on track' : 'off track');
  });

  it('orders keys as Jira does', () => {
    expect(['PAY-10', 'OPS-2', 'PAY-9'].sort(compareKeys)).toEqual(['OPS-2', 'PAY-9', 'PAY-10']);
  });
});
