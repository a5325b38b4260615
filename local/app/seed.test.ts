/**
 * How a site's history is seeded: which resolver each entry goes through, from which surface, as whom, and
 * on what clock. The platform here records the calls and answers as the contract says (the real resolvers
 * are driven end to end in test/integration/demo-site.test.ts); the site clock is the real one.
 */
import { MODULE_KEYS } from '../../src/contract';
import { loadSite, type SiteInput } from '../jira/site';
import { smallSite } from '../jira/testing/small-site';
import { installClock, uninstallClock, type LocalPlatform } from '../platform';
import { historySteps, seedHistory } from './seed';

afterEach(() => uninstallClock());

function historySite(): SiteInput {
  const site = smallSite();
  site.destinations = [{ id: 'D-1', name: 'Instant payouts', targetDate: '2026-12-01', status: 'active', priority: 1, businessOwner: 'u-leader', deliveryLead: 'u-admin', successMeasure: { name: 'Paid within a minute', unit: '%', baseline: 4, target: 90 } }];
  // Written out of time order on purpose: seeding puts them in order.
  site.checkIns = [
    { destination: 'D-1', by: 'u-leader', status: 'on track', note: 'Fine.', at: '2026-11-02T09:30:00Z', measure: 12 },
    { destination: 'D-1', by: 'u-admin', status: 'at risk', note: 'Slow.', at: '2026-10-20T15:00:00Z' },
  ];
  site.concerns = [
    { destination: 'D-1', epic: 'PAY-1', by: 'u-dev', text: 'Is the date real?', at: '2026-10-25T17:00:00Z', answer: { by: 'u-leader', text: 'Yes.', at: '2026-11-10T08:00:00Z' }, state: 'closed' },
    { destination: 'D-1', epic: 'PAY-1', by: 'u-dev', text: 'And the API?', at: '2026-11-01T12:00:00Z' },
  ];
  return site;
}

interface Call {
  module: string;
  key: string;
  payload: Record<string, unknown>;
  accountId: string;
  now: string;
}

/** A platform that records each call with the site clock's time, answering as the contract shapes it. */
function recordingPlatform(refuse?: string): { platform: LocalPlatform; calls: Call[] } {
  const calls: Call[] = [];
  const mine: Array<{ id: string }> = [];
  const platform = {
    invokeForModule: async (module: string, key: string, payload: Record<string, unknown>, ctx: { accountId: string }) => {
      calls.push({ module, key, payload, accountId: ctx.accountId, now: new Date().toISOString() });
      if (key === refuse) return { ok: false, error: { code: 'FORBIDDEN', message: 'Only the owner.' } };
      if (key === 'concern/raise') mine.push({ id: `C-${mine.length + 1}` });
      return { ok: true, data: key === 'concern/raise' ? { mine: [...mine] } : {} };
    },
  } as unknown as LocalPlatform;
  return { platform, calls };
}

describe('seeding a site history', () => {
  it('goes through trip/check-in, concern/raise and trip/respond as the people, in time order, each on the site clock at its moment', async () => {
    const site = loadSite(historySite());
    installClock(site.today);
    const { platform, calls } = recordingPlatform();
    await seedHistory(platform, site);

    expect(calls.map((c) => [c.module, c.key, c.accountId, c.now.slice(0, 16)])).toEqual([
      [MODULE_KEYS.portfolio, 'trip/check-in', 'u-admin', '2026-10-20T15:00'],
      [MODULE_KEYS.panel, 'concern/raise', 'u-dev', '2026-10-25T17:00'],
      [MODULE_KEYS.panel, 'concern/raise', 'u-dev', '2026-11-01T12:00'],
      [MODULE_KEYS.portfolio, 'trip/check-in', 'u-leader', '2026-11-02T09:30'],
      [MODULE_KEYS.portfolio, 'trip/respond', 'u-leader', '2026-11-10T08:00'],
    ]);
    expect(calls.map((c) => c.payload)).toEqual([
      { destinationId: 'D-1', status: 'at risk', note: 'Slow.' },
      { issueKey: 'PAY-1', text: 'Is the date real?' },
      { issueKey: 'PAY-1', text: 'And the API?' },
      { destinationId: 'D-1', status: 'on track', note: 'Fine.', measure: 12 },
      // The id the app gave the first concern, closed with its answer as the file says.
      { destinationId: 'D-1', concernId: 'C-1', answer: 'Yes.', close: true },
    ]);
    // And the clock is back on today.
    expect(new Date().toISOString().slice(0, 10)).toBe(site.today);
  });

  it('names the entry a resolver refused, and still returns the clock to today', async () => {
    const site = loadSite(historySite());
    installClock(site.today);
    const { platform } = recordingPlatform('trip/respond');
    await expect(seedHistory(platform, site)).rejects.toThrow('site concerns[0].answer: trip/respond as u-leader answered FORBIDDEN: Only the owner.');
    expect(new Date().toISOString().slice(0, 10)).toBe(site.today);
  });

  it('needs the site clock, and does nothing for a site without history', async () => {
    const site = loadSite(historySite());
    const { platform, calls } = recordingPlatform();
    await expect(seedHistory(platform, site)).rejects.toThrow(/needs the site clock/);
    await seedHistory(platform, loadSite(smallSite()));
    expect(calls).toEqual([]);
  });

  it('orders a raise before its answer and keeps the file order at the same moment', () => {
    const site = loadSite(historySite());
    expect(historySteps(site).map((s) => `${s.kind}#${s.index}`)).toEqual(['check-in#1', 'raise#0', 'raise#1', 'check-in#0', 'respond#0']);
  });
});
