/**
 * What the first screen does not need loads later, in chunks of its own (dialogs, the settings tab, CSV
 * export, Select): first paint does not ask for them, using them does, and a chunk that cannot be loaded
 * shows a message with a way out while the rest of the page keeps working, never a blank page.
 */
import type { Page, Request } from '@playwright/test';
import { expect, test, modal, recordConsoleProblems, settled, surfaceUrl, USERS, watch } from './helpers';

/** Script files the page asked for whose name starts with `prefix` (e.g. `settings-tab-` for settings-tab-Ab12.js). */
function chunkRequests(page: Page, prefix: string): string[] {
  const seen: string[] = [];
  const name = (r: Request): string => new URL(r.url()).pathname.split('/').pop() ?? '';
  page.context().on('request', (r) => {
    if (name(r).startsWith(prefix) && name(r).endsWith('.js')) seen.push(name(r));
  });
  return seen;
}

/** Make every request for chunks starting with `prefix` fail, as a network drop or a replaced deployment would. */
async function breakChunk(page: Page, prefix: string): Promise<void> {
  await page.context().route(new RegExp(`/assets/${prefix}[^/]*\\.js$`), (route) => route.abort('failed'));
}

/**
 * The console lines a deliberately broken chunk causes (the failed request, the import error, the boundary's
 * note) are expected; remove exactly those, so the helpers' check still fails the test on anything else.
 */
function forgiveBrokenChunks(page: Page, ...prefixes: string[]): void {
  const problems = recordConsoleProblems(page.context());
  const expected = (p: string): boolean =>
    prefixes.some((prefix) => p.includes(`/assets/${prefix}`)) || /ChunkLoadError|failed to render|CSV export failed/.test(p);
  for (let i = problems.length - 1; i >= 0; i -= 1) if (expected(problems[i] as string)) problems.splice(i, 1);
}

test('the admin page loads the settings tab and the dialogs only when they are opened', async ({ page }) => {
  await watch(page);
  const settings = chunkRequests(page, 'settings-tab-');
  const dialogs = chunkRequests(page, 'dialogs-');
  await page.goto(surfaceUrl('admin', { user: USERS.admin }));
  await settled(page);
  await expect(page.getByRole('button', { name: 'Create destination' })).toBeVisible();
  expect(settings).toEqual([]);
  expect(dialogs).toEqual([]);

  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByLabel('Throughput window (weeks)')).toBeVisible();
  expect(settings).toHaveLength(1);

  await page.getByRole('tab', { name: 'Destinations' }).click();
  await page.getByRole('button', { name: 'Create destination' }).click();
  await expect(modal(page).getByLabel('Name')).toBeVisible();
  expect(dialogs.length).toBeGreaterThan(0);
});

test('the portfolio loads the CSV export only when the button is pointed at or pressed', async ({ page }) => {
  await watch(page);
  const csv = chunkRequests(page, 'portfolio-csv-');
  await page.goto(surfaceUrl('portfolio', { user: USERS.leader }));
  await settled(page);
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
  expect(csv).toEqual([]);
  // Pointing at the button fetches the code, so the click finds it there (and still counts as a gesture).
  await page.getByRole('button', { name: 'Export CSV' }).hover();
  await expect.poll(() => csv.length).toBe(1);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  expect(csv).toHaveLength(1);
});

test('a settings tab whose code cannot be loaded says so, and the destinations tab still works', async ({ page }) => {
  await watch(page);
  await breakChunk(page, 'settings-tab-');
  await page.goto(surfaceUrl('admin', { user: USERS.admin }));
  await settled(page);
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByText('Part of this page could not be shown')).toBeVisible();
  await expect(page.getByTestId('chunk-failure')).toHaveText('The code for the settings could not be loaded. Check your connection, then reload the page.');
  await expect(page.getByRole('button', { name: 'Reload the page' })).toBeVisible();

  await page.getByRole('tab', { name: 'Destinations' }).click();
  await expect(page.getByRole('button', { name: 'Create destination' })).toBeVisible();
  await expect(page.getByRole('row')).not.toHaveCount(0);
  forgiveBrokenChunks(page, 'settings-tab-');
});

test('a dialog whose code cannot be loaded says so in the modal', async ({ page }) => {
  await watch(page);
  await breakChunk(page, 'dialogs-');
  await page.goto(surfaceUrl('admin', { user: USERS.admin }));
  await settled(page);
  await page.getByRole('button', { name: 'Create destination' }).click();
  await expect(modal(page).getByTestId('chunk-failure')).toHaveText('The code for this dialog could not be loaded. Check your connection, then reload the page.');
  forgiveBrokenChunks(page, 'dialogs-');
});

test('a portfolio whose pickers and CSV code cannot be loaded shows its rows and says what is missing', async ({ page }) => {
  await watch(page);
  await breakChunk(page, 'select-');
  await breakChunk(page, 'portfolio-csv-');
  await page.goto(surfaceUrl('portfolio', { user: USERS.leader }));
  await settled(page);
  // The filters say they could not be loaded; the table is there all the same.
  await expect(page.getByRole('alert').filter({ hasText: 'This list could not be loaded.' })).toHaveCount(3);
  await expect(page.getByText('Faster checkout').first()).toBeVisible();

  await page.getByRole('button', { name: 'Export CSV' }).click();
  await expect(page.getByTestId('csv-failure')).toHaveText('The code for the CSV export could not be loaded. Check your connection, then reload the page.');
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
  forgiveBrokenChunks(page, 'select-', 'portfolio-csv-');
});

/**
 * Holds every request for the surface's page code (`app-*.js`, React, Atlaskit and the page behind it) until
 * the resolver call `key` has been sent, or 10 s have passed; says whether the call went first.
 */
async function holdPageCodeUntilCall(page: Page, key: string): Promise<() => boolean> {
  let called = false;
  let calledFirst = true;
  let release: () => void = () => undefined;
  const sent = new Promise<void>((resolve) => (release = resolve));
  page.context().on('request', (r) => {
    if (!r.url().includes('/__forge/bridge/invoke')) return;
    const body = r.postDataJSON() as { functionKey?: unknown } | null;
    if (body?.functionKey === key) {
      called = true;
      release();
    }
  });
  await page.context().route(/\/assets\/app-[^/]*\.js$/, async (route) => {
    await Promise.race([sent, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    calledFirst &&= called;
    await route.continue();
  });
  return () => calledFirst;
}

test('the portfolio asks for its data before its page code has arrived', async ({ page }) => {
  await watch(page);
  const calledFirst = await holdPageCodeUntilCall(page, 'portfolio/get');
  await page.goto(surfaceUrl('portfolio', { user: USERS.leader }));
  await settled(page);
  await expect(page.getByRole('heading', { name: 'Business destinations' })).toBeVisible();
  await expect(page.locator('table tbody tr').first()).toContainText('Faster checkout');
  expect(calledFirst()).toBe(true);
});

test('the panel reads its context and asks for its epic before its page code has arrived', async ({ page }) => {
  await watch(page);
  const calledFirst = await holdPageCodeUntilCall(page, 'epic/alignment');
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-1' }));
  await settled(page);
  await expect(page.getByText("This epic's progress")).toBeVisible();
  expect(calledFirst()).toBe(true);
});

test('a surface whose page code cannot be loaded says so instead of staying blank', async ({ page }) => {
  await watch(page);
  await breakChunk(page, 'app-');
  await page.goto(surfaceUrl('portfolio', { user: USERS.leader }));
  await expect(page.locator('#root')).toHaveText('This part of the app could not be loaded. Reload the page to try again.');
  forgiveBrokenChunks(page, 'app-');
});
