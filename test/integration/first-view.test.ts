/**
 * Before the first stored rollup exists, a view computes the portfolio itself, unless the site is too big to
 * do that within the resolver's time limit: then it answers at once that the first calculation is running.
 */
import { generateSite } from '../../local/sites/generate-demo';
import { LIVE_COMPUTE_LIMIT } from '../../src/domain/reconcile-run';
import { startTestApp } from '../helpers/local-app';

describe('the first portfolio view on a big site', () => {
  it('answers "calculating" without reading every issue, and shows figures once the background run ends', async () => {
    const site = generateSite({ seed: 7, epics: 450, issuesPerEpic: 49, destinations: 12 });
    expect(site.issues.length).toBeGreaterThan(LIVE_COMPUTE_LIMIT);
    const app = await startTestApp(site);
    try {
      app.jira.resetRequestLog();
      const first = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      expect(first.freshness).toMatchObject({ stale: true, recalculating: true, staleReason: expect.stringContaining('first full calculation') });
      expect(first.destinations).toHaveLength(12);
      expect(first.destinations.every((d) => d.progress.count.total === 0 && d.verdict === 'no data')).toBe(true);
      // The view itself asked Jira for a count, not for pages of issues.
      const searchesDuringView = app.jira.requestLog()['POST /rest/api/3/search/jql'] ?? 0;
      expect(searchesDuringView).toBeLessThan(5);

      await app.platform.settle();
      const later = await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      expect(later.freshness?.source).toBe('stored');
      expect(later.destinations.reduce((n, d) => n + d.progress.count.total, 0)).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  }, 120_000);
});
