/**
 * The trip view and the portfolio's row flags draw every field of the contract (`src/contract/trip.ts`):
 * run against the canned answers of the preview server (`mock/trip-fixtures.ts`), so the drawing is tested
 * whatever the backends' data; `trip.spec.ts` drives the real resolvers.
 */
import type { Page, Request } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { MOCK_PORT } from '../../playwright.config';
import { expect, recordConsoleProblems, test, type Theme } from './helpers';

const NAME = 'Faster checkout';
const url = (user: string, theme: Theme = 'light') => `http://127.0.0.1:${MOCK_PORT}/surface/destinations-portfolio?user=${user}&theme=${theme}`;
const mockCalls = (page: Page, key: string) =>
  page.evaluate((k) => (window as unknown as { __mock: { calls: Array<{ name: string; payload: { functionKey?: string; payload?: unknown } }> } }).__mock.calls
    .filter((c) => c.name === 'invoke' && c.payload.functionKey === k).map((c) => c.payload.payload), key);

async function openTrip(page: Page, user = 'u-leader', theme: Theme = 'light') {
  await page.goto(url(user, theme));
  await page.getByRole('button', { name: `Trip of ${NAME}` }).click();
  await expect(page.getByRole('img', { name: new RegExp(`^Burn-up of ${NAME}`) })).toBeVisible();
}

test('a row shows its voices: the disagreement with its reason, a check-in due, open concerns, the latest statuses', async ({ page }) => {
  await page.goto(url('u-leader'));
  const row = page.getByRole('row').filter({ hasText: NAME });
  const flag = row.getByTestId('flag-disagreement');
  await expect(flag).toContainText('Check-in disagrees');
  await expect(flag).toHaveAttribute('title', /says off track, but the data gives a 90% chance/);
  await flag.focus();
  await expect(page.getByRole('tooltip')).toContainText('says off track');
  await expect(row.getByTestId('flag-due')).toHaveText('Check-in due');
  await expect(row.getByTestId('flag-concerns')).toHaveText('1 open concern');
  await expect(row.getByTestId('row-flags')).toContainText('Owner: Off track');
  await expect(row.getByTestId('row-flags')).toContainText('Lead: On track');
  // A row with nothing said shows no flags.
  await expect(page.getByRole('row').filter({ hasText: 'Destination number' }).getByTestId('row-flags')).toHaveCount(0);
});

test('the trip shows the header, the disagreement side by side, the burn-up with band and markers, the measure, check-ins newest first, concerns and drift', async ({ page }) => {
  await openTrip(page);
  const view = page.getByTestId('trip-view');
  await expect(view.getByRole('heading', { level: 1 })).toHaveText(NAME);
  await expect(view.getByTestId('trip-chance')).toContainText('90% chance by the target date');
  const disagreement = view.getByTestId('disagreement');
  await expect(disagreement).toContainText('Business owner (Lee Leader) says');
  await expect(disagreement).toContainText('Off track');
  await expect(disagreement).toContainText('The data says');
  await expect(disagreement).toContainText('90% chance by the target date');
  await expect(view.getByText(/The business owner says off track, but the data gives/)).toBeVisible();
  await expect(view.getByTestId('check-in-due')).toContainText('The last check-in was on');

  const chart = view.getByTestId('burn-up-chart');
  await expect(chart.getByTestId('forecast-band')).toHaveCount(1);
  // The pace to the target: the line a burn-up falls behind when it is late.
  await expect(chart.getByTestId('target-pace')).toHaveCount(1);
  await expect(chart.getByText('Pace to the target')).toBeVisible();
  await expect(chart.locator('[data-testid="check-in-markers"] > *')).toHaveCount(4);
  const burnUp = chart.getByRole('img', { name: /^Burn-up of / });
  await expect(burnUp).toHaveAttribute('aria-label', /done rose from 0 to 6 of 13 issues in scope.*the pace to the target needed .* done by .*likely between.*4 check-ins marked/);
  await view.getByRole('button', { name: 'Estimate' }).click();
  await expect(burnUp).toHaveAttribute('aria-label', /of 39 estimate in scope/);
  await chart.getByRole('button', { name: 'Table' }).click();
  await expect(chart.getByTestId('burn-up-chart-table').getByRole('row')).toHaveCount(14);
  await expect(view.getByTestId('burn-up-limits')).toContainText('Issues removed from the destination');

  await expect(view.getByTestId('measure-chart').getByRole('img', { name: /^Checkouts/ })).toHaveAttribute('aria-label', /Checkouts under a minute: baseline 30 %, target 60 %; 4 values from check-ins, the latest 41 %/);
  const items = view.getByTestId('check-in-timeline').getByRole('listitem');
  await expect(items).toHaveCount(4);
  await expect(items.first()).toContainText('Off track');
  await expect(items.first()).toContainText('I do not believe the date.');
  await expect(items.last()).toContainText('Pace is steady.');

  await expect(view.getByTestId('concern-C-2')).toContainText('Open');
  await expect(view.getByTestId('concern-C-2').getByRole('link', { name: 'PAY-1' })).toBeVisible();
  await expect(view.getByTestId('concern-C-1')).toContainText('from an epic you cannot see');
  await expect(view.getByTestId('concern-C-1').getByRole('button')).toHaveCount(0);

  const drift = view.getByTestId('scope-drift');
  await expect(drift).toContainText('Epics added: 1 (PAY-40)');
  await expect(drift).toContainText('Issues added: 5; issues removed: 1');
  await expect(drift).toContainText('Forecast: 9 days later');
  await drift.getByRole('button', { name: 'Take new baseline' }).click();
  await expect(drift).toContainText('Forecast: unchanged');
  expect(await mockCalls(page, 'trip/baseline')).toEqual([{ destinationId: 'D-1' }]);
});

