/**
 * No answer tells a viewer about what they may not browse. Every resolver key in the contract is called as a
 * developer who cannot browse two projects (SEC, in the app's scope, and HTR, outside it), on a site where
 * those projects hold epics aligned to destinations, epics pointing at archived and unknown destinations,
 * off-route work, unestimated work and out-of-scope alignments. Each whole answer (data and error message)
 * is scanned for every restricted issue key, summary, project key and project name; once before the first
 * recalculation (figures computed on view) and once from the stored rollups.
 */
import type { SiteInput } from '../../local/jira/site';
import { RESTRICTED_VIEWER, restrictedSite, scopeToPayAndSec } from '../helpers/restricted-site';
import type { PayloadOf, ResolverKey } from '../../src/contract';
import { PAYLOADS } from '../../src/contract/schemas';
import { startTestApp, type Surface, type TestApp } from '../helpers/local-app';
import { reconcileToEnd } from '../faults/rollup-harness';
import { fullPortfolio } from '../helpers/full-portfolio';

const VIEWER = RESTRICTED_VIEWER;

/**
 * The restricted site with issue security too: a PAY epic (and its story) under a level the viewer is not
 * in, aligned to D-1 beside epics they may see. Its key, summary and figures must stay as hidden as SEC's.
 */
function withIssueSecurity(site: SiteInput): SiteInput {
  return {
    ...site,
    projects: site.projects.map((p) => (p.key === 'PAY' ? { ...p, securityLevels: [{ name: 'Treasury board', users: ['u-admin', 'u-leader'], app: true }] } : p)),
    issues: [
      ...(site.issues ?? []),
      { key: 'PAY-11', type: 'Epic', summary: 'Covert acquisition', status: 'In Progress', destination: 'D-1', security: 'Treasury board', created: '2026-09-27' },
      { key: 'PAY-12', type: 'Story', summary: 'Acquisition data room', status: 'In Progress', parent: 'PAY-11', security: 'Treasury board', created: '2026-09-28' },
    ],
  };
}

/** Everything the viewer must never be told: keys, summaries, project keys and names of SEC and HTR; keys and summaries of issues under a level they are not in. */
function forbiddenPatterns(site: SiteInput): RegExp[] {
  const restricted = site.projects.filter((p) => p.browse !== undefined && !p.browse.includes(VIEWER));
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = restricted.flatMap((p) => [new RegExp(`\\b${escape(p.key)}\\b`), new RegExp(escape(p.name))]);
  const secured = (key: string, level: string) =>
    site.projects.some((p) => key.startsWith(`${p.key}-`) && (p.securityLevels ?? []).some((l) => l.name === level && !(l.users ?? []).includes(VIEWER)));
  for (const issue of site.issues ?? []) {
    if (restricted.some((p) => issue.key.startsWith(`${p.key}-`))) patterns.push(new RegExp(escape(issue.summary)));
    if (issue.security && secured(issue.key, issue.security)) patterns.push(new RegExp(`\\b${escape(issue.key)}\\b`), new RegExp(escape(issue.summary)));
  }
  return patterns;
}

interface Call {
  surface: Surface;
  key: ResolverKey;
  payload: unknown;
  extension?: Record<string, unknown>;
  /** A restricted key the caller typed: the answer must be the same as for one that does not exist. */
  echoes?: { key: string; stand_in: string };
}

const draft = { name: 'New goal', businessOwner: VIEWER, targetDate: '2027-12-01' };

