/** The journey: an admin creates a destination, a developer aligns an epic to it, a leader sees the portfolio change. */
import { expect, test, modal, settled, surfaceUrl, USERS, watch } from './helpers';

test('admin creates a destination, developer aligns an epic, leader sees it in the portfolio', async ({ page }) => {
  const name = `Mobile wallet ${Date.now().toString(36)}`;
  const w = await watch(page);

  // 1. The admin creates the destination.
  await page.goto(surfaceUrl('admin', { user: USERS.admin }));
  await page.getByRole('button', { name: 'Create destination' }).click();
  const dialog = modal(page);
  await dialog.getByLabel('Name').fill(name);
  await dialog.locator('#dest-businessOwner').fill('Lee');
  await dialog.getByRole('option', { name: 'Lee Leader' }).click();
  await dialog.locator('#dest-targetDate').fill('2027-02-15');
  await dialog.locator('#dest-targetDate').press('Enter');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText(`${name} created`)).toBeVisible();
  await expect(page.getByRole('cell', { name, exact: true })).toBeVisible();

  // 2. The developer aligns PAY-10 from its panel.
  await page.goto(surfaceUrl('panel', { user: USERS.dev, issue: 'PAY-10' }));
  await settled(page);
  await expect(page.getByText('This epic serves no destination: choose one')).toBeVisible();
  await page.locator('#panel-destination-select').fill(name.slice(0, 12));
  await page.getByRole('option', { name }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(`PAY-10 now serves ${name}.`)).toBeVisible();
  await expect(page.getByRole('heading', { name })).toBeVisible();

  // 3. The leader sees the destination in the portfolio with its epic.
  await page.goto(surfaceUrl('portfolio', { user: USERS.leader }));
  await settled(page);
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: `Show epics of ${name}` }).click();
  await expect(row.getByRole('link', { name: 'PAY-10' })).toBeVisible();
  await expect(row.getByText('Wallet onboarding')).toBeVisible();

  expect(w.errors).toEqual([]);
});
