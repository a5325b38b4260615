/**
 * Check-ins, the disagreement flag and concerns, through the real resolvers on the local platform. Site: D-1 is
 * deliberately late (20 stories left, one done in the throughput window, target in three weeks: a chance near
 * 0%), D-2 comfortably early (one story left, ten done lately, target a year away: near 100%). SEC is browsable
 * only by the owner and the admin, so a concern raised from SEC-1 shows to the developer without its epic.
 */
import type { SiteInput } from '../../local/jira/site';
import { advanceClock } from '../../local/platform';
import { reconcileToEnd } from '../faults/rollup-harness';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { fullPortfolio } from '../helpers/full-portfolio';
import { formatPortfolio } from '../../local/cli/report-format';

function site(): SiteInput {
  const lateStories = Array.from({ length: 20 }, (_, i) => ({ key: `PAY-${10 + i}`, type: 'Story', summary: `Late story ${i}`, status: 'To Do', parent: 'PAY-1', created: '2026-09-01' }));
  const doneStories = Array.from({ length: 10 }, (_, i) => ({
    key: `PAY-${40 + i}`, type: 'Story', summary: `Done story ${i}`, status: 'Done', parent: 'PAY-2', created: '2026-09-01', resolved: `2026-11-${String(10 + i).padStart(2, '0')}`,
  }));
  return {
    today: '2026-11-25',
    users: [
      { accountId: 'u-admin', displayName: 'Ada Admin', admin: true },
      { accountId: 'u-owner', displayName: 'Olive Owner' },
      { accountId: 'u-lead', displayName: 'Lars Lead' },
      { accountId: 'u-dev', displayName: 'Dana Developer' },
      { accountId: 'u-stranger', displayName: 'Sam Stranger' },
    ],
    projects: [
      { key: 'PAY', name: 'Payments' },
      { key: 'SEC', name: 'Security', browse: ['u-admin', 'u-owner'], edit: ['u-admin'] },
    ],
    destinations: [
      { id: 'D-1', name: 'Late payouts', targetDate: '2026-12-15', status: 'active', priority: 1, businessOwner: 'u-owner', deliveryLead: 'u-lead' },
      { id: 'D-2', name: 'Early ledger', targetDate: '2027-12-01', status: 'active', priority: 2, businessOwner: 'u-owner', deliveryLead: 'u-lead' },
    ],
    issues: [
      { key: 'PAY-1', type: 'Epic', summary: 'Payout engine', status: 'In Progress', destination: 'D-1', created: '2026-09-01' },
      { key: 'PAY-2', type: 'Epic', summary: 'Ledger rewrite', status: 'In Progress', destination: 'D-2', created: '2026-09-01' },
      { key: 'PAY-3', type: 'Story', summary: 'Ledger last bit', status: 'In Progress', parent: 'PAY-2', created: '2026-09-01' },
      { key: 'PAY-4', type: 'Story', summary: 'Payout done bit', status: 'Done', parent: 'PAY-1', created: '2026-09-01', resolved: '2026-11-20' },
      { key: 'SEC-1', type: 'Epic', summary: 'Secret payout hardening', status: 'In Progress', destination: 'D-1', created: '2026-09-01' },
      ...lateStories,
      ...doneStories,
    ],
  };
}

