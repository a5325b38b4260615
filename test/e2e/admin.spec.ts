/**
 * The admin page: validation, reorder, archive and restore, refused delete, stale edits, settings. Its
 * dialogs open in Forge's modal (`Modal` from `@forge/bridge`), a frame of their own over the page.
 */
import { expect, test, createDestination, modal, settled, surfaceUrl, unique, USERS, watch } from './helpers';

test.beforeEach(async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('admin', { user: USERS.admin }));
  await settled(page);
});

test('missing fields are flagged inline before anything is sent', async ({ page }) => {
  await page.getByRole('button', { name: 'Create destination' }).click();
  const dialog = modal(page);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByText('Give the destination a name.')).toBeVisible();
  await expect(dialog.getByText('Choose the business owner.')).toBeVisible();
  await expect(dialog.getByText('Choose a target date.')).toBeVisible();
});

test('the name takes at most 120 characters, the backend limit', async ({ page }) => {
  await page.getByRole('button', { name: 'Create destination' }).click();
  const name = modal(page).getByLabel('Name');
  await name.fill('');
  await name.pressSequentially('x'.repeat(130));
  await expect(name).toHaveValue('x'.repeat(120));
});

test('a typed date that is not a date says so, rather than asking to choose one', async ({ page }) => {
  await page.getByRole('button', { name: 'Create destination' }).click();
  const dialog = modal(page);
  await dialog.locator('#dest-targetDate').fill('2027-13-45');
  await dialog.locator('#dest-startDate').fill('someday');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByTestId('error-targetDate')).toHaveText('Enter a valid date, such as 2027-03-31.');
  await expect(dialog.getByTestId('error-startDate')).toHaveText('Enter a valid date, such as 2027-03-31.');
  await expect(dialog.getByText('Choose a target date.')).toHaveCount(0);
});

test('a duplicate name is refused by the backend and shown on the name field', async ({ page }) => {
  await page.getByRole('button', { name: 'Create destination' }).click();
  const dialog = modal(page);
  await dialog.getByLabel('Name').fill('faster checkout');
  await dialog.locator('#dest-businessOwner').fill('Lee');
  await dialog.getByRole('option', { name: 'Lee Leader' }).click();
  await dialog.locator('#dest-targetDate').fill('2027-04-01');
  await dialog.locator('#dest-targetDate').press('Enter');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByTestId('error-name')).toBeVisible();
});

test('a past target date is accepted with a warning shown after save', async ({ page }) => {
  const name = unique('Past target');
  await createDestination(page, name, '2026-01-15');
  await expect(page.getByRole('status').filter({ hasText: `${name} created` })).toContainText(/past|passed/i);
});

test('move up ranks a destination above its neighbour', async ({ page }) => {
  const name = unique('Reorder me');
  await createDestination(page, name);
  const names = async () => page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent ?? ''));
  const before = await names();
  const i = before.indexOf(name);
  expect(i).toBeGreaterThan(0);
  await page.getByRole('button', { name: `Move ${name} up` }).click();
  await expect.poll(names).toEqual([...before.slice(0, i - 1), name, before[i - 1], ...before.slice(i + 1)]);
  // Priorities stay 1..n in table order.
  const ranks = await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.children[0]?.textContent)));
  expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
});

test('archive and restore go through a confirmation', async ({ page }) => {
  const name = unique('Archive me');
  await createDestination(page, name);
  await page.getByRole('button', { name: `Archive ${name}` }).click();
  await modal(page).getByRole('button', { name: 'Archive' }).click();
  await expect(page.getByText(`${name} archived`)).toBeVisible();
  await expect(page.getByRole('cell', { name, exact: true })).toHaveCount(0);
  await page.getByRole('button', { name: 'Show archived' }).click();
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row.getByText('archived')).toBeVisible();
  await page.getByRole('button', { name: `Restore ${name}` }).click();
  await modal(page).getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByText(`${name} restored`)).toBeVisible();
});

