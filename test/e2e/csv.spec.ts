/** The portfolio's CSV export: what is shown, quoted properly, and safe from formula injection. */
import { readFile } from 'node:fs/promises';
import { expect, test, modal, settled, surfaceUrl, USERS, watch } from './helpers';

test('CSV export holds the shown destinations, quotes cells and defuses formulas', async ({ page }) => {
  const formula = `=HYPERLINK("http://x","go") ${Date.now().toString(36)}`;
  await watch(page);

  // An admin names a destination like a spreadsheet formula.
  await page.goto(surfaceUrl('admin', { user: USERS.admin }));
  await page.getByRole('button', { name: 'Create destination' }).click();
  const dialog = modal(page);
  await dialog.getByLabel('Name').fill(formula);
  await dialog.locator('#dest-businessOwner').fill('Lee');
  await dialog.getByRole('option', { name: 'Lee Leader' }).click();
  await dialog.locator('#dest-targetDate').fill('2027-04-01');
  await dialog.locator('#dest-targetDate').press('Enter');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByText(`${formula} created`)).toBeVisible();

  await page.goto(surfaceUrl('portfolio', { user: USERS.leader }));
  await settled(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await (await download).path();
  const csv = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe(
    'Priority,Destination,Owner,Status,Done,In progress,To do,Total issues,Done estimate,Total estimate,Unestimated issues,On time?,Forecast date,Target date,Days early,Days late,Epics,Likely from,Likely to,Chance by target date,Owner check-in,Lead check-in,Check-in due,Disagreement,Open concerns',
  );
  // Every row tells one story: the verdict follows the chance (default thresholds 70% and 30%), days early and
  // late are two non-negative numbers of which one is 0, and the forecast date lies inside its likely range.
  for (const line of lines.slice(1)) {
    // Names and disagreement reasons hold commas: the verdict's nine cells are read by position from a parsed row.
    const cells = csvCells(line).slice(11, 20);
    const [verdict, forecastDate, , early, late, , from, to, chance] = cells;
    if (!chance) continue;
    const percent = Number(chance.replace('%', ''));
    expect(verdict).toBe(percent >= 70 ? 'on track' : percent >= 30 ? 'at risk' : 'off track');
    expect(Number(early)).toBeGreaterThanOrEqual(0);
    expect(Number(late)).toBeGreaterThanOrEqual(0);
    expect(Math.min(Number(early), Number(late))).toBe(0);
    expect((from ?? '') <= (forecastDate ?? '') && (forecastDate ?? '') <= (to || '9999')).toBe(true);
  }
  expect(csv).toContain('Faster checkout');
  expect(csv).toContain('<img src=x onerror=alert(1)>');
  // The formula is prefixed with a quote and, holding quotes and a comma, wrapped in quotes with quotes doubled.
  expect(csv).toContain(`"'=HYPERLINK(""http://x"",""go"") ${formula.split(' ').pop()}"`);
  expect(lines.length - 1).toBe(await page.getByRole('row').count() - 1);
});

/** One CSV row's cells: quoted cells may hold commas and doubled quotes. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
