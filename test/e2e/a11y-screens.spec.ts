/**
 * Each surface loads cleanly, passes axe-core (no serious or critical violation) and is photographed light and dark. Named to run first, on the untouched site.
 * The photographs go to the test's output folder (`test-results/`, not tracked); `UPDATE_SCREENSHOTS=1` (`npm run screenshots`) writes them to `docs/screenshots/` instead.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, settled, surfaceUrl, test, USERS, watch, type SurfaceName, type Theme } from './helpers';

const CASES: Array<{ surface: SurfaceName; user: string; issue?: string; viewport?: { width: number; height: number }; ready: (page: Page) => Promise<void> }> = [
  {
    surface: 'field',
    user: USERS.admin,
    issue: 'PAY-1',
    // Jira shows the inline edit in the issue's side column.
    viewport: { width: 360, height: 200 },
    ready: async (page) => {
      await expect(page.getByText('Faster checkout')).toBeVisible();
    },
  },
  {
    surface: 'panel',
    user: USERS.admin,
    issue: 'PAY-1',
    viewport: { width: 720, height: 800 },
    ready: async (page) => {
      await expect(page.getByRole('heading', { name: 'Faster checkout' })).toBeVisible();
    },
  },
  {
    surface: 'portfolio',
    user: USERS.leader,
    ready: async (page) => {
      await expect(page.getByRole('heading', { name: 'Business destinations' })).toBeVisible();
      await expect(page.getByText('Faster checkout').first()).toBeVisible();
    },
  },
  {
    surface: 'admin',
    user: USERS.admin,
    ready: async (page) => {
      await expect(page.getByRole('tab', { name: 'Destinations' })).toBeVisible();
      await expect(page.getByText('Faster checkout')).toBeVisible();
    },
  },
];

const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
if (UPDATE_SCREENSHOTS) mkdirSync('docs/screenshots', { recursive: true });

for (const c of CASES) {
  for (const theme of ['light', 'dark'] as Theme[]) {
    test(`${c.surface} (${theme}) loads with no console error, passes axe and is photographed`, async ({ page }, testInfo) => {
      if (c.viewport) await page.setViewportSize(c.viewport);
      const w = await watch(page);
      await page.goto(surfaceUrl(c.surface, { user: c.user, issue: c.issue, theme }));
      await c.ready(page);
      await settled(page);
      await expect(page.locator('html')).toHaveAttribute('data-color-mode', theme);

      const axe = await new AxeBuilder({ page }).analyze();
      const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}]`)).toEqual([]);

      const name = `${c.surface}-${theme}.png`;
      await page.screenshot({ path: UPDATE_SCREENSHOTS ? `docs/screenshots/${name}` : testInfo.outputPath(name), fullPage: true });
      expect(w.errors).toEqual([]);
      expect(w.dialogs).toEqual([]);
    });
  }
}
