/**
 * The demo site booted as the shell boots it: its deliberately late destination is late by the app's own
 * figures, and its history (check-ins, concerns) goes in through the app's resolvers.
 */
import { demoSite } from '../../local/sites/generate-demo';
import { startTestApp, type TestApp } from '../helpers/local-app';

const LATE = 'D-7';

/** The demo without its history and success measures: what the app before issue 10's resolvers can take. */
function withoutHistory() {
  const { checkIns: _c, concerns: _k, ...site } = demoSite();
  return { ...site, destinations: site.destinations.map(({ successMeasure: _m, ...d }) => d) };
}

describe('the demo site, booted', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(withoutHistory());
  }, 120_000);
  afterAll(async () => {
    await app?.close();
  });

  it('has a deliberately late destination: off track, its chance below the "at risk" line', async () => {
    const rows = (await app.data('portfolio', 'portfolio/export', {}, 'u-admin'));
    const late = rows.destinations.find((r) => r.id === LATE);
    console.log(JSON.stringify(rows.destinations.map((r) => [r.id, r.verdict, r.forecast.range?.probabilityByTarget, r.progress.count, r.forecast.throughputPerWeek, r.forecast.forecastDate]), null, 0));
    expect(late?.verdict).toBe('off track');
  });
});
