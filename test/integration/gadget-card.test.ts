/**
 * The dashboard gadget's card (`gadget/card`) through the real resolver on the local platform: one
 * destination's card or the portfolio's headline, with the portfolio page's figures (computed as the app, so
 * a restricted viewer sees the same aggregates and no epic), and NOT_FOUND for an archived or unknown destination.
 */
import { reconcileToEnd } from '../faults/rollup-harness';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { RESTRICTED_VIEWER, restrictedSite, scopeToPayAndSec } from '../helpers/restricted-site';
import { fullPortfolio } from '../helpers/full-portfolio';

describe('gadget/card', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(restrictedSite());
    await scopeToPayAndSec(app);
    await reconcileToEnd(app);
  });
  afterAll(() => app.close());

  it("shows one destination's card with the portfolio row's figures", async () => {
    const card = await app.data('gadget', 'gadget/card', { destinationId: 'D-1' }, 'u-leader');
    const row = (await fullPortfolio(app, 'u-leader', {})).destinations.find((d) => d.id === 'D-1');
    if (card.kind !== 'destination' || !row) throw new Error(`expected a destination card, got ${card.kind}`);
    expect(card.destination).toEqual({ id: 'D-1', name: 'Instant payouts', targetDate: '2027-03-01', ownerName: 'Bea Leader' });
    expect(card.progress).toEqual(row.progress);
    // PAY-2 done, PAY-3 in progress (PAY-1); SEC-2 done, SEC-3 in progress (SEC-1): counted as the app.
    expect(card.progress.count).toEqual({ new: 0, indeterminate: 2, done: 2, total: 4 });
    expect(card.verdict).toBe(row.verdict);
    expect(card.forecast).toEqual(row.forecast);
    expect(card.checkIns).toEqual(row.checkIns ?? { owner: null, lead: null, due: false });
    expect(card.disagreement).toEqual(row.disagreement ?? null);
    expect(card.openConcerns).toBe(row.openConcerns ?? 0);
  });

  it('gives a viewer who cannot browse SEC the same aggregates, naming no epic', async () => {
    const leader = await app.data('gadget', 'gadget/card', { destinationId: 'D-1' }, 'u-leader');
    const dev = await app.data('gadget', 'gadget/card', { destinationId: 'D-1' }, RESTRICTED_VIEWER);
    expect(dev).toEqual(leader);
    expect(JSON.stringify(dev)).not.toMatch(/\b(SEC|HTR|PAY|OPS)-\d+/);
  });

  it("shows the portfolio's headline for no destination", async () => {
    const card = await app.data('gadget', 'gadget/card', { destinationId: null }, RESTRICTED_VIEWER);
    const portfolio = await app.data('portfolio', 'portfolio/get', {}, RESTRICTED_VIEWER);
    if (card.kind !== 'portfolio') throw new Error('expected the portfolio headline');
    expect(card.destinations).toBe(3);
    expect(card.byVerdict).toEqual(portfolio.summary.byVerdict);
    expect(card.offRouteShare).toBe(portfolio.offRoute.count.share);
    expect(card.offRouteShare).toBeGreaterThan(0);
    expect(card.asOf).toBe('2026-11-25');
    expect(card.disagreements).toBe(0);
    expect(card.openConcerns).toBe(0);
  });

  it.each([
    ['archived', 'D-8'],
    ['unknown', 'D-404'],
  ])('answers NOT_FOUND with a sentence for an %s destination', async (_label, destinationId) => {
    const answer = await app.call('gadget', 'gadget/card', { destinationId }, 'u-leader');
    expect(answer).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', field: 'destinationId', message: `Destination ${destinationId} does not exist or is archived. Edit the gadget to choose another destination or the portfolio headline.` },
    });
  });

  it('refuses a payload without destinationId', async () => {
    const answer = await app.call('gadget', 'gadget/card', {} as never, 'u-leader');
    expect(answer.ok).toBe(false);
  });

  it('offers the destination list to the edit view', async () => {
    const list = await app.data('gadget', 'destinations/list', { includeArchived: true }, RESTRICTED_VIEWER);
    expect(list.map((d) => d.id)).toEqual(expect.arrayContaining(['D-1', 'D-2', 'D-3']));
  });
});
