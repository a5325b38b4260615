/**
 * The README's pictures of the whole shell on the demo site (generated for today, as `npm start` serves it):
 * an epic's issue view with the field and the Destination panel (light), the Business destinations page as
 * the leader sees it (dark), and the trip over time of the deliberately late destination D-7, light and dark:
 * its trip view in the portfolio, one of its epics' panel with the compact burn-up and the disagreement flag,
 * and the Dashboards page with the gadget showing its card (and the portfolio headline). Run by
 * `npm run screenshots`; writes `docs/screenshots/shell-*.png`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { chromium, type FrameLocator, type Page } from '@playwright/test';

const ROOT = path.resolve(__dirname, '..', '..');
const PORT = Number(process.env.SHELL_PHOTO_PORT ?? 4090);
const BASE = `http://127.0.0.1:${PORT}`;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** The late destination of the demo site, and one of its epics. */
const LATE = { id: 'D-7', name: 'Cut chargeback losses by half', epic: 'PAY-94' };

async function shoot(page: Page, options: { user: string; theme: 'light' | 'dark'; hash: string; ready: (page: Page) => Promise<void>; file: string; fullPage?: boolean }): Promise<void> {
  await page.goto(`${BASE}/`);
  await page.evaluate(({ user, theme }) => {
    localStorage.setItem('forge-local:user', user);
    localStorage.setItem('forge-local:theme', theme);
  }, { user: options.user, theme: options.theme });
  await page.goto(`${BASE}/${options.hash}`);
  await page.reload();
  await options.ready(page);
  // Frames size themselves after their data arrives; give the last resize a moment.
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(ROOT, 'docs', 'screenshots', options.file), fullPage: options.fullPage ?? false });
  console.log(`wrote docs/screenshots/${options.file}`);
}

/** Sets the dashboard's gadget to `option` through its edit view, as a user does (see test/e2e/gadget.spec.ts). */
async function configureGadget(page: Page, option: string): Promise<void> {
  const box = page.getByTestId('dashboard-gadget');
  await box.waitFor();
  await page.locator('iframe[data-role="gadget"], iframe[data-role="gadget-edit"]').first().waitFor();
  if ((await page.locator('iframe[data-role="gadget-edit"]').count()) === 0) await page.getByTestId('gadget-edit').click();
  const form: FrameLocator = page.frameLocator('iframe[data-role="gadget-edit"]');
  const select = form.locator('#gadget-destination-select');
  await select.waitFor();
  await select.fill(option);
  await form.getByRole('option', { name: new RegExp(`^${option}`) }).click();
  await form.getByRole('button', { name: 'Save' }).click();
  await page.locator('iframe[data-role="gadget"]').waitFor();
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'local/cli/start.ts', '--port', String(PORT), '--no-build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`${BASE}/`)) resolve();
    });
    server.once('exit', (code) => reject(new Error(`the local server exited (${String(code)}) before it was ready:\n${out}`)));
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await shoot(page, {
      user: 'u-admin',
      theme: 'light',
      hash: '#/issue/PAY-1',
      file: 'shell-epic-light.png',
      ready: async (p) => {
        await p.frameLocator('iframe[data-role="panel"]').getByText(/chance by the target date|almost (certain|no chance)/).first().waitFor();
      },
    });
    await shoot(page, {
      user: 'u-leader',
      theme: 'dark',
      hash: '#/module/destinations-portfolio',
      file: 'shell-portfolio-dark.png',
      ready: async (p) => {
        await p.frameLocator('iframe').first().getByRole('heading', { name: 'Business destinations' }).waitFor();
        await p.frameLocator('iframe').first().locator('tbody tr').first().waitFor();
      },
    });
    // The whole list, with the row flags (the late destination's disagreement) and the scenery trend opened.
    await shoot(page, {
      user: 'u-leader',
      theme: 'light',
      hash: '#/module/destinations-portfolio',
      file: 'shell-portfolio-flags-light.png',
      fullPage: true,
      ready: async (p) => {
        const app = p.frameLocator('iframe').first();
        await app.locator('tbody tr').first().waitFor();
        await app.getByRole('button', { name: /Show scenery trend/ }).click();
        await app.locator('[data-testid="flag-disagreement"]').first().waitFor();
        await app.getByTestId('scenery-point').first().waitFor();
      },
    });
    for (const theme of ['light', 'dark'] as const) {
      await shoot(page, {
        user: 'u-leader',
        theme,
        hash: '#/module/destinations-portfolio',
        file: `shell-trip-${theme}.png`,
        fullPage: true,
        ready: async (p) => {
          const app = p.frameLocator('iframe').first();
          await app.getByRole('button', { name: `Trip of ${LATE.name}` }).click();
          await app.getByText(/disagree/i).first().waitFor();
          await app.locator('svg').first().waitFor();
        },
      });
      await shoot(page, {
        user: 'u-dev',
        theme,
        hash: `#/issue/${LATE.epic}`,
        file: `shell-panel-trip-${theme}.png`,
        ready: async (p) => {
          const panel = p.frameLocator('iframe[data-role="panel"]');
          await panel.getByText(/chance by the target date|almost (certain|no chance)/).first().waitFor();
          await panel.locator('svg').first().waitFor();
        },
      });
      await shoot(page, {
        user: 'u-leader',
        theme,
        hash: '#/dashboard',
        file: `shell-gadget-${theme}.png`,
        ready: async (p) => {
          await configureGadget(p, LATE.name);
          await p.frameLocator('iframe[data-role="gadget"]').getByRole('region', { name: `Destination ${LATE.name}` }).waitFor();
        },
      });
    }
    await shoot(page, {
      user: 'u-leader',
      theme: 'light',
      hash: '#/dashboard',
      file: 'shell-gadget-headline-light.png',
      ready: async (p) => {
        await configureGadget(p, 'Portfolio headline');
        await p.frameLocator('iframe[data-role="gadget"]').getByRole('region', { name: 'Portfolio headline' }).waitFor();
      },
    });
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  console.error(`shell-photos: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
