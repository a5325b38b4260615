/**
 * Helpers for tests of the stored rollups: run a recalculation to the end through the real consumer, and
 * compare what surfaces read from storage with the portfolio computed live from Jira.
 */
import type { ReconcileStatus } from '../../src/contract';
import { appContainer } from '../../src/app/container';
import type { SiteRollup } from '../../src/services/portfolio-service';
import type { TestApp } from '../helpers/local-app';

export async function reconcileToEnd(app: TestApp): Promise<ReconcileStatus> {
  await app.data('admin', 'reconcile/start', {}, 'u-admin');
  await app.platform.settle();
  return app.data('admin', 'reconcile/status', {}, 'u-admin');
}

/** The figures a person can check, in a form two computations can be compared in. */
export function figures(site: SiteRollup) {
  return {
    destinations: site.rollup.destinations.map((d) => ({
      id: d.destination.id,
      epics: [...d.epicKeys].sort(),
      progress: d.progress,
      forecast: d.forecast,
    })),
    offRoute: { ...site.rollup.offRoute, epicKeys: [...site.rollup.offRoute.epicKeys].sort() },
    warnings: site.rollup.warnings.map((w) => (w.code === 'UNESTIMATED_WORK' ? { code: w.code, message: w.message } : w)),
  };
}

/** The truth to compare with: computed live from Jira once its search index has caught up with every write. */
export async function liveFigures(app: TestApp) {
  app.jira.syncIndex();
  return figures(await app.platform.runAsApp(() => appContainer().services().portfolio.compute()));
}

export async function storedFigures(app: TestApp) {
  const current = await app.platform.runAsApp(() => appContainer().services().portfolio.current());
  if (current.freshness.source !== 'stored') throw new Error('no stored rollup yet');
  return figures(current.site);
}
