/**
 * Every JQL string the app can send or show, parsed with Atlassian's own parser (`@atlaskit/jql-ast` over
 * `@atlaskit/jql-parser`): what the builders make, the fragments the `destinationWork` function returns, the
 * portfolio's links (and the unions and "done" links the page composes from them), and every JQL the Jira
 * emulator receives while the real app runs a full rebuild, events and views on the local platform. The
 * emulator no longer rewrites anything before parsing, so a string that passes here is one Jira's parser takes.
 */
import { JastBuilder } from '@atlaskit/jql-ast';
import { smallSite } from '../../local/jira/testing/small-site';
import { destinationWorkJql, MAX_RIGHT_HAND_VALUES } from '../../src/jql-function/destination-work-jql';
import { childrenJql, epicsJql, inFlightOrphansJql } from '../../src/infra/jira/jql';
import { doneJql, unionJql } from '../../static/portfolio/src/portfolio-unions';
import { VERDICTS } from '../../src/contract';
import { destination, epicEntry } from '../helpers/in-memory-ports';
import { startTestApp } from '../helpers/local-app';

jest.setTimeout(60_000);

function parserErrors(jql: string): string[] {
  const jast = new JastBuilder().build(jql);
  return (jast.errors as unknown as Array<{ message?: string }>).map((e) => e.message ?? 'error');
}

function expectAllParse(strings: Iterable<string>): void {
  const failures = [...new Set(strings)].map((jql) => ({ jql, errors: parserErrors(jql) })).filter((r) => r.errors.length > 0);
  expect(failures).toEqual([]);
}

describe('the parser check itself', () => {
  it('finds the errors Jira reports for the forms the app used to send', () => {
    expect(parserErrors('"Business destination".Id = "D-1"')).not.toEqual([]);
    expect(parserErrors('cf[10000].Id = "x"')).not.toEqual([]);
    expect(parserErrors('issue in destinationWork("D-1")')).toEqual([]);
  });
});

describe('JQL the app builds', () => {
  it('search builders', () => {
    expectAllParse([
      epicsJql(['10000'], []),
      epicsJql(['10000', '10005'], ['PAY', 'SEC']),
      childrenJql(['PAY-1']),
      childrenJql(['PAY-1', 'SEC-12', 'A1-9']),
      inFlightOrphansJql(['10001', '10002'], []),
      inFlightOrphansJql(['10001'], ['PAY']),
    ]);
  });

  it('destinationWork fragments, for every shape they take, within the right-hand side value limit', () => {
    const destinations = [destination('D-1', 1), destination('D-2', 2, { status: 'archived', archivedFrom: 'active' })];
    const withIds = (n: number, destinationId: string | null, offset = 0) =>
      Array.from({ length: n }, (_, i) => ({ ...epicEntry(`E-${offset + i + 1}`, destinationId), id: String(20000 + offset + i) }));
    const many = [...withIds(300, 'D-1'), ...withIds(800, null, 300)];
    const facts = [
      { epics: withIds(3, 'D-1'), destinations, standardTypeIds: ['10001'], projectKeys: [] },
      { epics: [], destinations, standardTypeIds: ['10001', '10002'], projectKeys: ['E', 'PAY'] },
      // More off-route epics than the limit allows: the fragment names the aligned ones instead.
      { epics: many, destinations, standardTypeIds: ['10001'], projectKeys: [] },
    ];
    const fragments: string[] = [];
    for (const f of facts) {
      for (const arg of ['D-1', 'D-2', undefined, 'none']) {
        for (const op of ['in', 'not in']) {
          const r = destinationWorkJql(arg, op, f);
          if (!('jql' in r)) throw new Error(`no fragment for ${arg}: ${r.error}`);
          fragments.push(r.jql, `project = PAY AND issue ${op} destinationWork(${arg === undefined ? '' : `"${arg}"`})`);
          const values = r.jql.match(/"[^"]*"|\b\d+\b/g) ?? [];
          expect(values.length).toBeLessThanOrEqual(MAX_RIGHT_HAND_VALUES);
        }
      }
    }
    expectAllParse(fragments);
  });
});

