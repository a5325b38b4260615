/** The panel's other states: a non-epic, an archived destination, an unaligned epic, clearing. */
import { test, expect } from '@playwright/test';
import { settled, surfaceUrl, USERS, watch } from './helpers';

test('on a story the panel explains that destinations belong to epics', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-2' }));
  await settled(page);
  await expect(page.getByText(/Business destinations are set on epics/)).toBeVisible();
});

test('an epic pointing at an archived destination shows the problem and the fix', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-60' }));
  await settled(page);
  await expect(page.getByText("This epic's destination needs attention")).toBeVisible();
  await expect(page.getByText(/Fix: choose an active destination/)).toBeVisible();
  // The problem is said once, not again in the warnings list below.
  await expect(page.getByText(/points to "Old loyalty scheme"/)).toHaveCount(1);
  await expect(page.getByText("This epic's progress")).toBeVisible();
});

test('an unaligned epic shows its own progress next to the chooser', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'SEC-4' }));
  await settled(page);
  await expect(page.getByText('This epic serves no destination: choose one')).toBeVisible();
  await expect(page.getByText("This epic's progress")).toBeVisible();
  await expect(page.getByText('1 in progress')).toBeVisible();
});

test('count and estimate toggle the progress bar', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-1' }));
  await settled(page);
  const bar = page.getByRole('img', { name: /issues$/ }).first();
  await expect(bar).toBeVisible();
  await page.getByRole('button', { name: 'Estimate' }).click();
  await expect(page.getByRole('button', { name: 'Estimate' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('img', { name: /estimate$/ }).first()).toBeVisible();
});

test('sibling links open the issue through the router', async ({ page }) => {
  const w = await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-1' }));
  await settled(page);
  const link = page.getByRole('link', { name: /^(PAY|SEC)-\d+$/ }).first();
  const key = await link.innerText();
  await link.click();
  await expect.poll(async () => (await w.bridgeCalls()).filter((c) => c.name === 'navigate').map((c) => c.payload)).toContainEqual(
    expect.objectContaining({ target: 'issue', issueKey: key }),
  );
});

test('an unaligned epic offers a choice, and clearing returns to it', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'SEC-4' }));
  await settled(page);
  await expect(page.getByText('This epic serves no destination: choose one')).toBeVisible();
  await page.locator('#panel-destination-select').fill('Faster');
  await page.getByRole('option', { name: 'Faster checkout' }).click();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('SEC-4 now serves Faster checkout.')).toBeVisible();
  await page.getByRole('button', { name: 'Change destination' }).click();
  await page.getByRole('button', { name: 'Clear destination' }).click();
  await expect(page.getByText('SEC-4 no longer serves a destination.')).toBeVisible();
  await expect(page.getByText('This epic serves no destination: choose one')).toBeVisible();
});

test('the panel says the forecast in a leader\'s words: date, days early or late, likely range and chance', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-1' }));
  await settled(page);
  const chance = page.getByTestId('forecast-chance');
  await expect(chance).toBeVisible();
  await expect(chance).toContainText(/^Likely (between|on|after) .+; (\d+% chance|almost certain|almost no chance) by the target date\./);
  const text = await page.locator('body').innerText();
  expect(text).toMatch(/\d+ days? (early|late)|on the target date/);
  for (const word of ['P50', 'P85', 'simulated futures', 'normal approximation', 'pessimistic']) expect(text).not.toContain(word);
});
