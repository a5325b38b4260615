/**
 * The README's two pictures of the whole shell on the demo site (generated for today, as `npm start` serves it):
 * an epic's issue view with the field and the Destination panel (light), and the Business destinations page as
 * the leader sees it (dark). Run by `npm run screenshots`; writes `docs/screenshots/shell-*.png`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';

const ROOT = path.resolve(__dirname, '..', '..');
const PORT = Number(process.env.SHELL_PHOTO_PORT ?? 4090);
const BASE = `http://127.0.0.1:${PORT}`;
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function shoot(page: Page, options: { user: string; theme: 'light' | 'dark'; hash: string; ready: (page: Page) => Promise<void>; file: string }): Promise<void> {
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
  await page.screenshot({ path: path.join(ROOT, 'docs', 'screenshots', options.file) });
  console.log(`wrote docs/screenshots/${options.file}`);
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
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
}

main().catch((e: unknown) => {
  console.error(`shell-photos: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