describe('voices: check-ins, disagreement, concerns', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(site());
    await reconcileToEnd(app);
  });
  afterEach(() => app.close());

  it('lets the owner and the lead check in, refuses anyone else, and keeps one per person per week', async () => {
    const first = await app.data('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'at risk', note: 'Vendor is slow.' }, 'u-owner');
    expect(first.latest.owner).toMatchObject({ status: 'at risk', byName: 'Olive Owner', role: 'owner', week: '2026-11-23' });
    expect(first.role).toBe('owner');
    const lead = await app.data('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'off track', note: '' }, 'u-lead');
    expect(lead.latest.lead).toMatchObject({ status: 'off track', byName: 'Lars Lead' });
    const refused = await app.call('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'on track', note: 'me too' }, 'u-stranger');
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // A second check-in the same week replaces the first.
    const again = await app.data('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'on track', note: 'Vendor fixed it.' }, 'u-owner');
    expect(again.checkIns.map((c) => [c.by, c.status])).toEqual([['u-lead', 'off track'], ['u-owner', 'on track']]);
    // The stranger may read, but has no role.
    const read = await app.data('portfolio', 'trip/voices', { destinationId: 'D-1' }, 'u-stranger');
    expect(read.role).toBeNull();
    expect(read.checkIns).toHaveLength(2);
  });

  it('forgets a deleted destination\'s check-ins, concerns, summary line and history, so the summary frees its room', async () => {
    // D-3 serves no epic, so it can be deleted; it gets a check-in, a daily snapshot and a baseline first.
    const created = await app.data('admin', 'destinations/create', { draft: { name: 'Short-lived', businessOwner: 'u-owner', targetDate: '2027-06-01', status: 'active' } }, 'u-admin');
    const id = created.destination.id;
    await app.data('portfolio', 'trip/check-in', { destinationId: id, status: 'on track', note: 'Starting.' }, 'u-owner');
    await app.platform.runScheduledTrigger('daily-reconcile');
    await app.platform.settle();
    await app.data('portfolio', 'trip/baseline', { destinationId: id }, 'u-admin');
    const year = '2026';
    expect(await app.platform.kvs.peek(`trip-snap:${id}:${year}`)).toBeDefined();
    expect(await app.platform.kvs.peek(`trip-base:${id}`)).toBeDefined();
    const before = (await app.data('portfolio', 'portfolio/get', { status: ['active'] }, 'u-owner')).destinations.find((d) => d.id === id);
    expect(before?.checkIns?.owner?.status).toBe('on track');

    const current = await app.data('admin', 'destinations/get', { id }, 'u-admin');
    await app.data('admin', 'destinations/delete', { id, version: current.version }, 'u-admin');

    expect(await app.platform.kvs.peek(`trip-snap:${id}:${year}`)).toBeUndefined();
    expect(await app.platform.kvs.peek(`trip-base:${id}`)).toBeUndefined();
    const voices = await app.call('portfolio', 'trip/voices', { destinationId: id }, 'u-owner');
    expect(voices).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const { entities } = app.platform.kvs.snapshot();
    expect(entities['check-ins']?.[id]).toBeUndefined();
    expect(JSON.stringify(entities['voices-summary'])).not.toContain(`"${id}"`);
  });

  it('records the success measure only when the destination names one', async () => {
    const refused = await app.call('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'on track', note: '', measure: 3 }, 'u-owner');
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'measure' } });
    const d = await app.data('admin', 'destinations/get', { id: 'D-1' }, 'u-admin');
    const draft = { name: d.name, businessOwner: d.businessOwner, deliveryLead: d.deliveryLead, targetDate: d.targetDate, status: 'active' as const,
      successMeasure: { name: 'Merchants paid within a minute', unit: '%', baseline: 20, target: 95 } };
    await app.data('admin', 'destinations/update', { id: 'D-1', version: d.version, draft }, 'u-admin');
    const v = await app.data('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'at risk', note: '', measure: 41 }, 'u-owner');
    expect(v.latest.owner?.measure).toBe(41);
    expect(v.successMeasure).toEqual({ name: 'Merchants paid within a minute', unit: '%', baseline: 20, target: 95 });
    const row = (await fullPortfolio(app, 'u-dev', {})).destinations.find((r) => r.id === 'D-1');
    expect(row?.successMeasure).toMatchObject({ target: 95 });
  });

  it('says a check-in is due after the cadence, on the voices and the portfolio row', async () => {
    await app.data('portfolio', 'trip/check-in', { destinationId: 'D-2', status: 'on track', note: '' }, 'u-lead');
    expect((await app.data('portfolio', 'trip/voices', { destinationId: 'D-2' }, 'u-owner')).due).toEqual({ due: false, lastDay: '2026-11-25', cadenceWeeks: 2 });
    let row = (await fullPortfolio(app, 'u-owner', {})).destinations.find((r) => r.id === 'D-2');
    expect(row?.checkIns).toMatchObject({ due: false, lead: { status: 'on track', byName: 'Lars Lead' }, owner: null });
    const fifteenDays = 15 * 24 * 3600 * 1000;
    advanceClock(fifteenDays);
    app.platform.clock.advance(fifteenDays);
    expect((await app.data('portfolio', 'trip/voices', { destinationId: 'D-2' }, 'u-owner')).due.due).toBe(true);
    row = (await fullPortfolio(app, 'u-owner', {})).destinations.find((r) => r.id === 'D-2');
    expect(row?.checkIns?.due).toBe(true);
    // A destination nobody checked in on is due from the start.
    expect((await fullPortfolio(app, 'u-owner', {})).destinations.find((r) => r.id === 'D-1')?.checkIns?.due).toBe(true);
  });

  it('flags disagreement both ways on the voices, portfolio/get, portfolio/export and epic/alignment', async () => {
    await app.data('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'on track', note: 'All good.' }, 'u-owner');
    await app.data('portfolio', 'trip/check-in', { destinationId: 'D-2', status: 'off track', note: 'Doomed.' }, 'u-lead');
    const late = await app.data('portfolio', 'trip/voices', { destinationId: 'D-1' }, 'u-dev');
    expect(late.disagreement).toMatchObject({ says: 'on track', role: 'owner', reason: expect.stringContaining('The business owner says on track') });
    expect(late.disagreement!.chance).toBeLessThan(30);
    const rows = (await fullPortfolio(app, 'u-dev', {})).destinations;
    expect(rows.find((r) => r.id === 'D-1')?.disagreement).toMatchObject({ says: 'on track' });
    expect(rows.find((r) => r.id === 'D-2')?.disagreement).toMatchObject({ says: 'off track', reason: expect.stringContaining('The delivery lead says off track') });
    const exported = await app.data('portfolio', 'portfolio/export', {}, 'u-dev');
    expect(exported.destinations.map((r) => [r.id, r.disagreement?.says ?? null])).toEqual([['D-1', 'on track'], ['D-2', 'off track']]);
    // The report (`npm run report`) prints both views side by side with the reason, from the same answer.
    const report = formatPortfolio(await app.data('portfolio', 'portfolio/get', {}, 'u-dev'), 'u-dev');
    expect(report).toContain('- D-1 Late payouts: owner says on track (Olive Owner, 2026-11-25); lead: no check-in; data says off track (');
    expect(report).toMatch(/DISAGREEMENT: The business owner says on track, but the data gives a \d+% chance/);
    expect(report).toContain('- D-2 Early ledger: owner: no check-in; lead says off track (Lars Lead, 2026-11-25); data says on track');
    expect(report).toMatch(/DISAGREEMENT: The delivery lead says off track/);
    const alignment = await app.data('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev');
    expect(alignment.disagreement).toMatchObject({ says: 'on track' });
    const panel = await app.data('panel', 'epic/voices', { issueKey: 'PAY-1' }, 'u-dev');
    expect(panel.disagreement).toMatchObject({ says: 'on track' });
    // Agreeing again clears the flag.
    await app.data('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'off track', note: 'Honestly late.' }, 'u-owner');
    expect((await app.data('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev')).disagreement).toBeNull();
  });

  it('carries a developer\'s concern to the owner and the answer back to the developer', async () => {
    const raised = await app.data('panel', 'concern/raise', { issueKey: 'PAY-1', text: 'Why is the vendor API not in scope?' }, 'u-dev');
    expect(raised).toMatchObject({ destinationId: 'D-1', openConcerns: 1, canRaise: true, mine: [{ id: 'C-1', state: 'open', byName: 'Dana Developer', epic: { key: 'PAY-1' } }] });
    const owner = await app.data('portfolio', 'trip/voices', { destinationId: 'D-1' }, 'u-owner');
    expect(owner.concerns).toMatchObject([{ id: 'C-1', text: 'Why is the vendor API not in scope?', by: 'u-dev', state: 'open' }]);
    expect((await fullPortfolio(app, 'u-owner', {})).destinations.find((r) => r.id === 'D-1')?.openConcerns).toBe(1);
    // Only the owner or the lead answers.
    expect(await app.call('portfolio', 'trip/respond', { destinationId: 'D-1', concernId: 'C-1', answer: 'I can.' }, 'u-dev')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const answered = await app.data('portfolio', 'trip/respond', { destinationId: 'D-1', concernId: 'C-1', answer: 'It is, from January.' }, 'u-owner');
    expect(answered.concerns[0]).toMatchObject({ state: 'answered', answer: { text: 'It is, from January.', byName: 'Olive Owner' } });
    const mine = await app.data('panel', 'epic/voices', { issueKey: 'PAY-1' }, 'u-dev');
    expect(mine.mine).toMatchObject([{ id: 'C-1', state: 'answered', answer: { text: 'It is, from January.', by: 'u-owner' } }]);
    // Closed: no longer counted open.
    await app.data('portfolio', 'trip/respond', { destinationId: 'D-1', concernId: 'C-1', close: true }, 'u-lead');
    expect((await app.data('panel', 'epic/voices', { issueKey: 'PAY-1' }, 'u-dev')).openConcerns).toBe(0);
    expect((await fullPortfolio(app, 'u-owner', {})).destinations.find((r) => r.id === 'D-1')?.openConcerns).toBe(0);
  });

  it('shows a concern from an epic the viewer may not browse without its key or summary', async () => {
    await app.data('panel', 'concern/raise', { issueKey: 'SEC-1', text: 'Keys are shared in chat.' }, 'u-owner');
    const dev = await app.data('portfolio', 'trip/voices', { destinationId: 'D-1' }, 'u-dev');
    expect(dev.concerns).toMatchObject([{ id: 'C-1', epic: null }]);
    expect(JSON.stringify(dev)).not.toMatch(/SEC-1|Secret payout hardening/);
    const owner = await app.data('portfolio', 'trip/voices', { destinationId: 'D-1' }, 'u-owner');
    expect(owner.concerns[0]?.epic).toEqual({ key: 'SEC-1', summary: 'Secret payout hardening' });
    // The developer cannot raise from (or even name) the hidden epic.
    expect(await app.call('panel', 'concern/raise', { issueKey: 'SEC-1', text: 'x' }, 'u-dev')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('refuses a concern from an epic that serves no live destination', async () => {
    const d = await app.data('admin', 'destinations/get', { id: 'D-2' }, 'u-admin');
    await app.data('admin', 'destinations/archive', { id: 'D-2', version: d.version }, 'u-admin');
    expect(await app.call('panel', 'concern/raise', { issueKey: 'PAY-2', text: 'Still?' }, 'u-dev')).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await app.call('panel', 'concern/raise', { issueKey: 'PAY-3', text: 'A story' }, 'u-dev')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('takes the cadence from the settings', async () => {
    const { version, ...current } = (await app.data('admin', 'settings/get', {}, 'u-admin')).settings;
    await app.data('admin', 'settings/save', { settings: { ...current, checkInCadenceWeeks: 1 }, version }, 'u-admin');
    // A save that leaves the cadence out keeps it.
    const again = (await app.data('admin', 'settings/get', {}, 'u-admin')).settings;
    const { version: v2, checkInCadenceWeeks: _kept, ...rest } = again;
    await app.data('admin', 'settings/save', { settings: rest, version: v2 }, 'u-admin');
    expect((await app.data('admin', 'settings/get', {}, 'u-admin')).settings.checkInCadenceWeeks).toBe(1);
    await app.data('portfolio', 'trip/check-in', { destinationId: 'D-2', status: 'on track', note: '' }, 'u-lead');
    const eightDays = 8 * 24 * 3600 * 1000;
    advanceClock(eightDays);
    app.platform.clock.advance(eightDays);
    expect((await app.data('portfolio', 'trip/voices', { destinationId: 'D-2' }, 'u-owner')).due).toMatchObject({ due: true, cadenceWeeks: 1 });
  });
});

describe('voices written at the same moment', () => {
  let app: TestApp;
  beforeEach(async () => {
    // Storage answers slowly, so the writes interleave as they would on Forge.
    app = await startTestApp(site(), { storageLatencyMs: 15 });
    await reconcileToEnd(app);
  });
  afterEach(() => app.close());

  it('keeps every check-in and concern, and a summary that agrees with them', async () => {
    const answers = await Promise.all([
      app.call('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'at risk', note: 'owner' }, 'u-owner'),
      app.call('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'off track', note: 'lead' }, 'u-lead'),
      app.call('portfolio', 'trip/check-in', { destinationId: 'D-2', status: 'on track', note: 'lead' }, 'u-lead'),
      app.call('panel', 'concern/raise', { issueKey: 'PAY-1', text: 'First' }, 'u-dev'),
      app.call('panel', 'concern/raise', { issueKey: 'PAY-1', text: 'Second' }, 'u-stranger'),
      app.call('panel', 'concern/raise', { issueKey: 'PAY-2', text: 'Third' }, 'u-dev'),
    ]);
    expect(answers.map((a) => a.ok)).toEqual([true, true, true, true, true, true]);
    const d1 = await app.data('portfolio', 'trip/voices', { destinationId: 'D-1' }, 'u-owner');
    expect(d1.checkIns.map((c) => c.note).sort()).toEqual(['lead', 'owner']);
    expect(d1.concerns.map((c) => c.text).sort()).toEqual(['First', 'Second']);
    expect(new Set(d1.concerns.map((c) => c.id))).toEqual(new Set(['C-1', 'C-2']));
    const rows = (await fullPortfolio(app, 'u-owner', {})).destinations;
    expect(rows.find((r) => r.id === 'D-1')).toMatchObject({ openConcerns: 2, checkIns: { owner: { status: 'at risk' }, lead: { status: 'off track' } } });
    expect(rows.find((r) => r.id === 'D-2')).toMatchObject({ openConcerns: 1, checkIns: { owner: null, lead: { status: 'on track' } } });
  });
});
