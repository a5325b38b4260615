/** Keyboard-only use of the field edit and the panel. */
import { expect, test, settled, surfaceUrl, USERS, watch } from './helpers';

test('field: focus on load, type to filter, Enter picks, Enter saves through view.submit', async ({ page }) => {
  const w = await watch(page);
  await page.goto(surfaceUrl('field', { user: USERS.admin, issue: 'PAY-50' }));
  await settled(page);
  await expect(page.locator('#business-destination-select')).toBeFocused();
  await page.keyboard.type('Faster');
  await expect(page.getByRole('option', { name: /Faster checkout/ })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('option')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await w.bridgeCalls()).filter((c) => c.name === 'submit').map((c) => c.payload)).toEqual([
    { id: 'D-1', name: 'Faster checkout' },
  ]);
  expect(w.errors).toEqual([]);
});

test('field: Escape cancels through view.close without submitting', async ({ page }) => {
  const w = await watch(page);
  await page.goto(surfaceUrl('field', { user: USERS.admin, issue: 'PAY-40' }));
  await settled(page);
  await expect(page.locator('#business-destination-select')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect.poll(async () => (await w.bridgeCalls()).map((c) => c.name)).toContain('close');
  expect((await w.bridgeCalls()).some((c) => c.name === 'submit')).toBe(false);
});

test('panel: choose a destination with the keyboard only', async ({ page }) => {
  const w = await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-40' }));
  await settled(page);
  await expect(page.getByText('This epic serves no destination: choose one')).toBeVisible();
  // Tab until the destination select has focus.
  for (let i = 0; i < 15; i++) {
    if (await page.locator('#panel-destination-select').evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('Tab');
  }
  await expect(page.locator('#panel-destination-select')).toBeFocused();
  await page.keyboard.type('Faster');
  await page.keyboard.press('Enter');
  // Tab to Save and press it.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const text = await page.evaluate(() => document.activeElement?.textContent ?? '');
    if (text.trim() === 'Save') break;
  }
  await page.keyboard.press('Enter');
  await expect(page.getByText('PAY-40 now serves Faster checkout.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Faster checkout' })).toBeVisible();
  expect(w.errors).toEqual([]);
});

test('field on the create screen: choosing a destination submits it at once (no save step)', async ({ page }) => {
  const w = await watch(page);
  await page.goto(surfaceUrl('field', { user: USERS.admin, project: 'PAY', experience: 'issue-create' }));
  await settled(page);
  await expect(page.locator('#business-destination-select')).toBeFocused();
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await page.keyboard.type('Faster');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await w.bridgeCalls()).filter((c) => c.name === 'submit').map((c) => c.payload)).toEqual([
    { id: 'D-1', name: 'Faster checkout' },
  ]);
  expect(w.errors).toEqual([]);
});
