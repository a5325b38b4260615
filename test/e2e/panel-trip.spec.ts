/**
 * The panel's part of the trip over time (issue 10): the compact burn-up of the epic's destination (the
 * portfolio's chart: target, forecast band, check-in markers) and its table view, the disagreement flag,
 * the latest check-ins, raising a concern as a developer and seeing the owner's answer; light and dark, axe. Everything goes through the real resolvers on the local platform:
 * what the test sets up (the owner's check-in and answer) goes through `POST /api/invoke` as that person.
 *
 * On the test site, "Faster checkout" (D-1, epic PAY-1) is off track (a 2% chance by its target date); its
 * business owner is Lee Leader (u-leader) and its delivery lead Dev (u-dev).
 */
import type { APIRequestContext, Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { expect, settled, surfaceUrl, test, USERS, watch, type Theme } from './helpers';
import type { EpicAlignment, EpicVoices, ResolverKey, TripHistory } from '../../src/contract';

const EPIC = 'PAY-1';
const DESTINATION = 'D-1';

/** Calls a resolver as `accountId` through the module that owns it, as that person's surface would. */
async function invoke<T>(request: APIRequestContext, moduleKey: string, key: ResolverKey, payload: unknown, accountId: string): Promise<T> {
  const answer = await request.post('/api/invoke', { data: { moduleKey, key, payload, accountId } });
  expect(answer.status(), `POST /api/invoke ${key}`).toBe(200);
  const body = (await answer.json()) as { ok: boolean; data?: T; error?: unknown };
  expect(body, `${key} as ${accountId}`).toMatchObject({ ok: true });
  return body.data as T;
}

const asPanel = <T>(request: APIRequestContext, key: ResolverKey, payload: unknown, user: string) => invoke<T>(request, 'destination-panel', key, payload, user);
const asPortfolio = <T>(request: APIRequestContext, key: ResolverKey, payload: unknown, user: string) => invoke<T>(request, 'destinations-portfolio', key, payload, user);

async function openPanel(page: Page, user: string, theme: Theme = 'light'): Promise<void> {
  await page.goto(surfaceUrl('panel', { user, issue: EPIC, theme }));
  await expect(page.getByRole('heading', { name: 'Faster checkout' })).toBeVisible();
  await settled(page);
}

test('the trip is asked for after the alignment, once each, without moving the early call', async ({ page }) => {
  const w = await watch(page);
  await openPanel(page, USERS.admin);
  const namesNow = async () => (await w.bridgeCalls()).map((c) => (c.name === 'invoke' ? `invoke ${(c.payload as { functionKey: string }).functionKey}` : c.name));
  await expect.poll(async () => (await namesNow()).filter((n) => n === 'invoke epic/trip-history' || n === 'invoke epic/voices').length).toBe(2);
  const names = await namesNow();
  expect(names[0]).toBe('invoke epic/alignment');
  for (const key of ['epic/trip-history', 'epic/voices']) {
    expect(names.filter((n) => n === `invoke ${key}`), key).toHaveLength(1);
    expect(names.indexOf(`invoke ${key}`)).toBeGreaterThan(names.indexOf('invoke epic/alignment'));
  }
});

test('while the trip loads, the panel shows its first content without the page spinner (what issue 11 measures)', async ({ page }) => {
  // Hold the trip's calls until the first content is checked; they then reach the real resolvers.
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => { release = r; });
  await page.route('**/__forge/bridge/invoke', async (route) => {
    const key = (route.request().postDataJSON() as { functionKey?: string }).functionKey;
    if (key === 'epic/trip-history' || key === 'epic/voices') await held;
    await route.continue();
  });
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: EPIC }));
  await expect(page.getByRole('heading', { name: 'Faster checkout' })).toBeVisible();
  await expect(page.getByTestId('trip-loading')).toHaveCount(2);
  // bench/ui/probe.ts counts the first content as the first paint without this spinner.
  await expect(page.getByTestId('loading')).toHaveCount(0);
  release();
  await expect(page.getByTestId('trip-loading')).toHaveCount(0);
});