/** Typed by the contract: a new resolver key fails to compile until it is listed here. */
const CALLS: { [K in ResolverKey]: Array<{ surface: Surface; payload: PayloadOf<K>; extension?: Record<string, unknown>; echoes?: Call['echoes'] }> } = {
  'me/get': [{ surface: 'portfolio', payload: {} }],
  'users/search': [{ surface: 'admin', payload: { query: 'a' } }],
  'destinations/list': [
    { surface: 'portfolio', payload: {} },
    { surface: 'admin', payload: { includeArchived: true, withEpicCounts: true } },
    { surface: 'field', payload: { withEpicCounts: true } },
    { surface: 'panel', payload: { includeArchived: true } },
  ],
  'destinations/get': [{ surface: 'admin', payload: { id: 'D-1' } }, { surface: 'admin', payload: { id: 'D-8' } }],
  'destinations/create': [{ surface: 'admin', payload: { draft } }],
  'destinations/update': [{ surface: 'admin', payload: { id: 'D-2', version: 1, draft } }],
  'destinations/reorder': [{ surface: 'admin', payload: { orderedIds: ['D-2', 'D-1', 'D-3'] } }],
  'destinations/archive': [{ surface: 'admin', payload: { id: 'D-2', version: 1 } }],
  'destinations/restore': [{ surface: 'admin', payload: { id: 'D-8', version: 1 } }],
  'destinations/delete': [{ surface: 'admin', payload: { id: 'D-3', version: 1 } }],
  'epic/alignment': [
    ...['PAY-1', 'PAY-2', 'PAY-4', 'PAY-7', 'PAY-9', 'OPS-1'].map((issueKey) => ({ surface: 'panel' as const, payload: { issueKey }, extension: { issue: { key: issueKey } } })),
    ...['SEC-1', 'SEC-70', 'HTR-1', 'PAY-11'].map((issueKey) => ({ surface: 'panel' as const, payload: { issueKey }, echoes: { key: issueKey, stand_in: 'NOPE-1' } })),
  ],
  'epic/set-destination': [
    { surface: 'panel', payload: { issueKey: 'PAY-4', destinationId: 'D-1' } },
    { surface: 'panel', payload: { issueKey: 'PAY-4', destinationId: null } },
    { surface: 'panel', payload: { issueKey: 'SEC-4', destinationId: 'D-1' }, echoes: { key: 'SEC-4', stand_in: 'NOPE-4' } },
  ],
  'portfolio/get': [
    { surface: 'portfolio', payload: {} },
    { surface: 'portfolio', payload: { status: ['draft', 'active', 'achieved', 'archived'] } },
    { surface: 'portfolio', payload: { owner: 'u-leader' } },
    { surface: 'portfolio', payload: { projectKey: 'PAY' } },
    { surface: 'portfolio', payload: { projectKey: 'SEC' }, echoes: { key: 'SEC', stand_in: 'NOPE' } },
    { surface: 'portfolio', payload: { projectKey: 'HTR' }, echoes: { key: 'HTR', stand_in: 'NOPE' } },
  ],
  'portfolio/epics': [
    ...['D-1', 'D-2', 'D-3', 'D-8'].map((destinationId) => ({ surface: 'portfolio' as const, payload: { destinationId, limit: 200 } })),
    { surface: 'portfolio', payload: { destinationId: 'D-1', projectKey: 'PAY' } },
    { surface: 'portfolio', payload: { destinationId: 'D-1', projectKey: 'SEC' }, echoes: { key: 'SEC', stand_in: 'NOPE' } },
  ],
  'portfolio/off-route': [
    { surface: 'portfolio', payload: { limit: 200 } },
    { surface: 'portfolio', payload: { projectKey: 'PAY' } },
    { surface: 'portfolio', payload: { projectKey: 'SEC' }, echoes: { key: 'SEC', stand_in: 'NOPE' } },
  ],
  'portfolio/jql': (['on track', 'at risk', 'off track', 'arrived', 'no data'] as const).map((verdict) => ({ surface: 'portfolio' as const, payload: { verdict } })),
  'portfolio/export': [
    { surface: 'portfolio', payload: {} },
    { surface: 'portfolio', payload: { status: ['draft', 'active', 'achieved', 'archived'] } },
    { surface: 'portfolio', payload: { projectKey: 'SEC' }, echoes: { key: 'SEC', stand_in: 'NOPE' } },
  ],
  'reconcile/start': [{ surface: 'admin', payload: {} }],
  'reconcile/status': [{ surface: 'admin', payload: {} }],
  'settings/get': [{ surface: 'admin', payload: {} }],
  'settings/save': [{ surface: 'admin', payload: { settings: { projectKeys: ['PAY'], estimateField: { kind: 'auto' }, throughputWeeks: 12 }, version: 1 } }],
  // The trip over time: each is listed with the calls that reach it when its resolver is defined.
  'trip/history': ['D-1', 'D-2', 'D-3', 'D-8'].map((destinationId) => ({ surface: 'portfolio' as const, payload: { destinationId } })),
  'trip/baseline': ['D-1', 'D-3'].map((destinationId) => ({ surface: 'portfolio' as const, payload: { destinationId } })),
  // A concern raised from SEC-4 (hidden from the viewer) is on D-2, one from PAY-1 on D-1 (see beforeEach).
  'trip/voices': ['D-1', 'D-2', 'D-3', 'D-8'].map((destinationId) => ({ surface: 'portfolio' as const, payload: { destinationId } })),
  'trip/check-in': [{ surface: 'portfolio', payload: { destinationId: 'D-2', status: 'on track', note: 'From the viewer' } }],
  'trip/respond': [
    { surface: 'portfolio', payload: { destinationId: 'D-2', concernId: 'C-1', answer: 'From the viewer' } },
    { surface: 'portfolio', payload: { destinationId: 'D-2', concernId: 'C-9', close: true } },
  ],
  'portfolio/scenery': [
    { surface: 'portfolio', payload: {} },
    { surface: 'portfolio', payload: { projectKey: 'PAY' } },
    { surface: 'portfolio', payload: { projectKey: 'SEC' }, echoes: { key: 'SEC', stand_in: 'NOPE' } },
    { surface: 'portfolio', payload: { projectKey: 'HTR' }, echoes: { key: 'HTR', stand_in: 'NOPE' } },
  ],
  'epic/trip-history': [
    ...['PAY-1', 'PAY-7'].map((issueKey) => ({ surface: 'panel' as const, payload: { issueKey }, extension: { issue: { key: issueKey } } })),
    ...['SEC-1', 'HTR-1', 'PAY-11'].map((issueKey) => ({ surface: 'panel' as const, payload: { issueKey }, echoes: { key: issueKey, stand_in: 'NOPE-1' } })),
  ],
  'epic/voices': [
    { surface: 'panel', payload: { issueKey: 'PAY-1' } },
    { surface: 'panel', payload: { issueKey: 'PAY-7' } },
    { surface: 'panel', payload: { issueKey: 'SEC-4' }, echoes: { key: 'SEC', stand_in: 'NOPE' } },
    { surface: 'panel', payload: { issueKey: 'PAY-11' }, echoes: { key: 'PAY-11', stand_in: 'PAY-999' } },
  ],
  'concern/raise': [
    { surface: 'panel', payload: { issueKey: 'PAY-1', text: 'Raised by the viewer' } },
    { surface: 'panel', payload: { issueKey: 'SEC-4', text: 'Raised by the viewer' }, echoes: { key: 'SEC', stand_in: 'NOPE' } },
    { surface: 'panel', payload: { issueKey: 'PAY-11', text: 'Raised by the viewer' }, echoes: { key: 'PAY-11', stand_in: 'PAY-999' } },
  ],
  // Every destination (D-2 serves only SEC's epic; D-8 is archived) and the headline: aggregates, no epic named.
  'gadget/card': [...['D-1', 'D-2', 'D-3', 'D-8', null].map((destinationId) => ({ surface: 'gadget' as const, payload: { destinationId } }))],
};

