/** What a user may not see stays unseen; hostile names render as text; non-admins cannot administer. */
import { expect, test, settled, surfaceUrl, USERS, watch } from './helpers';

const SECRET = /SEC-\d+|Secret (merger|vault|audit|acquisition|due)/;

test('a developer who cannot browse SEC never sees its epic keys or summaries in the portfolio', async ({ page }) => {
  const w = await watch(page);
  await page.goto(surfaceUrl('portfolio', { user: USERS.dev }));
  await settled(page);
  await expect(page.getByText('Faster checkout').first()).toBeVisible();
  // Open every drill-down so nothing is hidden behind a toggle.
  const show = page.getByRole('button', { name: /^Show epics of / });
  while ((await show.count()) > 0) await show.first().click();
  const offRoute = page.getByRole('button', { name: /Show off-route epics/ });
  await expect(offRoute).toBeVisible();
  await offRoute.click();
  await expect(page.getByRole('link', { name: 'PAY-1', exact: true })).toBeVisible();
  await expect(page.getByText(/more you cannot see/).first()).toBeVisible();
  // Neither the visible text nor anything in the DOM (link targets, labels, titles) may carry them.
  expect(await page.locator('body').innerText()).not.toMatch(SECRET);
  const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute('href') ?? '')));
  expect(hrefs.filter((h) => SECRET.test(h))).toEqual([]);
  expect(await page.content()).not.toMatch(SECRET);
  expect(w.errors).toEqual([]);
});

test('a developer who cannot browse SEC does not see its sibling epic on the panel', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('panel', { user: USERS.dev, issue: 'PAY-1' }));
  await settled(page);
  await expect(page.getByRole('heading', { name: 'Faster checkout' })).toBeVisible();
  await expect(page.getByText(/1 more epic you cannot see/)).toBeVisible();
  expect(await page.content()).not.toMatch(SECRET);
});

test('a destination named like HTML renders as text everywhere and runs nothing', async ({ page }) => {
  const w = await watch(page);
  const hostile = '<img src=x onerror=alert(1)>';

  await page.goto(surfaceUrl('portfolio', { user: USERS.admin }));
  await settled(page);
  await expect(page.getByText(hostile).first()).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  await page.goto(surfaceUrl('panel', { user: USERS.admin, issue: 'PAY-20' }));
  await settled(page);
  await expect(page.getByRole('heading', { name: hostile })).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  await page.goto(surfaceUrl('admin', { user: USERS.admin }));
  await settled(page);
  await expect(page.getByText(hostile)).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  await page.goto(surfaceUrl('field', { user: USERS.admin, issue: 'PAY-20' }));
  await settled(page);
  await expect(page.getByText(hostile)).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  await page.waitForTimeout(300);
  expect(w.dialogs).toEqual([]);
  expect(w.errors).toEqual([]);
});

test('a non-admin sees the "only Jira administrators" message on the admin page', async ({ page }) => {
  await watch(page);
  await page.goto(surfaceUrl('admin', { user: USERS.dev }));
  await expect(page.getByText('Only Jira administrators can manage business destinations')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create destination' })).toHaveCount(0);
});
