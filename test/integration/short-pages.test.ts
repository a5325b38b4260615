/**
 * Jira may answer a search page with fewer issues than asked when many fields are asked (the emulator: 400
 * field values a page, so the app's child searches get 80 issues for 100 asked). The app must follow
 * `nextPageToken` and count every child.
 */
import type { SiteInput } from '../../local/jira/site';
import { startTestApp } from '../helpers/local-app';

const CHILDREN = 170;

function site(): SiteInput {
  return {
    today: '2026-11-25',
    users: [{ accountId: 'u-admin', displayName: 'Ada Admin', admin: true }],
    projects: [{ key: 'PAY', name: 'Payments' }],
    destinations: [{ id: 'D-1', name: 'Instant payouts', targetDate: '2027-03-01', status: 'active', priority: 1, businessOwner: 'u-admin' }],
    issues: [
      { key: 'PAY-1', type: 'Epic', summary: 'Big epic', status: 'In Progress', destination: 'D-1', created: '2026-09-01' },
      ...Array.from({ length: CHILDREN }, (_, i) => ({
        key: `PAY-${i + 2}`, type: 'Story', summary: `Story ${i + 1}`, status: i % 2 === 0 ? 'Done' : 'In Progress', parent: 'PAY-1', points: 1,
        created: '2026-09-02', ...(i % 2 === 0 ? { resolved: '2026-11-01' } : {}),
      })),
    ],
  };
}

describe('short search pages', () => {
  it('count every child of an epic bigger than one short page', async () => {
    const app = await startTestApp(site());
    try {
      const short = await app.jira.handle({
        method: 'POST', path: '/rest/api/3/search/jql', headers: {}, as: { kind: 'app' },
        body: JSON.stringify({ jql: 'parent = PAY-1', fields: ['status', 'project', 'parent', 'resolutiondate', 'customfield_10016'], maxResults: 100 }),
      });
      expect((JSON.parse(short.body ?? '{}') as { issues: unknown[] }).issues).toHaveLength(80);
      const [d1] = (await app.data('portfolio', 'portfolio/get', {}, 'u-admin')).destinations;
      expect(d1?.progress.count).toEqual({ new: 0, indeterminate: CHILDREN / 2, done: CHILDREN / 2, total: CHILDREN });
    } finally {
      await app.close();
    }
  }, 60_000);
});
