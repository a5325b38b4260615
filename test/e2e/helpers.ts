/** Shared helpers for the browser tests of the four Custom UI surfaces. */
import { test as base, expect, type BrowserContext, type ConsoleMessage, type FrameLocator } from '@playwright/test';
import type { Page } from '@playwright/test';

export { expect };

export const MODULES = {
  field: 'business-destination-field',
  panel: 'destination-panel',
  portfolio: 'destinations-portfolio',
  admin: 'destinations-admin',
  gadget: 'destination-gadget',
} as const;
export type SurfaceName = keyof typeof MODULES;
export type Theme = 'light' | 'dark';

export const USERS = { admin: 'u-admin', leader: 'u-leader', dev: 'u-dev' } as const;

export function surfaceUrl(
  surface: SurfaceName,
  opts: { user: string; issue?: string; theme?: Theme; project?: string; experience?: 'issue-view' | 'issue-create' },
): string {
  const q = new URLSearchParams({ user: opts.user, theme: opts.theme ?? 'light' });
  if (opts.issue) q.set('issue', opts.issue);
  if (opts.project) q.set('project', opts.project);
  if (opts.experience) q.set('experience', opts.experience);
  return `/surface/${MODULES[surface]}?${q.toString()}`;
}

/** What the console says that no surface should: warnings, errors and uncaught exceptions, in any frame. */
const consoleProblems = new WeakMap<BrowserContext, string[]>();

function isProblem(m: ConsoleMessage): boolean {
  // The browser's own favicon request is not the app's doing.
  return (m.type() === 'error' || m.type() === 'warning') && !m.location().url.endsWith('/favicon.ico');
}

/** Start recording console problems of every page and frame of a context (once per context). */
export function recordConsoleProblems(context: BrowserContext): string[] {
  const known = consoleProblems.get(context);
  if (known) return known;
  const problems: string[] = [];
  consoleProblems.set(context, problems);
  context.on('console', (m) => {
    if (isProblem(m)) problems.push(`${m.type()} in ${m.location().url}: ${m.text()}`);
  });
  context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
  return problems;
}

/** The spec file the local site was last reset for. */
let siteResetFor: string | undefined;

/**
 * The browser tests' `test`: each spec file starts from the site as loaded (the local server's test-only
 * `POST /api/reset`), so no file depends on what another wrote; every test fails if any page or frame of its
 * context logged a warning or an error (Atlaskit's own warnings included), whether or not the test looked.
 */
export const test = base.extend<{ freshSitePerFile: void; cleanConsole: void }>({
  freshSitePerFile: [
    async ({ request }, use, testInfo) => {
      if (siteResetFor !== testInfo.file) {
        const answer = await request.post('/api/reset');
        expect(answer.status(), 'POST /api/reset on the local server').toBe(200);
        siteResetFor = testInfo.file;
      }
      await use();
    },
    { auto: true },
  ],
  cleanConsole: [
    async ({ context }, use) => {
      const problems = recordConsoleProblems(context);
      await use();
      expect(problems, 'console warnings and errors in the surfaces').toEqual([]);
    },
    { auto: true },
  ],
});

export interface Watch {
  /** Console warnings and errors and uncaught exceptions so far, from every frame of the page's context. */
  errors: string[];
  dialogs: string[];
  bridgeCalls: () => Promise<Array<{ name: string; payload: unknown }>>;
}

/**
 * Record console warnings and errors, uncaught exceptions and dialogs, and every call the app makes through
 * `window.__bridge` (wrapped as the local server installs it, before the app loads).
 */
export async function watch(page: Page): Promise<Watch> {
  const errors = recordConsoleProblems(page.context());
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __calls: Array<{ name: string; payload: unknown }>; __bridge?: unknown };
    w.__calls = [];
    let bridge: unknown;
    Object.defineProperty(window, '__bridge', {
      configurable: true,
      get: () => bridge,
      set: (value: { callBridge: (name: string, payload?: unknown) => Promise<unknown> }) => {
        const original = value.callBridge.bind(value);
        bridge = {
          ...value,
          callBridge: (name: string, payload?: unknown) => {
            let copy: unknown;
            try {
              copy = JSON.parse(JSON.stringify(payload ?? null));
            } catch {
              copy = String(payload);
            }
            w.__calls.push({ name, payload: copy });
            return original(name, payload);
          },
        };
      },
    });
  });
  return {
    errors,
    dialogs,
    bridgeCalls: () => page.evaluate(() => (window as unknown as { __calls: Array<{ name: string; payload: unknown }> }).__calls),
  };
}

/** Wait until the surface has rendered something other than a spinner. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('[data-testid="loading"]')).toHaveCount(0, { timeout: 15_000 });
}

/**
 * The Forge modal an app opened (`Modal` from `@forge/bridge`): its own frame in a dialog over the page. The
 * shell hosts it over the whole Jira page; a surface opened on its own hosts it over itself.
 */
export const modal = (page: Page): FrameLocator => page.frameLocator('iframe[data-role="modal"]');

/** The admin page framed by the shell (`/#/admin`), as Jira shows it. */
export const shellAdmin = (page: Page): FrameLocator => page.frameLocator('iframe[data-role="page"]');

/**
 * Create a destination through the admin page: `admin` is where the page is (the page itself when the
 * surface is opened alone, or its frame in the shell); the form is in the modal over it.
 */
export async function createDestination(page: Page, name: string, targetDate = '2027-04-01', admin: Page | FrameLocator = page): Promise<void> {
  await admin.getByRole('button', { name: 'Create destination' }).click();
  const dialog = modal(page);
  await dialog.getByLabel('Name').fill(name);
  await dialog.locator('#dest-businessOwner').fill('Lee');
  await dialog.getByRole('option', { name: 'Lee Leader' }).click();
  await dialog.locator('#dest-targetDate').fill(targetDate);
  await dialog.locator('#dest-targetDate').press('Enter');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('iframe[data-role="modal"]')).toHaveCount(0);
  await expect(admin.getByText(`${name} created`)).toBeVisible();
  // The list reloads after the save: wait for the new row.
  await expect(admin.getByRole('cell', { name, exact: true })).toBeVisible();
}

export const unique = (prefix: string): string => `${prefix} ${Date.now().toString(36)}`;