test('the compact burn-up is the portfolio\'s chart: target, forecast band on the chart, check-in markers, and the same points as a table', async ({ page, request }) => {
  // An "at risk" check-in by the business owner: the newest one is a marker on the panel's chart.
  await asPortfolio(request, 'trip/check-in', { destinationId: DESTINATION, status: 'at risk', note: 'Waiting on the provider.' }, USERS.leader);
  const history = await asPanel<TripHistory>(request, 'epic/trip-history', { issueKey: EPIC }, USERS.admin);
  const points = history.burnUp.points;
  expect(points.length).toBeGreaterThan(0);
  const last = points[points.length - 1]!;
  expect(history.forecast.range?.likelyTo, 'the test site gives Faster checkout a forecast range').toBeTruthy();

  await watch(page);
  await openPanel(page, USERS.admin);
  const part = page.getByTestId('compact-burn-up');
  const chart = part.getByRole('img', { name: /^Burn-up of Faster checkout:/ });
  await expect(chart).toBeVisible();
  await expect(chart).toHaveAttribute('aria-label', new RegExp(`to ${last.done} of ${last.scope} issues in scope.*; target .*; today's forecast is .*1 check-in marked\\.$`));
  // Colours are design tokens (CSS variables), so light and dark both work.
  for (const stroke of await chart.locator('path[stroke]').evaluateAll((paths) => paths.map((p) => p.getAttribute('stroke') ?? ''))) {
    expect(stroke).toMatch(/^var\(--ds-/);
  }
  await expect(chart.getByTestId('target-line')).toHaveCount(1);
  // The forecast band is drawn, and inside the chart: the x axis reaches the end of the likely range,
  // even when that is after the target date.
  const band = chart.getByTestId('forecast-band');
  await expect(band).toHaveCount(1);
  const fits = await chart.evaluate((svg) => {
    const width = (svg as SVGSVGElement).viewBox.baseVal.width;
    const rect = svg.querySelector('[data-testid="forecast-band"]')!;
    const right = Number(rect.getAttribute('x')) + Number(rect.getAttribute('width'));
    return { width, right };
  });
  expect(fits.right).toBeLessThanOrEqual(fits.width);
  // The owner's check-in is a circle coloured by what it said, named by who and what.
  const marker = chart.getByTestId('check-in-markers').locator('circle');
  await expect(marker).toHaveCount(1);
  await expect(marker.locator('title')).toHaveText(/Lee Leader, .*: At risk\. Waiting on the provider\./);
  // It fits the panel: never wider than its section.
  const [svgBox, partBox] = await Promise.all([chart.boundingBox(), part.boundingBox()]);
  expect(svgBox!.width).toBeLessThanOrEqual(partBox!.width + 0.5);
  expect(svgBox!.width).toBeGreaterThan(400);

  await part.getByRole('button', { name: 'Table', exact: true }).click();
  const table = part.getByRole('table', { name: /^Burn-up of Faster checkout:/ });
  await expect(table).toBeVisible();
  await expect(table.locator('tbody tr')).toHaveCount(points.length);
  await expect(table.locator('tbody tr').last().locator('td')).toHaveText([/\d/, String(last.done), String(last.scope)]);
  await expect(chart).toHaveCount(0);
  await part.getByRole('button', { name: 'Chart', exact: true }).click();
  await expect(chart).toBeVisible();
});

test('a developer raises a concern, sees it as theirs, and sees the owner\'s answer', async ({ page, request }) => {
  const text = `Are we sure the payment provider is ready? ${Date.now().toString(36)}`;
  const before = await asPanel<EpicVoices>(request, 'epic/voices', { issueKey: EPIC }, USERS.dev);
  expect(before.canRaise).toBe(true);

  await watch(page);
  await openPanel(page, USERS.dev);
  const form = page.getByRole('form', { name: 'Raise a concern' });
  const box = form.getByLabel('Raise a concern about this destination');
  await expect(form.getByRole('button', { name: 'Raise concern' })).toBeDisabled();

  // Too long: the counter says so and the form does not send.
  await box.fill('x'.repeat(1001));
  await expect(form.getByTestId('concern-count')).toHaveText('1 character too many (at most 1,000)');
  await expect(form.getByRole('button', { name: 'Raise concern' })).toBeDisabled();

  await box.fill(text);
  await expect(form.getByTestId('concern-count')).toHaveText(`${text.length} of 1,000 characters`);
  await form.getByRole('button', { name: 'Raise concern' }).click();
  await expect(page.getByText('Your concern was raised.')).toBeVisible();
  await expect(box).toHaveValue('');
  const mine = page.getByRole('list', { name: 'Your concerns' }).getByTestId('my-concern').filter({ hasText: text });
  await expect(mine).toBeVisible();
  await expect(mine.getByText('Open', { exact: true })).toBeVisible();
  const open = before.openConcerns + 1;
  await expect(page.getByTestId('open-concerns')).toHaveText(`${open} open ${open === 1 ? 'concern' : 'concerns'} on this destination.`);

  // The owner answers from the portfolio; the developer sees the answer in the panel.
  const after = await asPanel<EpicVoices>(request, 'epic/voices', { issueKey: EPIC }, USERS.dev);
  const raised = after.mine.find((c) => c.text === text);
  expect(raised, 'the raised concern among the developer\'s own').toBeDefined();
  await asPortfolio(request, 'trip/respond', { destinationId: DESTINATION, concernId: raised!.id, answer: 'Yes: they confirmed in writing on Monday.' }, USERS.leader);
  await openPanel(page, USERS.dev);
  const answered = page.getByTestId('my-concern').filter({ hasText: text });
  await expect(answered.getByText('Answered', { exact: true })).toBeVisible();
  await expect(answered).toContainText('Lee Leader answered');
  await expect(answered).toContainText('Yes: they confirmed in writing on Monday.');
});

test('an "on track" check-in on an off-track destination raises the flag with both views and the reason', async ({ page, request }) => {
  const alignment = await asPanel<EpicAlignment>(request, 'epic/alignment', { issueKey: EPIC }, USERS.dev);
  expect(alignment.forecast?.verdict, 'the test site keeps Faster checkout off track').toBe('off track');
  await asPortfolio(request, 'trip/check-in', { destinationId: DESTINATION, status: 'on track', note: 'The provider says we are fine.' }, USERS.leader);

  await watch(page);
  await openPanel(page, USERS.dev);
  const flag = page.getByTestId('disagreement-flag');
  await expect(flag).toBeVisible();
  await expect(flag).toContainText('Lee Leader (business owner) says');
  await expect(flag.getByText('On track', { exact: true })).toBeVisible();
  await expect(flag).toContainText('The data says');
  await expect(flag.getByText('Off track', { exact: true })).toBeVisible();
  await expect(flag).toContainText(/\d+% chance by the target date/);
  await expect(flag).toContainText(/says on track, but the data gives/);
  // The check-in itself, with its note, among the latest ones.
  const checkIns = page.getByRole('region', { name: 'Check-ins' });
  await expect(checkIns).toContainText('Lee Leader');
  await expect(checkIns).toContainText('The provider says we are fine.');
  await expect(checkIns).toContainText(/Delivery lead:\s*no check-in yet/);
});

for (const theme of ['light', 'dark'] as Theme[]) {
  test(`the panel with its trip (${theme}) passes axe, chart and table`, async ({ page }, testInfo) => {
    await page.setViewportSize({ width: 720, height: 1400 });
    const w = await watch(page);
    await openPanel(page, USERS.dev, theme);
    await expect(page.locator('html')).toHaveAttribute('data-color-mode', theme);
    await expect(page.getByTestId('compact-burn-up')).toBeVisible();
    await expect(page.getByRole('form', { name: 'Raise a concern' })).toBeVisible();
    for (const view of ['chart', 'table'] as const) {
      if (view === 'table') await page.getByTestId('compact-burn-up').getByRole('button', { name: 'Table', exact: true }).click();
      const axe = await new AxeBuilder({ page }).analyze();
      const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${view}: ${v.id} (${v.impact}): ${v.help} [${v.nodes.map((n) => n.target.join(' ')).join(', ')}]`)).toEqual([]);
    }
    await page.screenshot({ path: testInfo.outputPath(`panel-trip-${theme}.png`), fullPage: true });
    expect(w.errors).toEqual([]);
  });
}