test('the check-in form: a status is needed, the note is counted, the server\'s field error lands on its field, the answer replaces the view', async ({ page }) => {
  await openTrip(page);
  const form = page.getByRole('form', { name: 'Check in' });
  await form.getByRole('button', { name: 'Check in' }).click();
  await expect(form.getByTestId('error-status')).toHaveText('Choose how the trip looks to you.');
  expect(await mockCalls(page, 'trip/check-in')).toEqual([]);

  await form.getByRole('radio', { name: 'On track' }).check();
  await form.getByLabel('Note').fill('bad \u0007 note');
  await form.getByRole('button', { name: 'Check in' }).click();
  await expect(form.getByTestId('error-note')).toHaveText('The note holds a control character.');

  await form.getByLabel('Note').fill('Provider signed.');
  await expect(form.getByTestId('note-counter')).toHaveText('16 of 500 characters');
  await form.getByLabel('Checkouts under a minute (%)').fill('4x');
  await form.getByRole('button', { name: 'Check in' }).click();
  await expect(form.getByTestId('error-measure')).toContainText('Enter a number');
  await form.getByLabel('Checkouts under a minute (%)').fill('44.5');
  await form.getByRole('button', { name: 'Check in' }).click();
  await expect(form.getByRole('status')).toHaveText('Checked in.');
  expect((await mockCalls(page, 'trip/check-in')).at(-1)).toEqual({ destinationId: 'D-1', status: 'on track', note: 'Provider signed.', measure: 44.5 });
  await expect(page.getByTestId('check-in-timeline').getByRole('listitem').first()).toContainText('Provider signed.');
  await expect(page.getByTestId('disagreement')).toHaveCount(0);
  await expect(page.getByTestId('check-in-due')).toHaveCount(0);
});

test('the owner answers a concern; someone without a role sees no form and no answer buttons', async ({ page }) => {
  await openTrip(page);
  const concern = page.getByTestId('concern-C-2');
  await concern.getByRole('button', { name: 'Answer C-2' }).click();
  await expect(concern.getByText('Write an answer, or close the concern.')).toBeVisible();
  await concern.getByLabel('Answer').fill('Yes, in the test plan.');
  await concern.getByRole('button', { name: 'Answer C-2' }).click();
  await expect(concern).toContainText('Answered');
  await expect(concern).toContainText('Yes, in the test plan.');
  expect((await mockCalls(page, 'trip/respond')).at(-1)).toEqual({ destinationId: 'D-1', concernId: 'C-2', close: false, answer: 'Yes, in the test plan.' });

  await openTrip(page, 'u-admin');
  await expect(page.getByRole('form', { name: 'Check in' })).toHaveCount(0);
  await expect(page.getByTestId('check-in-due')).toHaveCount(0);
  await expect(page.getByTestId('concern-C-2').getByRole('button')).toHaveCount(0);
});

