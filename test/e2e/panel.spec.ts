/** The panel's other states: a non-epic, an archived destination, an unaligned epic, clearing. */
import { expect, test, settled, surfaceUrl, USERS, watch } from './helpers';

test('on a story the panel explains that destinations belong to epics', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-2' }));
  await settled(page);
  await expect(page.getByText(/Business destinations are set on epics/)).toBeVisible();
});

test('the issue view shows the panel and the field on an epic and neither on a story (display conditions)', async ({ page }) => {
  await watch(page);
  await page.goto('/#/issue/PAY-80');
  await expect(page.getByTestId('issue-panel')).toBeVisible();
  await expect(page.getByTestId('destination-field')).toBeVisible();
  await page.goto('/#/issue/PAY-2');
  // The story's view has rendered (its Details box), without the app's panel or field.
  await expect(page.getByTestId('issue-summary')).toBeVisible();
  await expect(page.locator('section.details')).toBeVisible();
  await expect(page.getByTestId('issue-panel')).toHaveCount(0);
  await expect(page.getByTestId('destination-field')).toHaveCount(0);
});

test('asks for its alignment first, once, naming no issue (the backend reads it from the context), before the context and the theme', async ({ page }) => {
  const w = await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-1' }));
  await settled(page);
  await expect(page.getByText("This epic's progress")).toBeVisible();
  const calls = await w.bridgeCalls();
  const names = calls.map((c) => (c.name === 'invoke' ? `invoke ${(c.payload as { functionKey: string }).functionKey}` : c.name));
  expect(names.slice(0, 3)).toEqual(['invoke epic/alignment', 'getContext', 'enableTheming']);
  expect(names.filter((n) => n === 'invoke epic/alignment')).toHaveLength(1);
  expect((calls[0]?.payload as { payload: unknown }).payload).toEqual({});
  expect(w.errors).toEqual([]);
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

test('saving in the panel refreshes the field in the issue view, and the panel keeps its state', async ({ page }) => {
  await watch(page);
  await page.goto('/#/issue/PAY-80');
  const field = page.getByTestId('field-value');
  await expect(field).toHaveText('None');
  const panel = page.frameLocator('iframe[data-role="panel"]');
  await expect(panel.getByText('This epic serves no destination: choose one')).toBeVisible();
  await panel.locator('#panel-destination-select').fill('Faster');
  await panel.getByRole('option', { name: /Faster checkout/ }).click();
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect(field).toHaveText('Faster checkout');
  // Jira refreshes the issue's fields, not the panel: its confirmation is still there.
  await expect(panel.getByText('PAY-80 now serves Faster checkout.')).toBeVisible();
});

test("the panel's destination menu shows each destination's owner and target date, as the field's does", async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-20' }));
  await settled(page);
  await page.getByRole('button', { name: 'Change destination' }).click();
  await page.locator('#panel-destination-select').click();
  const option = page.getByRole('option', { name: /Faster checkout/ });
  await expect(option).toContainText('Faster checkout');
  await expect(option).toContainText('Target Dec 20, 2026 · Lee Leader');
});

test('status and verdict lozenges read in sentence case', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-1' }));
  await settled(page);
  await expect(page.getByText('Active', { exact: true })).toBeVisible();
  await expect(page.getByText(/^(On track|At risk|Off track|No data|Arrived)$/)).toBeVisible();
});

test('an epic pointing at an unknown destination says so everywhere, and can be cancelled and cleared from the panel', async ({ page }) => {
  await watch(page);
  await page.goto('/#/issue/PAY-70');
  const field = page.getByTestId('field-value');
  await expect(field).toHaveText('Unknown destination (D-99)');

  const panel = page.frameLocator('iframe[data-role="panel"]');
  await expect(panel.getByText("This epic's destination needs attention")).toBeVisible();
  await expect(panel.getByRole('heading', { name: 'Unknown destination (D-99)' })).toBeVisible();
  // Choosing opens the chooser; Cancel closes it.
  await panel.getByRole('button', { name: 'Choose another destination' }).click();
  const chooser = panel.getByRole('form', { name: 'Choose a destination' });
  await expect(chooser).toBeVisible();
  await chooser.getByRole('button', { name: 'Cancel' }).click();
  await expect(chooser).toHaveCount(0);

  // The field's editor names the current value the same way.
  await field.click();
  const editor = page.frameLocator('iframe[data-role="field"]');
  await expect(editor.getByText('Unknown destination (D-99)')).toBeVisible();
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await expect(field).toHaveText('Unknown destination (D-99)');

  await panel.getByRole('button', { name: 'Clear the field' }).click();
  await expect(panel.getByText('PAY-70 no longer serves a destination.')).toBeVisible();
  await expect(panel.getByText('This epic serves no destination: choose one')).toBeVisible();
  await expect(field).toHaveText('None');
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