test('deleting a destination that epics use is refused with the reason', async ({ page }) => {
  await page.getByRole('button', { name: 'Delete Faster checkout' }).click();
  const dialog = modal(page);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog.getByText('Not deleted')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('iframe[data-role="modal"]')).toHaveCount(0);
  await expect(page.getByRole('cell', { name: 'Faster checkout', exact: true })).toBeVisible();
});

test('a stale edit says who won, keeps the typed values, and saves after Reload', async ({ page, browser }) => {
  const name = unique('Contested');
  await createDestination(page, name);

  // This admin starts editing and types a description.
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const mine = modal(page);
  await mine.getByLabel('Description').fill('My careful description');

  // Meanwhile another admin renames it.
  const other = await browser.newPage();
  await other.goto(surfaceUrl('admin', { user: USERS.admin }));
  await other.getByRole('button', { name: `Edit ${name}` }).click();
  await modal(other).getByLabel('Name').fill(`${name} (renamed)`);
  await modal(other).getByRole('button', { name: 'Save' }).click();
  await expect(other.getByText(`${name} (renamed) saved`)).toBeVisible();
  await other.close();

  await mine.getByRole('button', { name: 'Save' }).click();
  await expect(mine.getByText('This destination was changed by someone else')).toBeVisible();
  await expect(mine.getByLabel('Description')).toHaveValue('My careful description');
  await mine.getByRole('button', { name: 'Reload' }).click();
  await expect(mine.getByText(`Name: ${name} (renamed)`)).toBeVisible();
  await expect(mine.getByLabel('Description')).toHaveValue('My careful description');
  await mine.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(`${name} saved`)).toBeVisible();
});

test('settings: the throughput window is validated inline and saved with its version', async ({ page }) => {
  await page.getByRole('tab', { name: 'Settings' }).click();
  const weeks = page.getByLabel('Throughput window (weeks)');
  await expect(weeks).toHaveValue(/\d+/);
  await weeks.fill('0');
  await expect(page.getByText('Choose between 1 and 52 weeks.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await weeks.fill('12');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
});

test('settings: the chance thresholds of the verdict are validated inline and saved', async ({ page }) => {
  await page.getByRole('tab', { name: 'Settings' }).click();
  const onTrack = page.getByLabel('On track from (% chance)');
  const atRisk = page.getByLabel('At risk from (% chance)');
  await expect(onTrack).toHaveValue('70');
  await expect(atRisk).toHaveValue('30');
  await atRisk.fill('70');
  await expect(page.getByText('Choose less than the on-track chance (70%).')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  await onTrack.fill('101');
  await expect(page.getByText('Choose between 1% and 100%.')).toBeVisible();
  await onTrack.fill('80');
  await atRisk.fill('40');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await page.reload();
  await page.getByRole('tab', { name: 'Settings' }).click();
  await expect(page.getByLabel('On track from (% chance)')).toHaveValue('80');
  await expect(page.getByLabel('At risk from (% chance)')).toHaveValue('40');
  // Back to the defaults, for the tests that share this site.
  await page.getByLabel('On track from (% chance)').fill('70');
  await page.getByLabel('At risk from (% chance)').fill('30');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Settings saved')).toBeVisible();
});

test('settings: a full recalculation can be started and its progress is shown', async ({ page }) => {
  await page.getByRole('tab', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Recalculation' });
  await expect(section.getByRole('button', { name: 'Recalculate now' })).toBeVisible();
  await section.getByRole('button', { name: 'Recalculate now' }).click();
  await expect(section.getByText(/Running \(|Last recalculation finished/)).toBeVisible({ timeout: 30_000 });
  await expect(section.getByText(/Last recalculation finished/)).toBeVisible({ timeout: 45_000 });
  await expect(section.getByText(/Current figures: \d+ epics/)).toBeVisible();
});
