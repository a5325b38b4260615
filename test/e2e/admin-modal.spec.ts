/**
 * The admin page's dialogs in the Jira-like shell: Forge's modal is drawn over the whole page, so the form,
 * its buttons, its inline errors and the stale-edit message are all in view, never clipped by the admin
 * page's frame. Screenshots are written only with UPDATE_SCREENSHOTS=1.
 */
import { mkdirSync } from 'node:fs';
import type { APIRequestContext, Locator, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import type { DestinationView } from '../../src/contract';
import { createDestination, expect, modal, shellAdmin, test, unique, USERS, watch, type Theme } from './helpers';

const VIEWPORT = { width: 1280, height: 720 };

/** `inner`'s box lies wholly inside `outer`'s (or the viewport's), so nothing of it is cut off. */
async function expectWithin(inner: Locator, outer: Locator | { width: number; height: number }): Promise<void> {
  const a = await inner.boundingBox();
  const b = 'boundingBox' in outer ? await outer.boundingBox() : { x: 0, y: 0, ...outer };
  expect(a, 'the element is laid out').not.toBeNull();
  expect(b, 'its container is laid out').not.toBeNull();
  const slack = 0.5;
  expect(a!.x).toBeGreaterThanOrEqual(b!.x - slack);
  expect(a!.y).toBeGreaterThanOrEqual(b!.y - slack);
  expect(a!.x + a!.width).toBeLessThanOrEqual(b!.x + b!.width + slack);
  expect(a!.y + a!.height).toBeLessThanOrEqual(b!.y + b!.height + slack);
}

async function openShellAdmin(page: Page, theme: Theme = 'light'): Promise<void> {
  await page.setViewportSize(VIEWPORT);
  await page.goto('/#/admin');
  if (theme === 'dark') await page.locator('#theme-picker').selectOption('dark');
  await expect(shellAdmin(page).getByRole('tab', { name: 'Destinations' })).toBeVisible();
  await expect(shellAdmin(page).getByRole('cell', { name: 'Faster checkout', exact: true })).toBeVisible();
}

async function invoke<T>(request: APIRequestContext, key: string, payload: unknown): Promise<T> {
  const res = await request.post('/api/invoke', { data: { moduleKey: 'destinations-admin', key, payload, accountId: USERS.admin } });
  const body = (await res.json()) as { ok: boolean; data: T; error?: { message: string } };
  if (!body.ok) throw new Error(body.error?.message ?? 'invoke failed');
  return body.data;
}

for (const theme of ['light', 'dark'] as Theme[]) {
  test(`create (${theme}): the form opens over the whole page, flags errors inline and saves, all in view`, async ({ page }) => {
    const w = await watch(page);
    await openShellAdmin(page, theme);
    await shellAdmin(page).getByRole('button', { name: 'Create destination' }).click();

    const dialog = page.locator('[data-forge-modal]');
    const form = modal(page);
    await expect(dialog).toBeVisible();
    // Drawn by the host page over everything, not inside the admin page's frame.
    await expect(page.locator('iframe[data-role="page"]')).toHaveCount(1);
    await expect(dialog).toHaveAttribute('data-size', 'large');
    await expectWithin(dialog, VIEWPORT);
    await expect(form.getByRole('heading', { name: 'Create destination' })).toBeVisible();
    await expect(form.locator('html')).toHaveAttribute('data-color-mode', theme);
    const axe = await new AxeBuilder({ page }).include('[data-forge-modal]').analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}]`)).toEqual([]);

    const create = form.getByRole('button', { name: 'Create' });
    await expectWithin(create, dialog);
    await create.click();
    await expect(form.getByTestId('error-name')).toHaveText('Give the destination a name.');
    await expectWithin(form.getByTestId('error-name'), dialog);
    await expectWithin(create, dialog);

    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync('docs/screenshots', { recursive: true });
      await page.screenshot({ path: `docs/screenshots/admin-modal-${theme}.png` });
    }

    const name = unique(`Modal ${theme}`);
    await form.getByLabel('Name').fill(name);
    await expect(form.getByTestId('error-name')).toHaveCount(0);
    await form.locator('#dest-businessOwner').fill('Lee');
    await form.getByRole('option', { name: 'Lee Leader' }).click();
    await form.locator('#dest-targetDate').fill('2027-05-01');
    await form.locator('#dest-targetDate').press('Enter');
    await create.click();

    // view.close(result) closes the modal and hands the result to the page's onClose.
    await expect(dialog).toHaveCount(0);
    await expect(shellAdmin(page).getByText(`${name} created`)).toBeVisible();
    await expect(shellAdmin(page).getByRole('cell', { name, exact: true })).toBeVisible();
    expect(w.errors).toEqual([]);
  });
}

test('edit: a stale save shows the whole conflict message in view and keeps what was typed', async ({ page, request }) => {
  await openShellAdmin(page);
  const name = unique('Modal contested');
  await createDestination(page, name, '2027-06-01', shellAdmin(page));

  await shellAdmin(page).getByRole('button', { name: `Edit ${name}` }).click();
  const dialog = page.locator('[data-forge-modal]');
  const form = modal(page);
  await expect(form.getByLabel('Name')).toHaveValue(name);
  await form.getByLabel('Description').fill('Typed before the conflict');

  // Another admin renames it meanwhile.
  const list = await invoke<DestinationView[]>(request, 'destinations/list', { includeArchived: true });
  const d = list.find((x) => x.name === name)!;
  await invoke(request, 'destinations/update', {
    id: d.id,
    version: d.version,
    draft: { name: `${name} (renamed)`, businessOwner: d.businessOwner, targetDate: d.targetDate, status: d.status },
  });

  await form.getByRole('button', { name: 'Save' }).click();
  const message = form.getByText('This destination was changed by someone else');
  await expect(message).toBeVisible();
  // The whole message, its Reload action included, is inside the dialog, and the dialog inside the window.
  const section = form.locator('section', { has: form.getByRole('button', { name: 'Reload' }) }).first();
  await expectWithin(section, dialog);
  await expectWithin(dialog, VIEWPORT);
  await expect(form.getByLabel('Description')).toHaveValue('Typed before the conflict');

  await form.getByRole('button', { name: 'Reload' }).click();
  await expect(form.getByText(`Name: ${name} (renamed)`)).toBeVisible();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(shellAdmin(page).getByText(`${name} saved`)).toBeVisible();
});

test('Escape and Cancel close the modal without a change', async ({ page }) => {
  await openShellAdmin(page);
  await shellAdmin(page).getByRole('button', { name: 'Create destination' }).click();
  await expect(modal(page).getByLabel('Name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.locator('[data-forge-modal]')).toHaveCount(0);

  await shellAdmin(page).getByRole('button', { name: 'Create destination' }).click();
  await modal(page).getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('[data-forge-modal]')).toHaveCount(0);
  await expect(shellAdmin(page).getByRole('status')).toHaveCount(0);
});
