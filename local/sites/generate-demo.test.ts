import { readFileSync } from 'node:fs';
import { createJiraEmulator } from '../jira/emulator';
import { loadSite, type Site } from '../jira/site';
import { APP } from '../jira/testing/small-site';
import { DEMO_PATH, DEMO_TODAY, demoSite, generateSite } from './generate-demo';

const DAY = 86_400_000;
const shift = (date: string, days: number) => new Date(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

describe('the demo site', () => {
  const site = loadSite(DEMO_PATH);
  const epics = site.issues.filter((i) => i.type === 'Epic');
  const epicOf = new Map(epics.map((e) => [e.key, e]));

  it('is written to demo.json fixed on DEMO_TODAY, so tests and reports give the same answers every day', () => {
    expect(JSON.parse(readFileSync(DEMO_PATH, 'utf8'))).toEqual(JSON.parse(JSON.stringify(demoSite())));
    expect(demoSite().today).toBe(DEMO_TODAY);
  });

  it('tells the same story on another day: every date moves with today', () => {
    const fixed = demoSite();
    const later = demoSite(undefined, '2027-01-05');
    const days = 41;
    expect(later.today).toBe('2027-01-05');
    expect(later.destinations?.map((d) => [d.targetDate, d.startDate])).toEqual(fixed.destinations?.map((d) => [shift(d.targetDate, days), d.startDate && shift(d.startDate, days)]));
    expect(later.issues?.map((i) => [i.key, i.status, i.created, i.resolved])).toEqual(
      fixed.issues?.map((i) => [i.key, i.status, i.created && shift(i.created, days), i.resolved && shift(i.resolved, days)]),
    );
    // The app's history moves with it, to the minute.
    const moved = (at: string) => `${shift(at, days)}${at.slice(10)}`;
    expect(later.checkIns?.map((c) => c.at)).toEqual(fixed.checkIns?.map((c) => moved(c.at)));
    expect(later.concerns?.map((c) => [c.at, c.answer?.at])).toEqual(fixed.concerns?.map((c) => [moved(c.at), c.answer && moved(c.answer.at)]));
  });

  it('has the size the shell and the demos need', () => {
    expect(site.projects.length).toBeGreaterThanOrEqual(4);
    expect(epics.length).toBeGreaterThanOrEqual(40);
    expect(site.issues.length).toBeGreaterThanOrEqual(600);
    expect(site.issues.filter((i) => i.type === 'Sub-task').length).toBeGreaterThan(0);
    expect(site.issues.filter((i) => i.type !== 'Epic' && i.points === undefined).length).toBeGreaterThan(0);
    expect(site.issues.filter((i) => i.originalEstimate).length).toBeGreaterThan(0);
  });

  it('has the three named users, and Security browsable only by the admin and the leader', () => {
    const byId = new Map(site.users.map((u) => [u.accountId, u]));
    expect(byId.get('u-admin')).toMatchObject({ displayName: 'Ada Admin', admin: true });
    expect(byId.get('u-leader')).toMatchObject({ displayName: 'Bea Leader', admin: false });
    expect(byId.get('u-dev')).toMatchObject({ displayName: 'Dev Patel', admin: false });
    expect(site.projects.find((p) => p.key === 'SEC')?.browse).toEqual(['u-admin', 'u-leader']);
  });

  it('has destinations in every situation: draft, achieved, archived yet still used, past target, unknown id', () => {
    const statuses = site.destinations.map((d) => d.status);
    expect(statuses).toEqual(expect.arrayContaining(['draft', 'active', 'achieved', 'archived']));
    expect(site.destinations.length).toBeGreaterThanOrEqual(6);
    const archived = site.destinations.filter((d) => d.status === 'archived').map((d) => d.id);
    expect(epics.some((e) => e.destination && archived.includes(e.destination))).toBe(true);
    expect(site.destinations.some((d) => d.status === 'active' && d.targetDate < site.today)).toBe(true);
    const known = new Set(site.destinations.map((d) => d.id));
    expect(epics.some((e) => e.destination && !known.has(e.destination))).toBe(true);
  });

  it('keeps the Innovation Lab mostly off-route', () => {
    const lab = site.issues.filter((i) => i.key.startsWith('LAB-') && i.type !== 'Epic');
    const offRoute = lab.filter((i) => !i.parent || !epicOf.get(i.parent)?.destination);
    expect(offRoute.length / lab.length).toBeGreaterThan(0.7);
  });

  it('grows every active destination\'s scope over months: children created from their epic\'s creation on', () => {
    const byDestination = new Map<string, Set<string>>();
    for (const e of epics) if (e.destination) byDestination.set(e.destination, new Set([...(byDestination.get(e.destination) ?? []), e.key]));
    for (const d of site.destinations.filter((x) => x.status === 'active')) {
      const children = site.issues.filter((i) => i.parent && byDestination.get(d.id)?.has(i.parent));
      const months = new Set(children.map((c) => c.created.slice(0, 7)));
      expect(months.size).toBeGreaterThanOrEqual(4);
      for (const c of children) expect(c.created >= (epicOf.get(c.parent as string)?.created ?? '')).toBe(true);
    }
  });

  describe('its deliberately late destination, D-7', () => {
    const late = site.destinations.find((d) => d.id === 'D-7')!;
    const lateEpics = new Set(epics.filter((e) => e.destination === 'D-7').map((e) => e.key));
    const children = site.issues.filter((i) => i.parent && lateEpics.has(i.parent));

    it('falls behind its target line: far less done than the share of its time gone', () => {
      const day = (d: string) => Date.parse(`${d.slice(0, 10)}T00:00:00Z`);
      const timeGone = (day(site.today) - day(late.startDate as string)) / (day(late.targetDate) - day(late.startDate as string));
      const doneShare = children.filter((c) => c.resolved).length / children.length;
      expect(late.status).toBe('active');
      expect(timeGone).toBeGreaterThan(0.4);
      // Well behind: under three quarters of where the line is today.
      expect(doneShare).toBeLessThan(timeGone * 0.75);
      // (its verdict and chance, by the app's own forecast: test/integration/demo-site.test.ts)
    });

    it('has its business owner saying on track in the newest check-in, after its lead said off track', () => {
      const its = (site.checkIns ?? []).filter((c) => c.destination === 'D-7').sort((a, b) => a.at.localeCompare(b.at));
      expect(its.at(-1)).toMatchObject({ by: late.businessOwner, status: 'on track' });
      expect(its.some((c) => c.by === late.deliveryLead && c.status === 'off track')).toBe(true);
    });

    it('has a concern raised by a developer from one of its epics, answered by its owner', () => {
      const concern = (site.concerns ?? []).find((c) => c.destination === 'D-7');
      expect(concern?.by).toBe('u-dev');
      expect(lateEpics.has(concern?.epic as string)).toBe(true);
      expect(concern?.answer?.by).toBe(late.businessOwner);
    });
  });

  it('has check-ins of both the owner and the lead on several destinations over weeks, and a success measure measured in them', () => {
    const checkIns = site.checkIns ?? [];
    const bothSides = site.destinations.filter((d) => {
      const its = checkIns.filter((c) => c.destination === d.id);
      const weeks = new Set(its.map((c) => Math.floor(Date.parse(c.at) / (7 * 86_400_000))));
      return its.some((c) => c.by === d.businessOwner) && its.some((c) => c.by === d.deliveryLead) && weeks.size >= 3;
    });
    expect(bothSides.length).toBeGreaterThanOrEqual(3);
    const measured = site.destinations.filter((d) => d.successMeasure);
    expect(measured.map((d) => d.id)).toEqual(['D-1']);
    expect(checkIns.filter((c) => c.destination === 'D-1' && c.measure !== undefined).map((c) => c.measure)).toEqual([4, 11, 23, 37, 48]);
  });

  it('spreads resolution dates over the last 16 weeks', () => {
    const today = Date.parse(`${site.today}T00:00:00Z`);
    const weeksAgo = new Set(site.issues.filter((i) => i.resolved).map((i) => Math.floor((today - Date.parse(i.resolved as string)) / (7 * 86_400_000))));
    for (let w = 0; w < 16; w++) expect(weeksAgo).toContain(w);
    expect(Math.max(...weeksAgo)).toBeLessThanOrEqual(16);
  });
});

describe('generateSite', () => {
  it('is deterministic from its seed and size, and differs with another seed', () => {
    const a = generateSite({ seed: 3, epics: 20, issuesPerEpic: 10, destinations: 4 });
    expect(generateSite({ seed: 3, epics: 20, issuesPerEpic: 10, destinations: 4 })).toEqual(a);
    expect(generateSite({ seed: 4, epics: 20, issuesPerEpic: 10, destinations: 4 })).not.toEqual(a);
  });

  it('produces a site that passes validation', () => {
    const site: Site = generateSite({ seed: 5, epics: 200, issuesPerEpic: 20, destinations: 8 });
    expect(() => loadSite(JSON.parse(JSON.stringify(site)))).not.toThrow();
    expect(site.issues).toHaveLength(200 * 21 + site.projects.length * 5);
  });

  it('generates 250k issues, and the emulator pages through 100k of them', async () => {
    const big = generateSite({ seed: 1, epics: 10_000, issuesPerEpic: 24, destinations: 20 });
    expect(big.issues.length).toBeGreaterThanOrEqual(250_000);

    const mid = generateSite({ seed: 1, epics: 4_000, issuesPerEpic: 24, destinations: 20 });
    const jira = createJiraEmulator(mid, APP);
    let token: string | undefined;
    let seen = 0;
    for (;;) {
      const res = await jira.handle({ method: 'POST', path: '/rest/api/3/search/jql', headers: {}, as: { kind: 'app' }, body: JSON.stringify({ jql: 'issuetype = Story', fields: ['id'], maxResults: 5000, nextPageToken: token }) });
      const page = JSON.parse(res.body ?? '{}') as { issues: unknown[]; nextPageToken?: string; isLast: boolean };
      seen += page.issues.length;
      if (page.isLast) break;
      token = page.nextPageToken;
    }
    expect(seen).toBe(mid.issues.filter((i) => i.type === 'Story').length);
  }, 60_000);
});
