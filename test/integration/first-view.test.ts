/**
 * Views read stored rollups only. Installing the app starts the first full calculation; until it ends a view
 * answers at once with no figures and the calculation's progress, without reading the site's issues itself.
 */
import { generateSite } from '../../local/sites/generate-demo';
import { liveFigures } from '../faults/rollup-harness';
import { startTestApp } from '../helpers/local-app';

const SEARCH = 'POST /rest/api/3/search/jql';

describe('a freshly installed site', () => {
  it('has stored rollups once boot has settled: the first view reads them, equal to a computation from Jira', async () => {
    const app = await startTestApp(generateSite({ seed: 3, epics: 30, issuesPerEpic: 12, destinations: 5 }));
    try {
      const status = await app.data('admin', 'reconcile/status', {}, 'u-admin');
      expect(status.run).toMatchObject({ phase: 'done', startedBy: 'install' });
      expect(status.current).not.toBeNull();

      app.jira.resetRequestLog();
      const view = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      expect(view.freshness).toMatchObject({ source: 'stored', stale: false, recalculating: false });
      expect(app.jira.requestLog()[SEARCH] ?? 0).toBe(0);
      const live = await liveFigures(app);
      expect(view.destinations.map((d) => ({ id: d.id, progress: d.progress }))).toEqual(
        live.destinations.filter((d) => view.destinations.some((v) => v.id === d.id)).map((d) => ({ id: d.id, progress: d.progress })),
      );
    } finally {
      await app.close();
    }
  }, 60_000);
});

describe('a view before the first calculation has finished', () => {
  it('answers "calculating" with its progress, without reading every issue, and shows figures once it ends', async () => {
    const site = generateSite({ seed: 7, epics: 450, issuesPerEpic: 49, destinations: 12 });
    const app = await startTestApp(site, { settle: false });
    try {
      app.jira.resetRequestLog();
      const first = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      expect(first.freshness).toMatchObject({ source: 'calculating', stale: true, recalculating: true, staleReason: expect.stringContaining('first full calculation') });
      expect(first.freshness?.calculation?.progress).toBeGreaterThanOrEqual(0);
      expect(first.freshness?.calculation?.progress).toBeLessThan(1);
      expect(first.freshness?.calculation?.items).toBeGreaterThanOrEqual(0);
      expect(first.destinations).toHaveLength(12);
      expect(first.destinations.every((d) => d.progress.count.total === 0 && d.verdict === 'no data')).toBe(true);

      const epicKey = site.issues.find((i) => i.type === 'Epic')?.key ?? '';
      const panel = await app.data('panel', 'epic/alignment', { issueKey: epicKey }, 'u-leader');
      expect(panel.freshness).toMatchObject({ source: 'calculating', recalculating: true });
      expect(panel.progress.count.total).toBe(0);
      // The views asked Jira for a few things, never for pages of the site's 22,000 issues.
      expect(app.jira.requestLog()[SEARCH] ?? 0).toBeLessThan(5);

      await app.platform.settle();
      const later = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      expect(later.freshness?.source).toBe('stored');
      expect(later.destinations.reduce((n, d) => n + d.progress.count.total, 0)).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  }, 120_000);
});
