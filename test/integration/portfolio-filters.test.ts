/**
 * The project filter narrows the app's scope, and warnings say only what is true for the view and what the
 * viewer may browse. Site: `restrictedSite()` with the scope set to PAY and SEC; figures worked out by hand.
 */
import { reconcileToEnd } from '../faults/rollup-harness';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { RESTRICTED_VIEWER, restrictedSite, scopeToPayAndSec } from '../helpers/restricted-site';
import { fullPortfolio } from '../helpers/full-portfolio';

describe.each([
  ['as installed', false],
  ['after a recalculation', true],
])('the portfolio filtered on a project, %s', (_label, stored) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(restrictedSite());
    await scopeToPayAndSec(app);
    if (stored) await reconcileToEnd(app);
  });
  afterEach(() => app.close());

  it('gives figures for the filtered project only, and counts the destinations with no epic in it', async () => {
    const p = await fullPortfolio(app, 'u-leader', { projectKey: 'PAY' });
    expect(p.freshness?.source).toBe('stored');
    // D-2 (only SEC-4) and D-3 (no epic) are left out; D-8 is archived, not asked for.
    expect(p.destinations.map((d) => d.id)).toEqual(['D-1']);
    expect(p.hiddenDestinations).toBe(2);
    expect(p.destinations[0]).toMatchObject({ epics: 1, hiddenEpics: 0, epicDetails: [expect.objectContaining({ key: 'PAY-1' })] });
    expect(p.destinations[0]?.progress.count).toEqual({ new: 0, indeterminate: 1, done: 1, total: 2 });
    // In flight in PAY: PAY-3 (on route), PAY-5, PAY-8, PAY-10 (off-route epics) and the orphan PAY-6.
    expect(p.offRoute.count).toEqual({ inFlight: 5, offRoute: 4, share: 0.8 });
    expect(p.offRoute.orphanCount).toBe(1);
    expect(p.offRoute.epics.map((e) => e.key)).toEqual(['PAY-4', 'PAY-7', 'PAY-9']);
    expect(p.warnings.map((w) => w.code)).not.toContain('OUT_OF_SCOPE');
    expect(JSON.stringify(p)).not.toMatch(/\bSEC\b|\bHTR\b|\bOPS\b/);
  });

  it('lists every destination and counts none hidden without a project filter', async () => {
    const p = await fullPortfolio(app, 'u-leader', {});
    expect(p.destinations.map((d) => d.id)).toEqual(['D-1', 'D-2', 'D-3']);
    expect(p.hiddenDestinations).toBe(0);
    expect(p.destinations[0]).toMatchObject({ epics: 2 });
  });

  it('refuses a project the viewer may browse but that is outside the app\'s scope', async () => {
    const answer = await app.call('portfolio', 'portfolio/get', { projectKey: 'OPS' }, RESTRICTED_VIEWER);
    expect(answer).toEqual({ ok: false, error: { code: 'NOT_FOUND', field: 'projectKey', message: expect.stringContaining('Project OPS is outside the app\'s scope') } });
  });

  it('keeps the destination counts when the owner filter leaves some out', async () => {
    const p = await fullPortfolio(app, 'u-leader', { projectKey: 'PAY', owner: 'u-nobody' });
    expect(p.destinations).toEqual([]);
    expect(p.hiddenDestinations).toBe(0);
  });
});

describe('warnings restated for the viewer (stored rollups)', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(restrictedSite());
    await scopeToPayAndSec(app);
    await reconcileToEnd(app);
  });
  afterEach(() => app.close());

  it('names in the out-of-scope warning only the projects the viewer may browse', async () => {
    const asLeader = (await fullPortfolio(app, 'u-leader', {})).warnings.find((w) => w.code === 'OUT_OF_SCOPE');
    expect(asLeader?.message).toContain('2 epics name a destination but are in projects outside the app\'s scope (HTR, OPS)');
    const asDev = (await fullPortfolio(app, RESTRICTED_VIEWER, {})).warnings.find((w) => w.code === 'OUT_OF_SCOPE');
    expect(asDev).toEqual({
      code: 'OUT_OF_SCOPE',
      message: '1 epic names a destination but is in projects outside the app\'s scope (OPS), so its work is not counted; add the projects in Settings to count it.',
      refs: ['OPS-1'],
    });
  });

  it('restates an alignment warning for the epics the viewer may browse, and drops one about none of them', async () => {
    const asDev = (await fullPortfolio(app, RESTRICTED_VIEWER, {})).warnings;
    expect(asDev.find((w) => w.code === 'ARCHIVED_DESTINATION')).toEqual({
      code: 'ARCHIVED_DESTINATION',
      message: 'Epic PAY-7 points to "Vault" (D-8), which is archived; restore it or choose another destination. Its work counts as off-route.',
      refs: ['D-8', 'PAY-7'],
    });
    expect(asDev.filter((w) => w.code === 'UNKNOWN_DESTINATION').map((w) => w.refs)).toEqual([['D-99', 'PAY-9']]);
    const asLeader = (await fullPortfolio(app, 'u-leader', {})).warnings;
    expect(asLeader.find((w) => w.code === 'ARCHIVED_DESTINATION')?.message).toMatch(/^2 epics point to "Vault" \(D-8\)/);
    expect(asLeader.filter((w) => w.code === 'UNKNOWN_DESTINATION').map((w) => w.refs)).toEqual([['D-99', 'PAY-9'], ['D-77', 'SEC-72']]);
  });

  it('keeps the app-level count of unestimated work but lists only issues the viewer may browse', async () => {
    const asDev = (await fullPortfolio(app, RESTRICTED_VIEWER, {})).warnings.find((w) => w.code === 'UNESTIMATED_WORK');
    expect(asDev).toEqual({ code: 'UNESTIMATED_WORK', message: expect.stringMatching(/^2 issues have no estimate/), refs: ['PAY-10'] });
  });

  it('links the in-flight figure to the projects in scope the viewer may browse', async () => {
    const asDev = await fullPortfolio(app, RESTRICTED_VIEWER, {});
    expect(asDev.jql.inFlight).toContain('AND project in ("PAY")');
    const asLeader = await fullPortfolio(app, 'u-leader', {});
    expect(asLeader.jql.inFlight).toContain('AND project in ("PAY", "SEC")');
  });
});
