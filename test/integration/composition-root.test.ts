/**
 * The composition root: one container per installation, reused while the process stays warm, and the
 * caches it owns never answer for another site. Driven through the local platform.
 */
import { smallSite } from '../../local/jira/testing/small-site';
import { appContainer } from '../../src/app/container';
import { startTestApp } from '../helpers/local-app';
import { fullPortfolio } from '../helpers/full-portfolio';

describe('the container of an installation', () => {
  it('is reused by every invocation of the same installation (a warm Forge container)', async () => {
    const app = await startTestApp(smallSite());
    try {
      const first = await app.platform.runAsApp(() => appContainer());
      const second = await app.platform.runAsUser('u-leader', () => appContainer());
      expect(second).toBe(first);
    } finally {
      await app.close();
    }
  });

  it('reads the time from the site clock: today is the site file\'s day', async () => {
    const app = await startTestApp(smallSite());
    try {
      expect(await app.platform.runAsApp(() => appContainer().clock.today())).toBe('2026-11-25');
    } finally {
      await app.close();
    }
  });

  it('is not shared with another site in the same process: that site\'s issue types are read from it', async () => {
    const first = await startTestApp(smallSite());
    let firstContainer: unknown;
    try {
      // Caches the first site's facts (the epic type is its first issue type).
      await fullPortfolio(first, 'u-leader', {});
      firstContainer = await first.platform.runAsApp(() => appContainer());
    } finally {
      await first.close();
    }
    // The same issue types in another order: the epic type now has another id.
    const other = { ...smallSite(), issueTypes: [
      { name: 'Story', hierarchyLevel: 0 }, { name: 'Task', hierarchyLevel: 0 }, { name: 'Bug', hierarchyLevel: 0 },
      { name: 'Sub-task', hierarchyLevel: -1 }, { name: 'Epic', hierarchyLevel: 1 },
    ] };
    const second = await startTestApp(other);
    try {
      expect(await second.platform.runAsApp(() => appContainer())).not.toBe(firstContainer);
      const portfolio = await fullPortfolio(second, 'u-leader', {});
      expect(portfolio.destinations.find((d) => d.id === 'D-1')?.epicDetails.map((e) => e.key)).toContain('PAY-1');
    } finally {
      await second.close();
    }
  });
});
