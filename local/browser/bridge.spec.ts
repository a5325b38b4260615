/**
 * The injected bridge, in a real browser, under the real `@forge/bridge`: a tiny app bundled from
 * fixtures/bridge-page.ts is served by the local server (fake Jira and platform) as each surface.
 * Run: npx playwright test -c local/browser/playwright.config.ts
 */
import { test, expect, type Frame, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { startServer, type RunningServer } from '../server/server';
import { ADMIN, DEV, fakeJira, fakePlatform, fakeRoot, type FakeJira } from '../server/test-fakes';

type Checks = Record<string, (arg?: unknown) => Promise<unknown>>;

let server: RunningServer;
let jira: FakeJira;
let platform: ReturnType<typeof fakePlatform>;
let root: string;

test.beforeAll(async () => {
  const bundled = await build({
    entryPoints: [path.join(__dirname, 'fixtures', 'bridge-page.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
  });
  const js = bundled.outputFiles[0]?.text ?? '';
  // Vite's shape: a module script with a relative URL in <head>, the mount point in <body>.
  const html = '<!doctype html><html><head><meta charset="utf-8"><script type="module" src="./main.js"></script></head><body><div id="root"></div></body></html>';
  const files: Record<string, string> = {};
  for (const dir of ['field', 'panel', 'page']) {
    files[`static/${dir}/build/index.html`] = html;
    files[`static/${dir}/build/main.js`] = js;
  }
  root = fakeRoot(files);
  jira = fakeJira();
  platform = fakePlatform();
  server = await startServer({ platform, jira, root, port: 0, host: '127.0.0.1' });
});

test.afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

/**
 * A shell frame once its bridge has loaded. The frame is looked up again on every try: the shell may
 * replace the iframe while it loads, and a handle to the replaced one would never become ready.
 */
async function loadedFrame(page: Page, selector = 'iframe[data-role="page"]'): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const frame = await (await page.locator(selector).elementHandle())?.contentFrame();
    if (frame && (await frame.evaluate(() => 'bridgeChecks' in window).catch(() => false))) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error('the page frame never loaded its bridge');
}

async function ready(frame: Frame | Page): Promise<void> {
  await frame.waitForFunction(() => 'bridgeChecks' in window);
}

function run(frame: Frame | Page, name: string, arg?: unknown): Promise<unknown> {
  return frame.evaluate(([n, a]) => (window as unknown as { bridgeChecks: Checks }).bridgeChecks[n as string]?.(a), [name, arg] as const);
}

test('invoke, getContext, requestJira and submit round-trip through the server', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${server.url}/surface/the-field/?user=${DEV}&issue=ALPHA-1&experience=issue-view&theme=dark&frame=t1`);
  await ready(page);
  await expect(page.locator('#root')).toHaveText('bridge page ready');

  const context = (await run(page, 'getContext')) as Record<string, unknown>;
  expect(context).toMatchObject({
    accountId: DEV,
    moduleKey: 'the-field',
    locale: 'en-US',
    theme: { colorMode: 'dark' },
    extension: { type: 'jira:customField', renderContext: 'issue-view', fieldValue: { id: 'D-1', name: 'Grow online sales' }, issue: { key: 'ALPHA-1' } },
  });

  expect(await run(page, 'invoke')).toEqual({ ok: true, data: { functionKey: 'field-fn', resolverKey: 'epic/alignment', payload: { issueKey: 'ALPHA-1' }, accountId: DEV } });
  expect(platform.calls.at(-1)?.ctx.extension).toMatchObject({ type: 'jira:customField', issue: { key: 'ALPHA-1' } });

  const fetched = (await run(page, 'requestJira')) as { status: number; contentType: string; body: { key: string } };
  expect(fetched.status).toBe(200);
  expect(fetched.contentType).toBe('application/json');
  expect(fetched.body.key).toBe('ALPHA-1');
  expect(jira.requests.at(-1)).toMatchObject({ path: '/rest/api/3/issue/ALPHA-1?fields=summary', as: { kind: 'user', accountId: DEV } });
  // The developer may not browse SECRET: requestJira runs as them, never as the app.
  expect(await run(page, 'requestJiraDenied')).toBe(404);

  await run(page, 'submit', { id: 'D-2', name: 'Cut churn' });
  expect(jira.issues.get('ALPHA-1')?.value).toEqual({ id: 'D-2', name: 'Cut churn' });

  const themed = (await run(page, 'enableTheme')) as { colorMode: string; text: string };
  expect(themed.colorMode).toBe('dark');
  // Atlaskit's dark `color.text` token, so the dark theme (not only some theme) reached the page.
  expect(themed.text).toBe('#CECFD2');
  expect(errors).toEqual([]);
});

test('submit fails with Jira’s reason when the user may not edit the issue', async ({ page }) => {
  await page.goto(`${server.url}/surface/the-field/?user=${DEV}&issue=SECRET-1&experience=issue-view&frame=t2`);
  await ready(page);
  const message = await page.evaluate(async () => {
    try {
      await (window as unknown as { bridgeChecks: Checks }).bridgeChecks.submit?.({ id: 'D-1', name: 'x' });
      return 'no error';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  });
  expect(message).toContain('permission');
  expect(jira.issues.get('SECRET-1')?.value).toBeNull();
});

test('the shell frames the issue view: field text, inline edit, submit, panel auto-size, router.open', async ({ page }) => {
  jira.issues.get('ALPHA-1')!.value = { id: 'D-1', name: 'Grow online sales' };
  await page.goto(`${server.url}/#/issue/ALPHA-1`);
  await expect(page.getByTestId('issue-summary')).toHaveText('Checkout rewrite');
  await expect(page.getByTestId('field-value')).toHaveText('Grow online sales');

  // The panel iframe grows to its content, as Jira's iframe resizer makes it.
  const panel = page.locator('iframe[data-role="panel"]');
  await expect(panel).toHaveAttribute('style', /height: \d+px/);

  await page.getByTestId('field-value').click();
  const fieldFrame = await loadedFrame(page, 'iframe[data-role="field"]');
  const ctx = (await run(fieldFrame, 'getContext')) as { accountId: string };
  expect(ctx.accountId).toBe(ADMIN);
  await run(fieldFrame, 'submit', { id: 'D-3', name: 'Open Berlin office' });
  // Jira closes the editor and shows the formatter's text for the saved value.
  await expect(page.getByTestId('field-value')).toHaveText('Open Berlin office');
  await expect(page.locator('iframe[data-role="field"]')).toHaveCount(0);

  await page.goto(`${server.url}/#/portfolio`);
  const pageFrame = await loadedFrame(page);
  await run(pageFrame, 'openIssue');
  await expect(page).toHaveURL(/#\/issue\/ALPHA-1$/);
  await expect(page.getByTestId('field-value')).toHaveText('Open Berlin office');
});

test('a panel frame follows its content: grows, shrinks, shows a popup that sticks out, measured without a style walk', async ({ page }) => {
  await page.goto(`${server.url}/#/issue/ALPHA-1`);
  const panelFrame = await loadedFrame(page, 'iframe[data-role="panel"]');
  const panel = page.locator('iframe[data-role="panel"]');
  const height = async (): Promise<number> => Number(/height: (\d+)px/.exec((await panel.getAttribute('style')) ?? '')?.[1] ?? -1);

  await run(panelFrame, 'setBlock', 600);
  await expect.poll(height).toBeGreaterThanOrEqual(600);
  expect(await height()).toBeLessThan(700);
  await run(panelFrame, 'setBlock', 0);
  await expect.poll(height).toBeLessThan(100);

  // A menu reaching to 1,000 px grows the frame to show it, and the frame shrinks again once it closes.
  await run(panelFrame, 'setPopup', 900);
  await expect.poll(height).toBeGreaterThanOrEqual(1000);
  await page.waitForTimeout(200);
  // Held there (no oscillation between the body's height and the popup's).
  expect(await height()).toBeGreaterThanOrEqual(1000);
  await run(panelFrame, 'setPopup', null);
  await expect.poll(height).toBeLessThan(100);

  // 3,000 new elements cost the measure no more style reads than one element would (the old walk read each).
  expect(await run(panelFrame, 'styleReadsForElements', 3000)).toBeLessThanOrEqual(2);
  await expect.poll(height).toBeGreaterThan(100);
});

test('a JQL link an app navigates to opens the shell issue navigator, searched as the user', async ({ page }) => {
  await page.goto(`${server.url}/#/portfolio`);
  await page.locator('#user-picker').selectOption(DEV);
  // Switching user re-renders the page with new frames; take the developer's.
  const pageFrame = await loadedFrame(page, `iframe[data-role="page"][src*="user=${DEV}"]`);
  await run(pageFrame, 'navigateJql');
  await expect(page.getByLabel('JQL')).toHaveValue('project = ALPHA ORDER BY key');
  await expect(page.getByTestId('search-results').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('search-results')).toContainText('ALPHA-1');
});

test('the epic picker searches as the user types and never offers the developer the epic they cannot browse', async ({ page }) => {
  await page.goto(`${server.url}/`);
  await page.locator('#user-picker').selectOption(DEV);
  const picker = page.locator('#epic-picker');
  await picker.focus();
  await expect(page.locator('#epic-options option')).toHaveText(['ALPHA-1 Checkout rewrite']);
  await picker.fill('secret');
  await expect(page.locator('#epic-options option')).toHaveCount(0);
  await picker.fill('checkout');
  await expect(page.locator('#epic-options option')).toHaveText(['ALPHA-1 Checkout rewrite']);
  await picker.fill('alpha-1');
  await picker.press('Enter');
  await expect(page).toHaveURL(/#\/issue\/ALPHA-1$/);
  await expect(page.getByTestId('issue-summary')).toHaveText('Checkout rewrite');
});

test('the shell frames the page before it asks for anything the page does not need (no epic list)', async ({ page }) => {
  const asked: string[] = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${server.url}/#/portfolio`);
  await loadedFrame(page);
  expect(asked).toContain('/surface/the-page/');
  expect(asked).not.toContain('/api/site/epics');
});

test('a theme switch in the shell reaches frames that enabled theming, even ones still loading', async ({ page }) => {
  // Hold the frame's bridge script until the switch is made: the frame is loading, with theme=light.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/__forge/bridge.js', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${server.url}/#/portfolio`);
  await expect(page.locator('iframe[data-role="page"]')).toHaveAttribute('src', /theme=light/);
  await page.locator('#theme-picker').selectOption('dark');
  release();
  const frame = await loadedFrame(page);
  expect(((await run(frame, 'enableTheme')) as { colorMode: string }).colorMode).toBe('dark');
  await expect(page.locator('html')).toHaveAttribute('data-color-mode', 'dark');
  await page.locator('#theme-picker').selectOption('light');
  await expect(page.frameLocator('iframe[data-role="page"]').locator('html')).toHaveAttribute('data-color-mode', 'light');
  expect(((await run(frame, 'getContext')) as { theme: { colorMode: string } }).theme.colorMode).toBe('light');
});

test('Modal opens its resource over the whole shell, with the context under extension.modal, and close hands the payload back', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${server.url}/#/portfolio`);
  const opener = await loadedFrame(page);
  expect(await run(opener, 'openModal', { size: 'small', context: { dialog: 'x', n: 1 } })).toBe('opened');

  const dialog = page.locator('[data-forge-modal]');
  await expect(dialog).toHaveAttribute('data-size', 'small');
  const box = await dialog.boundingBox();
  // Forge's small size: 400px wide, 20vh high with a 320px minimum.
  expect(box?.width).toBe(400);
  expect(box?.height).toBe(320);
  const modalFrame = await loadedFrame(page, 'iframe[data-role="modal"]');
  expect(await run(modalFrame, 'getContext')).toMatchObject({
    accountId: ADMIN,
    moduleKey: 'the-page',
    extension: { type: 'jira:globalPage', modal: { dialog: 'x', n: 1 } },
  });
  // The modal's resolver calls go to its module's function.
  expect(await run(modalFrame, 'invoke')).toMatchObject({ ok: true, data: { functionKey: 'page-fn' } });

  await run(modalFrame, 'close', { saved: 'D-9' });
  await expect(dialog).toHaveCount(0);
  await expect.poll(() => run(opener, 'modalsClosedWith')).toEqual([{ saved: 'D-9' }]);
});

test('Escape closes a modal unless the opener turned it off; a blanket click likewise', async ({ page }) => {
  await page.goto(`${server.url}/#/portfolio`);
  const opener = await loadedFrame(page);
  await run(opener, 'openModal', { size: 'large', closeOnEscape: false, closeOnOverlayClick: false });
  const modalFrame = await loadedFrame(page, 'iframe[data-role="modal"]');
  await page.locator('iframe[data-role="modal"]').click();
  await page.keyboard.press('Escape');
  await page.mouse.click(5, 5);
  await expect(page.locator('[data-forge-modal]')).toHaveCount(1);
  await run(modalFrame, 'close');
  await expect(page.locator('[data-forge-modal]')).toHaveCount(0);

  await run(opener, 'openModal', { size: 'medium' });
  await loadedFrame(page, 'iframe[data-role="modal"]');
  await page.locator('iframe[data-role="modal"]').click();
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-forge-modal]')).toHaveCount(0);

  await run(opener, 'openModal', { size: 'medium' });
  await loadedFrame(page, 'iframe[data-role="modal"]');
  await page.mouse.click(5, 5);
  await expect(page.locator('[data-forge-modal]')).toHaveCount(0);
  // Closed without a payload each time: onClose ran with none.
  await expect.poll(() => run(opener, 'modalsClosedWith')).toEqual(['undefined', 'undefined', 'undefined']);
});

test('a surface opened on its own hosts its modals itself', async ({ page }) => {
  await page.goto(`${server.url}/surface/the-panel/?user=${DEV}&issue=ALPHA-1&frame=alone`);
  await ready(page);
  await run(page, 'openModal', { context: { k: 'v' } });
  await expect(page.locator('[data-forge-modal]')).toHaveAttribute('data-size', 'medium');
  const modalFrame = await loadedFrame(page, 'iframe[data-role="modal"]');
  expect(await run(modalFrame, 'getContext')).toMatchObject({ accountId: DEV, extension: { issue: { key: 'ALPHA-1' }, modal: { k: 'v' } } });
  await run(modalFrame, 'close', 'done');
  await expect(page.locator('[data-forge-modal]')).toHaveCount(0);
  expect(await run(page, 'modalsClosedWith')).toEqual(['done']);
});
