/**
 * Bad input and a failing Jira get a clear, typed answer, never a stack trace or a Jira body, and leave
 * stored data as it was.
 */
import { smallSite } from '../../local/jira/testing/small-site';
import { startTestApp, type TestApp } from '../helpers/local-app';

describe('when Jira fails', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(smallSite());
  });
  afterEach(() => app.close());

  it('answers JIRA_UNAVAILABLE after retrying 5xx, with a message a person can act on', async () => {
    app.jira.faults.rate5xx = 1;
    const answer = await app.call('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev');
    expect(answer).toEqual({ ok: false, error: { code: 'JIRA_UNAVAILABLE', message: expect.stringMatching(/Try again/) } });
    // The first attempt and the client's retries all reached Jira before it gave up.
    expect(Object.values(app.jira.requestLog()).reduce((a, b) => a + b, 0)).toBeGreaterThan(1);
  }, 30_000);

  it('answers RATE_LIMITED when Jira keeps answering 429, honouring Retry-After', async () => {
    app.jira.faults.rate429 = 1;
    app.jira.faults.retryAfterSeconds = 0;
    const answer = await app.call('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev');
    expect(answer.ok || answer.error.code).toBe('RATE_LIMITED');
  }, 30_000);

  it('never reads a body that is not JSON as figures', async () => {
    app.jira.faults.rateGarbage = 1;
    const answer = await app.call('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev');
    expect(answer.ok || answer.error.code).toBe('JIRA_UNAVAILABLE');
    expect(JSON.stringify(answer)).not.toMatch(/at .*\.ts|<html|errorMessages/);
  }, 30_000);

  it('changes nothing in storage when Jira cannot confirm the caller is an admin', async () => {
    app.jira.faults.rate5xx = 1;
    const refused = await app.call('admin', 'destinations/create', { draft: { name: 'New', businessOwner: 'u-leader', targetDate: '2027-01-01' } }, 'u-admin');
    expect(refused.ok || refused.error.code).toBe('JIRA_UNAVAILABLE');
    app.jira.faults.rate5xx = 0;
    const list = await app.data('admin', 'destinations/list', { includeArchived: true }, 'u-admin');
    expect(list.map((d) => d.id)).toEqual(['D-1', 'D-2']);
  }, 30_000);
});

describe('bad requests', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp({
      ...smallSite(),
      projects: [...(smallSite().projects ?? []), { key: 'OUT', name: 'Out of scope' }],
      issues: [...(smallSite().issues ?? []), { key: 'OUT-1', type: 'Epic', summary: 'Elsewhere', status: 'To Do', created: '2026-09-01' }],
    });
  });
  afterEach(() => app.close());

  it('refuses to align an epic in a project outside the app\'s scope', async () => {
    const { version, ...current } = (await app.data('admin', 'settings/get', {}, 'u-admin')).settings;
    await app.data('admin', 'settings/save', { settings: { ...current, projectKeys: ['PAY', 'SEC'] }, version }, 'u-admin');
    const answer = await app.call('panel', 'epic/set-destination', { issueKey: 'OUT-1', destinationId: 'D-1' }, 'u-admin');
    expect(answer).toEqual({ ok: false, error: { code: 'INVALID_INPUT', field: 'issueKey', message: expect.stringContaining('outside the app\'s scope') } });
    expect(app.jira.issue('OUT-1')?.appValue).toBeNull();
  });

  it('refuses settings naming a project that does not exist, and keeps the old settings', async () => {
    const { version, ...current } = (await app.data('admin', 'settings/get', {}, 'u-admin')).settings;
    const answer = await app.call('admin', 'settings/save', { settings: { ...current, projectKeys: ['NOPE'] }, version }, 'u-admin');
    expect(answer.ok || answer.error).toMatchObject({ code: 'INVALID_INPUT', field: 'projectKeys' });
    expect((await app.data('admin', 'settings/get', {}, 'u-admin')).settings.projectKeys).toEqual([]);
  });

  it('refuses an empty name, an over-long name and an impossible date, each on its field', async () => {
    const base = { businessOwner: 'u-leader', targetDate: '2027-01-01' };
    const cases = [
      [{ ...base, name: '   ' }, 'name'],
      [{ ...base, name: 'x'.repeat(121) }, 'name'],
      [{ ...base, name: 'Leap', targetDate: '2027-02-30' }, 'targetDate'],
    ] as const;
    for (const [draft, field] of cases) {
      const answer = await app.call('admin', 'destinations/create', { draft }, 'u-admin');
      expect(answer.ok || answer.error).toMatchObject({ code: 'INVALID_INPUT', field });
    }
    expect(await app.data('admin', 'destinations/list', {}, 'u-admin')).toHaveLength(1);
  });

  it('answers NOT_FOUND for an unknown destination id', async () => {
    const answer = await app.call('panel', 'epic/set-destination', { issueKey: 'PAY-6', destinationId: 'D-77' }, 'u-dev');
    expect(answer.ok || answer.error.code).toBe('NOT_FOUND');
  });

  it('shows the panel of an epic pointing at an archived destination as a problem to fix', async () => {
    await app.data('panel', 'epic/set-destination', { issueKey: 'PAY-6', destinationId: 'D-1' }, 'u-dev');
    await app.data('admin', 'destinations/archive', { id: 'D-1', version: 1 }, 'u-admin');
    const alignment = await app.data('panel', 'epic/alignment', { issueKey: 'PAY-6' }, 'u-dev');
    expect(alignment.alignmentProblem).toMatchObject({ code: 'ARCHIVED_DESTINATION', destinationId: 'D-1' });
  });
});
