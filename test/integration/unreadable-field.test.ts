/**
 * An epic whose Business destination field holds a value the app cannot read (written by hand through the
 * REST API, or by an older version of the field) is reported, on both read paths and in the issue panel,
 * rather than taken for an epic with no destination.
 */
import { smallSite } from '../../local/jira/testing/small-site';
import { reconcileToEnd } from '../faults/rollup-harness';
import { appContainer } from '../../src/app/container';
import { startTestApp, type TestApp } from '../helpers/local-app';
import { fullPortfolio } from '../helpers/full-portfolio';

const UNREADABLE = "Epic PAY-9: the Business destination field holds a value the app cannot read; set its destination again. Its work counts as off-route.";

function siteWithEpicPay9() {
  const site = smallSite();
  return {
    ...site,
    issues: [
      ...(site.issues ?? []),
      { key: 'PAY-9', type: 'Epic', summary: 'Field from an older version', status: 'In Progress', destination: 'D-1', created: '2026-09-11' },
      { key: 'PAY-10', type: 'Story', summary: 'Work under it', status: 'In Progress', parent: 'PAY-9', points: 2, created: '2026-09-12' },
    ],
  };
}

/** Jira answers `value` as the field of `issueKey`, wherever an answer carries that issue's fields. */
function fieldAnsweredAs(app: TestApp, issueKey: string, value: unknown): void {
  const handle = app.jira.handle.bind(app.jira);
  const rewrite = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(rewrite);
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      const fields = record.fields as Record<string, unknown> | undefined;
      if (record.key === issueKey && fields && app.jira.appFieldId in fields) fields[app.jira.appFieldId] = value;
      Object.values(record).forEach(rewrite);
    }
  };
  app.jira.handle = async (req) => {
    const res = await handle(req);
    if (res.body === null || !res.body.includes(issueKey)) return res;
    const json: unknown = JSON.parse(res.body);
    rewrite(json);
    return { ...res, body: JSON.stringify(json) };
  };
}

describe.each([
  ['an object with a numeric id', { id: 42 }],
  ['a number', 42],
])('an epic whose field holds %s', (_label, value) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(siteWithEpicPay9());
    fieldAnsweredAs(app, 'PAY-9', value);
  });
  afterEach(() => app.close());

  it('is reported by the computation from Jira (the stored figures\' reference), and its work counts as off-route', async () => {
    const { rollup } = await app.platform.runAsApp(() => appContainer().services().portfolio.compute());
    expect(rollup.warnings).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_DESTINATION', message: UNREADABLE, refs: ['PAY-9'] }));
    expect(rollup.offRoute.epicKeys).toContain('PAY-9');
    expect(rollup.destinations.find((d) => d.destination.id === 'D-1')?.epicKeys).not.toContain('PAY-9');
  });

  it('is reported in the portfolio read from the stored rollups', async () => {
    await reconcileToEnd(app);
    const p = await fullPortfolio(app, 'u-leader', {});
    expect(p.freshness?.source).toBe('stored');
    expect(p.warnings).toContainEqual({ code: 'UNKNOWN_DESTINATION', message: UNREADABLE, refs: ['PAY-9'] });
    expect(p.offRoute.epics.map((e) => e.key)).toContain('PAY-9');
  });

  it('is reported in the issue panel, before and after the first recalculation', async () => {
    const before = await app.data('panel', 'epic/alignment', { issueKey: 'PAY-9' }, 'u-admin');
    expect(before).toMatchObject({ destination: null, alignmentProblem: null, share: null });
    expect(before.warnings).toContainEqual({ code: 'UNKNOWN_DESTINATION', message: UNREADABLE, refs: ['PAY-9'] });
    await reconcileToEnd(app);
    const after = await app.data('panel', 'epic/alignment', { issueKey: 'PAY-9' }, 'u-admin');
    expect(after.freshness?.source).toBe('stored');
    expect(after.warnings).toContainEqual({ code: 'UNKNOWN_DESTINATION', message: UNREADABLE, refs: ['PAY-9'] });
  });
});