describe('JQL sent and shown while the app runs', () => {
  it('a full rebuild, events, views and links: every JQL the emulator receives and every link parses', async () => {
    const app = await startTestApp(smallSite(), { settle: false });
    const received: string[] = [];
    const seen = (body: unknown, path: string) => {
      if (body && typeof body === 'object' && typeof (body as { jql?: unknown }).jql === 'string') received.push((body as { jql: string }).jql);
      const query = new URL(path, 'https://x').searchParams.get('jql');
      if (query !== null) received.push(query);
      return undefined;
    };
    app.jira.delayWhen(({ body, path }) => seen(body, path));
    try {
      // The panel and the portfolio before the first rebuild has published anything.
      await app.data('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev');
      await app.data('portfolio', 'portfolio/get', {}, 'u-leader');
      await app.platform.settle();
      await app.data('admin', 'reconcile/start', {}, 'u-admin');
      await app.platform.settle();
      // Events: a child moves on, an epic changes destination in Jira, the app changes one itself.
      app.jira.updateIssue('PAY-3', { status: 'Done', resolved: '2026-11-25' }, 'u-dev');
      app.jira.updateIssue('PAY-6', { destination: 'D-1' }, 'u-dev');
      app.jira.createIssue({ key: 'PAY-9', type: 'Story', summary: 'New', status: 'In Progress', parent: 'PAY-6' }, 'u-dev');
      await app.platform.settle();
      await app.data('panel', 'epic/set-destination', { issueKey: 'PAY-8', destinationId: 'D-1' }, 'u-dev');
      await app.platform.settle();
      // Views, as two users.
      const links: string[] = [];
      for (const user of ['u-leader', 'u-dev']) {
        const portfolio = await app.data('portfolio', 'portfolio/get', {}, user);
        const byDestination = Object.values(portfolio.jql.byDestination);
        links.push(...byDestination, portfolio.jql.offRoute, portfolio.jql.inFlight);
        links.push(...[unionJql(byDestination), ...byDestination.map(doneJql)].filter((q): q is string => q !== undefined));
        // A headline number's link, asked for when followed.
        for (const verdict of VERDICTS) {
          const { jql } = await app.data('portfolio', 'portfolio/jql', { verdict }, user);
          if (jql !== null) links.push(jql);
        }
        await app.data('panel', 'epic/alignment', { issueKey: 'PAY-1' }, user);
        // The scenery trend's point links, whole and per project.
        for (const payload of [{}, { projectKey: 'PAY' }]) links.push(...(await app.data('portfolio', 'portfolio/scenery', payload, user)).points.map((p) => p.jql));
      }
      // A destination deleted once nothing points at it (the check reads stored rollups, sends no JQL).
      const created = await app.data('admin', 'destinations/create', { draft: { name: 'Short-lived', businessOwner: 'u-admin', targetDate: '2026-12-31' } }, 'u-admin');
      await app.data('admin', 'destinations/delete', { id: created.destination.id, version: created.destination.version }, 'u-admin');
      // Follow the links as Jira would, so the function's fragments are asked for and stored too (without
      // ORDER BY: the emulator orders by fewer fields than Jira, and order is not what is checked here).
      for (const link of links) {
        const jql = unionJql([link]) ?? link;
        const answer = await app.jira.handle({ method: 'POST', path: '/rest/api/3/search/jql', headers: {}, body: JSON.stringify({ jql, fields: ['id'] }), as: { kind: 'user', accountId: 'u-leader' } });
        expect({ jql, status: answer.status, body: answer.status === 200 ? '' : answer.body }).toEqual({ jql, status: 200, body: '' });
      }
      const stored = await app.jira.handle({ method: 'GET', path: '/rest/api/3/jql/function/computation', headers: {}, as: { kind: 'app' } });
      const fragments = ((JSON.parse(stored.body ?? '{}') as { values?: Array<{ value?: string }> }).values ?? []).map((p) => p.value ?? '');

      expect(received.length).toBeGreaterThan(5);
      expect(links.length).toBeGreaterThan(5);
      expect(fragments.length).toBeGreaterThan(0);
      expectAllParse([...received, ...links, ...fragments]);
      expect(received.join('\n')).not.toMatch(/\.Id\b|hierarchyLevel|"In Progress"/);
    } finally {
      await app.close();
    }
  });
});
