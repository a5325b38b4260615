import { smallSite } from '../../local/jira/testing/small-site';
import { startTestApp, type TestApp } from '../helpers/local-app';

const draft = { name: 'Faster onboarding', businessOwner: 'u-leader', targetDate: '2027-03-31' };

describe('destinations through the admin resolver', () => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(smallSite());
  });
  afterEach(() => app.close());

  it('lists the seeded live destinations with their owner names', async () => {
    const list = await app.data('admin', 'destinations/list', {}, 'u-dev');
    expect(list.map((d) => [d.id, d.name, d.businessOwnerName])).toEqual([['D-1', 'Instant payouts', 'Bea Leader']]);
    const all = await app.data('admin', 'destinations/list', { includeArchived: true }, 'u-dev');
    expect(all.map((d) => d.id)).toEqual(['D-1', 'D-2']);
  });

  it('creates a destination with the next id, ranked after the live ones and ahead of archived ones', async () => {
    const created = await app.data('admin', 'destinations/create', { draft }, 'u-admin');
    expect(created.destination).toMatchObject({ id: 'D-3', name: 'Faster onboarding', priority: 2, status: 'active', version: 1, createdBy: 'u-admin' });
    const archived = await app.data('admin', 'destinations/get', { id: 'D-2' }, 'u-admin');
    expect(archived).toMatchObject({ status: 'archived', priority: 3 });
    expect(created.warnings).toEqual([]);
    const list = await app.data('admin', 'destinations/list', {}, 'u-admin');
    expect(list.map((d) => d.id)).toEqual(['D-1', 'D-3']);
  });

  it('refuses a mutation from someone who is not a Jira administrator, and stores nothing', async () => {
    const answer = await app.call('admin', 'destinations/create', { draft }, 'u-leader');
    expect(answer).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('administrators') } });
    expect(await app.data('admin', 'destinations/list', {}, 'u-admin')).toHaveLength(1);
  });

  it('refuses a duplicate name, naming the field', async () => {
    const answer = await app.call('admin', 'destinations/create', { draft: { ...draft, name: '  instant PAYOUTS ' } }, 'u-admin');
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error).toMatchObject({ code: 'INVALID_INPUT', field: 'name' });
  });

  it('accepts a past target date with a warning', async () => {
    const created = await app.data('admin', 'destinations/create', { draft: { ...draft, targetDate: '2026-01-15' } }, 'u-admin');
    expect(created.warnings.map((w) => w.code)).toEqual(['PAST_TARGET_DATE']);
  });

  it('rejects a malformed payload with the path of the bad value', async () => {
    const answer = await app.call('admin', 'destinations/update', { id: 'D-1', version: 'one', draft } as never, 'u-admin');
    expect(answer).toEqual({ ok: false, error: { code: 'INVALID_INPUT', field: 'version', message: expect.stringContaining('version') } });
  });

  it('refuses a stale update with CONFLICT and keeps the winner', async () => {
    const first = await app.data('admin', 'destinations/update', { id: 'D-1', version: 1, draft: { ...draft, name: 'Payouts v2' } }, 'u-admin');
    expect(first.destination.version).toBe(2);
    const stale = await app.call('admin', 'destinations/update', { id: 'D-1', version: 1, draft: { ...draft, name: 'Payouts v3' } }, 'u-admin');
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.error.code).toBe('CONFLICT');
    const stored = await app.data('admin', 'destinations/get', { id: 'D-1' }, 'u-admin');
    expect(stored).toMatchObject({ name: 'Payouts v2', version: 2 });
  });

  it('archives and restores, and refuses to delete while epics point to the destination', async () => {
    const refused = await app.call('admin', 'destinations/delete', { id: 'D-1', version: 1 }, 'u-admin');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('2 epics') });
    const archived = await app.data('admin', 'destinations/archive', { id: 'D-1', version: 1 }, 'u-admin');
    expect(archived).toMatchObject({ status: 'archived', version: 2 });
    const restored = await app.data('admin', 'destinations/restore', { id: 'D-1', version: 2 }, 'u-admin');
    expect(restored.destination).toMatchObject({ status: 'active', version: 3 });
  });

  it('deletes a destination no epic points to', async () => {
    const created = await app.data('admin', 'destinations/create', { draft }, 'u-admin');
    expect(await app.data('admin', 'destinations/delete', { id: created.destination.id, version: 1 }, 'u-admin')).toEqual({ id: 'D-3' });
    const gone = await app.call('admin', 'destinations/get', { id: 'D-3' }, 'u-admin');
    expect(gone.ok).toBe(false);
  });

  it('counts the epics pointing at each destination once the rollups are stored, for the admin table', async () => {
    // The first calculation ran at install (boot settles it).
    const after = await app.data('admin', 'destinations/list', { includeArchived: true, withEpicCounts: true }, 'u-admin');
    expect(after.map((d) => [d.id, d.epicCount])).toEqual([['D-1', 2], ['D-2', 0]]);
    const plain = await app.data('admin', 'destinations/list', {}, 'u-admin');
    expect(plain[0]?.epicCount).toBeUndefined();
  });

  it('reorders priorities', async () => {
    await app.data('admin', 'destinations/create', { draft }, 'u-admin');
    const reordered = await app.data('admin', 'destinations/reorder', { orderedIds: ['D-3', 'D-1'] }, 'u-admin');
    expect(reordered.map((d) => [d.id, d.priority])).toEqual([['D-3', 1], ['D-1', 2]]);
  });
});
