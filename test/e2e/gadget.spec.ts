/**
 * The dashboard gadget hosted by the shell's Dashboards page the way Jira hosts it: a gadget frame with its
 * title and an Edit action showing the edit resource; Save (view.submit) keeps the configuration for the
 * gadget and the view reads it back from its context. Light and dark.
 */
import type { FrameLocator, Page } from '@playwright/test';
import { expect, test, watch } from './helpers';

const gadgetFrame = (page: Page, role: 'gadget' | 'gadget-edit'): FrameLocator => page.frameLocator(`iframe[data-role="${role}"]`);

/** Opens the gadget's edit view (a gadget never configured opens in it), picks `option`, saves. */
async function configure(page: Page, option: string): Promise<void> {
  const edit = page.getByTestId('gadget-edit');
  if ((await page.locator('iframe[data-role="gadget-edit"]').count()) === 0) await edit.click();
  const form = gadgetFrame(page, 'gadget-edit');
  const select = form.locator('#gadget-destination-select');
  await expect(select).toBeVisible();
  await select.fill(option);
  // The option itself, once the destination list has answered (Enter before it would keep the current value).
  await form.getByRole('option', { name: new RegExp(`^${option}`) }).click();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('iframe[data-role="gadget"]')).toBeVisible();
}

for (const theme of ['light', 'dark'] as const) {
  test(`a leader puts one destination, then the portfolio headline, on a dashboard (${theme})`, async ({ page }) => {
    const w = await watch(page);
    await page.goto('/#/dashboard');
    if (theme === 'dark') await page.locator('#theme-picker').selectOption('dark');
    const box = page.getByTestId('dashboard-gadget');
    await expect(box.getByRole('heading', { name: 'Business destination' })).toBeVisible();

    await configure(page, 'Faster checkout');
    const view = gadgetFrame(page, 'gadget');
    await expect(view.locator('html')).toHaveAttribute('data-color-mode', theme);
    await expect(view.getByRole('region', { name: 'Destination Faster checkout' })).toBeVisible();
    await expect(view.getByTestId('gadget-check-ins')).toContainText('Owner');
    await expect(view.getByTestId('gadget-concerns')).toBeVisible();

    // Kept per gadget: the dashboard shown again reads the same configuration from the context.
    await page.reload();
    await expect(gadgetFrame(page, 'gadget').getByRole('region', { name: 'Destination Faster checkout' })).toBeVisible();

    await configure(page, 'Portfolio headline');
    await expect(gadgetFrame(page, 'gadget').getByRole('region', { name: 'Portfolio headline' })).toBeVisible();
    await expect(gadgetFrame(page, 'gadget').getByTestId('gadget-off-route')).toBeVisible();
    expect(w.errors).toEqual([]);
  });
}