test('the scenery trend: each week a link to its JQL, hollow weeks reconstructed, a gap where nothing was in flight', async ({ page }) => {
  await page.goto(url('u-leader'));
  await page.getByRole('button', { name: 'Show scenery trend' }).click();
  const chart = page.getByRole('group', { name: /^Off-route share of work in flight, week by week/ });
  await expect(chart).toBeVisible();
  await expect(chart.getByRole('link')).toHaveCount(11);
  await chart.getByRole('link').last().click();
  const navigated = () => page.evaluate(() => (window as unknown as { __mock: { calls: Array<{ name: string; payload: { url?: string } }> } }).__mock.calls
    .filter((c) => c.name === 'navigate').map((c) => decodeURIComponent(c.payload.url ?? '')));
  await expect.poll(navigated).toEqual(['/issues/?jql=issue in destinationWork() AND created <= "2026-11-25"']);
  await page.locator('#scenery-project').click();
  await page.getByRole('option', { name: 'OPS' }).click();
  await expect.poll(() => mockCalls(page, 'portfolio/scenery')).toEqual([{}, { projectKey: 'OPS' }]);
});

for (const theme of ['light', 'dark'] as Theme[]) {
  test(`the trip view with every part, its tables and the scenery trend pass axe (${theme})`, async ({ page }, testInfo) => {
    await openTrip(page, 'u-leader', theme);
    await expect(page.getByTestId('measure-chart')).toBeVisible();
    const serious = async () =>
      (await new AxeBuilder({ page }).analyze()).violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id} (${v.impact}): ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}]`);
    expect(await serious()).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`trip-view-${theme}.png`), fullPage: true });
    await page.getByTestId('burn-up-chart').getByRole('button', { name: 'Table' }).click();
    expect(await serious()).toEqual([]);
    await page.getByRole('button', { name: '← Back to destinations' }).first().click();
    await page.getByRole('button', { name: 'Show scenery trend' }).click();
    await expect(page.getByTestId('scenery-chart')).toBeVisible();
    expect(await serious()).toEqual([]);
    await page.screenshot({ path: testInfo.outputPath(`scenery-${theme}.png`), fullPage: true });
  });
}

test('first paint loads no trip or chart code; a chart whose code cannot be loaded says so while the rest of the trip works', async ({ page }) => {
  const asked: string[] = [];
  const file = (r: Request) => new URL(r.url()).pathname.split('/').pop() ?? '';
  page.context().on('request', (r) => {
    if (/^(trip-view|burn-up-chart|measure-chart|scenery-chart)-.*\.js$/.test(file(r))) asked.push(file(r).replace(/-[\w-]{8}\.js$/, '')); // Vite's hash: 8 characters, '-' among them
  });
  await page.context().route(/\/assets\/measure-chart-[^/]*\.js$/, (route) => route.abort('failed'));
  await page.goto(url('u-leader'));
  await expect(page.getByRole('button', { name: `Trip of ${NAME}` })).toBeVisible();
  expect(asked).toEqual([]);
  await openTrip(page);
  expect(asked).toEqual(expect.arrayContaining(['trip-view', 'burn-up-chart']));
  await expect(page.getByTestId('chunk-failure')).toHaveText(/The code for the success measure chart could not be loaded/);
  await expect(page.getByRole('form', { name: 'Check in' })).toBeVisible();
  // The broken chunk's console lines are this test's doing; anything else still fails it.
  const problems = recordConsoleProblems(page.context());
  for (let i = problems.length - 1; i >= 0; i -= 1) if (/measure-chart-|ChunkLoadError|failed to render|Failed to fetch dynamically imported module/.test(problems[i] as string)) problems.splice(i, 1);
});