function allCalls(): Call[] {
  return (Object.keys(CALLS) as ResolverKey[]).flatMap((key) => CALLS[key].map((c) => ({ ...c, key }) as Call));
}

async function answerText(app: TestApp, call: Call, payload: unknown): Promise<string> {
  const answer = await app.call(call.surface, call.key, payload as never, VIEWER, call.extension);
  return JSON.stringify(answer);
}

/** Every call, with what it leaked (empty when nothing). */
async function walk(app: TestApp, patterns: RegExp[]): Promise<Array<{ call: string; leaks: string[] }>> {
  const found: Array<{ call: string; leaks: string[] }> = [];
  for (const call of allCalls()) {
    let text = await answerText(app, call, call.payload);
    if (call.echoes) {
      // What the caller typed may come back; nothing else may differ from a key that does not exist.
      const { key, stand_in } = call.echoes;
      const standInPayload = JSON.parse(JSON.stringify(call.payload).replace(new RegExp(`\\b${key}\\b`, 'g'), stand_in)) as unknown;
      const standIn = await answerText(app, call, standInPayload);
      const echoed = text.replace(new RegExp(`\\b${key}\\b`, 'g'), stand_in);
      if (echoed !== standIn) found.push({ call: `${call.key} ${JSON.stringify(call.payload)}`, leaks: [`differs from an unknown key: ${text} vs ${standIn}`] });
      text = echoed;
    }
    const leaks = patterns.filter((p) => p.test(text)).map((p) => `${p.source} in ${text.slice(0, 4000)}`);
    if (leaks.length > 0) found.push({ call: `${call.key} ${JSON.stringify(call.payload)}`, leaks });
  }
  return found;
}

