/**
 * A destination's trip over time, in the portfolio: opened from its row, the burn-up and its table, a
 * check-in by the business owner, a concern raised from the epic and answered by the owner, the scenery
 * trend's links to JQL, and axe in light and dark. Everything goes through the real resolvers of the local
 * platform (`trip/history`, `trip/voices`, `trip/check-in`, `trip/respond`, `concern/raise`, `portfolio/scenery`).
 */
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, settled, surfaceUrl, test, USERS, watch, type Theme, type Watch } from './helpers';

const NAME = 'Faster checkout';

const invoked = async (w: Watch, key: string) =>
  (await w.bridgeCalls())
    .filter((c) => c.name === 'invoke' && (c.payload as { functionKey?: string }).functionKey === key)
    .map((c) => (c.payload as { payload: unknown }).payload);

async function openTrip(page: Page, user: string, theme: Theme = 'light'): Promise<void> {
  await page.goto(surfaceUrl('portfolio', { user, theme }));
  await settled(page);
  await page.getByRole('row').filter({ hasText: NAME }).getByRole('button', { name: `Trip of ${NAME}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: NAME })).toBeVisible();
  await expect(page.getByRole('img', { name: new RegExp(`^Burn-up of ${NAME}`) })).toBeVisible();
}

test('a row opens its trip: history and voices asked for at once, the burn-up with target and table, back keeps the filters', async ({ page }) => {
  const w = await watch(page);
  await page.goto(surfaceUrl('portfolio', { user: USERS.leader }));
  await settled(page);
  await page.locator('#filter-status').click();
  await page.getByRole('option', { name: 'Active', exact: true }).click();
  await expect.poll(async () => (await invoked(w, 'portfolio/get')).at(-1)).toEqual({ status: ['active'] });
  // The filtered answer repaints the rows: wait for it, or the focus lands on a row about to be replaced.
  await settled(page);

  const tripButton = page.getByRole('row').filter({ hasText: NAME }).getByRole('button', { name: `Trip of ${NAME}` });
  await tripButton.focus();
  await expect(tripButton).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: NAME })).toBeFocused();
  expect(await invoked(w, 'trip/history')).toEqual([{ destinationId: 'D-1' }]);
  expect(await invoked(w, 'trip/voices')).toEqual([{ destinationId: 'D-1' }]);

  const chart = page.getByTestId('burn-up-chart');
  await expect(chart.getByRole('img', { name: /target/ })).toBeVisible();
  await expect(chart.getByTestId('target-line')).toHaveCount(1);
  await expect(page.getByTestId('burn-up-limits')).toContainText('cannot know');
  await chart.getByRole('button', { name: 'Table' }).click();
  const table = chart.getByTestId('burn-up-chart-table');
  await expect(table.getByRole('columnheader', { name: 'Done (issues)' })).toBeVisible();
  expect(await table.getByRole('row').count()).toBeGreaterThan(1);
  await chart.getByRole('button', { name: 'Chart' }).click();
  await expect(chart.getByRole('img', { name: /^Burn-up of / })).toBeVisible();

  await page.getByRole('button', { name: '← Back to destinations' }).first().click();
  await expect(page.getByRole('heading', { name: 'Business destinations' })).toBeVisible();
  await expect(tripButton).toBeFocused();
  // The filters are as they were left, and the list was not asked for again with other ones.
  await expect(page.getByRole('search')).toContainText('Active');
  expect((await invoked(w, 'portfolio/get')).at(-1)).toEqual({ status: ['active'] });
  expect(w.errors).toEqual([]);
});

test('the business owner checks in; the timeline shows it first; someone else gets no form', async ({ page, browser }) => {
  const w = await watch(page);
  await openTrip(page, USERS.leader);
  const form = page.getByRole('form', { name: 'Check in' });
  await form.getByRole('radio', { name: 'At risk' }).check();
  const note = 'Payments provider slipped two weeks.';
  await form.getByLabel('Note').fill(note);
  await expect(form.getByTestId('note-counter')).toHaveText(`${note.length} of 500 characters`);
  await form.getByRole('button', { name: 'Check in' }).click();
  await expect(form.getByRole('status')).toHaveText('Checked in.');
  expect((await invoked(w, 'trip/check-in')).at(-1)).toEqual({ destinationId: 'D-1', status: 'at risk', note });
  const first = page.getByTestId('check-in-timeline').getByRole('listitem').first();
  await expect(first).toContainText('At risk');
  await expect(first).toContainText(note);
  // The marker on the burn-up carries the check-in as its title.
  await expect(page.getByTestId('burn-up-chart').locator('[data-testid="check-in-markers"] title')).toContainText([/At risk/]);

  const other = await browser.newPage();
  await openTrip(other, USERS.admin);
  await expect(other.getByTestId('check-in-timeline')).toContainText(note);
  await expect(other.getByRole('form', { name: 'Check in' })).toHaveCount(0);
  await other.close();
  expect(w.errors).toEqual([]);
});

test('a concern raised from the epic is answered, then closed, by the owner', async ({ page }) => {
  // Raised as someone who may browse the epic, through the panel's bridge (the panel's own UI is tested there).
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-1' }));
  await settled(page);
  const raised = await page.evaluate(async () => {
    const bridge = (window as unknown as { __bridge: { callBridge: (name: string, payload: unknown) => Promise<unknown> } }).__bridge;
    return bridge.callBridge('invoke', { functionKey: 'concern/raise', payload: { issueKey: 'PAY-1', text: 'Is the new checkout tested with saved cards?' } });
  });
  expect(raised).toMatchObject({ ok: true });

  const w = await watch(page);
  await openTrip(page, USERS.leader);
  const concern = page.getByTestId('concerns').getByRole('listitem').filter({ hasText: 'saved cards' });
  await expect(concern).toContainText('Open');
  const id = (await concern.getAttribute('data-testid'))?.replace('concern-', '') ?? '';
  await concern.getByLabel('Answer').fill('Yes: the test plan has saved cards.');
  await concern.getByRole('button', { name: `Answer ${id}` }).click();
  await expect(concern).toContainText('Answered');
  await expect(concern).toContainText('Yes: the test plan has saved cards.');
  expect((await invoked(w, 'trip/respond')).at(-1)).toEqual({ destinationId: 'D-1', concernId: id, close: false, answer: 'Yes: the test plan has saved cards.' });
  await concern.getByRole('button', { name: `Close ${id}` }).click();
  await expect(concern).toContainText('Closed');
  await expect(concern.getByRole('button', { name: `Answer ${id}` })).toHaveCount(0);
  expect(w.errors).toEqual([]);
});

test('the scenery trend is read when opened, and each week links to its JQL', async ({ page }) => {
  const w = await watch(page);
  await page.goto(surfaceUrl('portfolio', { user: USERS.leader }));
  await settled(page);
  expect(await invoked(w, 'portfolio/scenery')).toEqual([]);
  await page.getByRole('button', { name: 'Show scenery trend' }).click();
  const chart = page.getByRole('group', { name: /^Off-route share of work in flight/ });
  await expect(chart).toBeVisible();
  expect(await invoked(w, 'portfolio/scenery')).toEqual([{}]);
  const points = chart.getByRole('link', { name: /^Week to .* Open in Jira\.$/ });
  expect(await points.count()).toBeGreaterThan(0);
  await points.last().click();
  await expect
    .poll(async () => (await w.bridgeCalls()).filter((c) => c.name === 'navigate').map((c) => (c.payload as { url?: string }).url))
    .toContainEqual(expect.stringMatching(/^\/issues\/\?jql=.+/));
  // The table shows the same weeks, each with its link.
  await page.getByTestId('scenery-chart').getByRole('button', { name: 'Table' }).click();
  await expect(page.getByTestId('scenery-chart-table').getByRole('link').first()).toBeVisible();

  await page.locator('#scenery-project').click();
  await page.getByRole('option', { name: 'PAY' }).click();
  await expect.poll(async () => (await invoked(w, 'portfolio/scenery')).at(-1)).toEqual({ projectKey: 'PAY' });
  expect(w.errors).toEqual([]);
});

for (const theme of ['light', 'dark'] as Theme[]) {
  test(`the trip view and the scenery trend pass axe (${theme})`, async ({ page }, testInfo) => {
    const w = await watch(page);
    await openTrip(page, USERS.leader, theme);
    await expect(page.locator('html')).toHaveAttribute('data-color-mode', theme);
    await expect(page.getByRole('form', { name: 'Check in' })).toBeVisible();
    await settled(page);
    const serious = async () =>
      (await new AxeBuilder({ page }).analyze()).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}]`);
    expect(await serious()).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`trip-${theme}.png`), fullPage: true });

    await page.getByRole('button', { name: '← Back to destinations' }).first().click();
    await page.getByRole('button', { name: 'Show scenery trend' }).click();
    await expect(page.getByTestId('scenery-chart')).toBeVisible();
    expect(await serious()).toEqual([]);
    expect(w.errors).toEqual([]);
  });
}