describe('no answer names what the viewer may not browse', () => {
  let app: TestApp;
  const site = withIssueSecurity(restrictedSite());
  const patterns = forbiddenPatterns(site);

  it('scans for the keys and summaries of issues under a level the viewer is not in', () => {
    expect(patterns.map((p) => p.source)).toEqual(expect.arrayContaining(['\\bPAY-11\\b', 'Covert acquisition', '\\bPAY-12\\b']));
  });

  beforeEach(async () => {
    app = await startTestApp(site);
    await scopeToPayAndSec(app);
    // What people said, from epics the viewer may not browse too: their keys and summaries must stay hidden.
    await app.data('panel', 'concern/raise', { issueKey: 'SEC-4', text: 'Is the cipher work on track?' }, 'u-leader');
    await app.data('panel', 'concern/raise', { issueKey: 'PAY-11', text: 'Who approved this?' }, 'u-leader');
    await app.data('portfolio', 'trip/check-in', { destinationId: 'D-1', status: 'on track', note: 'Fine' }, 'u-leader');
  });
  afterEach(() => app.close());

  it('lists a call for every resolver key in the contract', () => {
    expect(Object.keys(CALLS).sort()).toEqual(Object.keys(PAYLOADS).sort());
  });

  it('leaks nothing before the first recalculation (figures computed on view)', async () => {
    expect(await walk(app, patterns)).toEqual([]);
  });

  it('leaks nothing from the stored rollups', async () => {
    await reconcileToEnd(app);
    expect((await app.data('portfolio', 'portfolio/get', {}, VIEWER)).freshness?.source).toBe('stored');
    expect(await walk(app, patterns)).toEqual([]);
  });

  it('still shows the leader, who may browse everything, every restricted epic', async () => {
    await reconcileToEnd(app);
    const text = JSON.stringify(await fullPortfolio(app, 'u-leader'));
    for (const key of ['SEC-1', 'SEC-4', 'SEC-68', 'SEC-70', 'SEC-72']) expect(text).toContain(key);
  });

  it('refuses a project filter on a project the viewer cannot browse exactly as one that does not exist', async () => {
    const restricted = await app.call('portfolio', 'portfolio/get', { projectKey: 'SEC' }, VIEWER);
    const missing = await app.call('portfolio', 'portfolio/get', { projectKey: 'NOPE' }, VIEWER);
    expect(missing).toEqual({ ok: false, error: { code: 'NOT_FOUND', field: 'projectKey', message: expect.stringContaining('NOPE') } });
    expect(JSON.stringify(restricted).replace(/\bSEC\b/g, 'NOPE')).toBe(JSON.stringify(missing));
  });
});
