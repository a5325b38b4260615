import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSite, SiteError, type SiteInput } from './site';
import { smallSite } from './testing/small-site';

function withChange(change: (site: SiteInput) => void): SiteInput {
  const site = smallSite();
  change(site);
  return site;
}

function errorOf(site: unknown): string {
  try {
    loadSite(site);
  } catch (e) {
    if (e instanceof SiteError) return e.message;
    throw e;
  }
  throw new Error('site loaded, but an error was expected');
}

const issues = (site: SiteInput): NonNullable<SiteInput['issues']> => site.issues as NonNullable<SiteInput['issues']>;

describe('loadSite', () => {
  it('fills in default statuses, issue types and story points field when absent', () => {
    const site = loadSite(smallSite());
    expect(site.statuses.map((s) => s.name)).toEqual(['To Do', 'In Progress', 'Done']);
    expect(site.issueTypes.find((t) => t.name === 'Sub-task')?.hierarchyLevel).toBe(-1);
    expect(site.storyPointsField).toEqual({ id: 'customfield_10016', name: 'Story point estimate' });
    expect(site.users.find((u) => u.accountId === 'u-dev')?.admin).toBe(false);
  });

  it('reads a site from a JSON file path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'site-'));
    const file = join(dir, 'site.json');
    writeFileSync(file, JSON.stringify(smallSite()));
    expect(loadSite(file).issues).toHaveLength(10);
  });

  it('names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'site-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ nope');
    expect(errorOf(file)).toMatch(/^site file .*broken\.json is not JSON/);
  });

  it('accepts a destination id that no destination has (the field then holds the bare id)', () => {
    expect(() => loadSite(smallSite())).not.toThrow();
  });

  it.each<[string, (s: SiteInput) => void, string]>([
    ['an unknown status', (s) => void (issues(s)[3] = { ...issues(s)[3]!, status: 'Doing' }), 'issues[3].status: unknown status "Doing" (known: To Do, In Progress, Done)'],
    ['an unknown issue type', (s) => void (issues(s)[6] = { ...issues(s)[6]!, type: 'Chore' }), 'issues[6].type: unknown issue type "Chore" (known: Epic, Story, Task, Bug, Sub-task)'],
    ['a duplicate issue key', (s) => void (issues(s)[2] = { ...issues(s)[2]!, key: 'PAY-1' }), 'issues[2].key: duplicate issue key "PAY-1" (first at index 0)'],
    ['a key whose project does not exist', (s) => void issues(s).push({ key: 'OPS-1', type: 'Task', summary: 'x', status: 'To Do', created: '2026-09-01' }), 'issues[10].key: unknown project "OPS" (known: PAY, SEC)'],
    ['a project field that contradicts the key', (s) => void (issues(s)[0] = { ...issues(s)[0]!, project: 'SEC' }), 'issues[0].project: project "SEC" does not match the key prefix "PAY"'],
    ['a missing parent', (s) => void (issues(s)[1] = { ...issues(s)[1]!, parent: 'PAY-99' }), 'issues[1].parent: unknown parent issue "PAY-99"'],
    ['a story under a story', (s) => void (issues(s)[1] = { ...issues(s)[1]!, parent: 'PAY-3' }), 'issues[1].parent: a Story (hierarchy level 0) cannot have the Story PAY-3 (level 0) as parent: the parent must be exactly one level above'],
    ['a sub-task under an epic', (s) => void (issues(s)[4] = { ...issues(s)[4]!, parent: 'PAY-1' }), 'issues[4].parent: a Sub-task (hierarchy level -1) cannot have the Epic PAY-1 (level 1) as parent: the parent must be exactly one level above'],
    ['a sub-task without parent', (s) => void (issues(s)[4] = { ...issues(s)[4]!, parent: null }), 'issues[4].parent: a Sub-task (sub-task) needs a parent'],
    ['a resolution date on an open issue', (s) => void (issues(s)[2] = { ...issues(s)[2]!, resolved: '2026-10-01' }), 'issues[2].resolved: only done issues may have a resolution date (status "In Progress" is indeterminate)'],
    ['a resolution before creation', (s) => void (issues(s)[1] = { ...issues(s)[1]!, resolved: '2026-08-01' }), 'issues[1].resolved: resolved 2026-08-01 is before created 2026-09-02'],
    ['a date that does not exist', (s) => void (issues(s)[0] = { ...issues(s)[0]!, created: '2026-02-30' }), 'issues[0].created: not a real ISO date'],
    ['a today that is not a date', (s) => void (s.today = '25/11/2026'), 'today: not a real ISO date (YYYY-MM-DD)'],
    ['an unknown owner', (s) => void (s.destinations![0] = { ...s.destinations![0]!, businessOwner: 'u-ghost' }), 'destinations[0].businessOwner: unknown user "u-ghost"'],
    ['an unknown user in browse', (s) => void (s.projects[1] = { ...s.projects[1]!, browse: ['u-admin', 'u-ghost'] }), 'projects[1].browse[1]: unknown user "u-ghost"'],
    ['a duplicate destination id', (s) => void s.destinations!.push({ ...s.destinations![0]!, name: 'Other' }), 'destinations[2].id: duplicate destination id "D-1" (first at index 0)'],
    ['two live destinations with one name', (s) => void s.destinations!.push({ ...s.destinations![0]!, id: 'D-3', name: ' instant PAYOUTS ' }), 'destinations[2].name: duplicate name " instant PAYOUTS " among non-archived destinations'],
    ['an unknown destination status', (s) => void (s.destinations![0] = { ...s.destinations![0]!, status: 'paused' as 'active' }), 'destinations[0].status: '],
    ['a negative story point value', (s) => void (issues(s)[1] = { ...issues(s)[1]!, points: -1 }), 'issues[1].points: '],
    ['an unknown top-level key', (s) => void Object.assign(s, { issuez: [] }), 'Unrecognized key: "issuez"'],
    ['a missing users list', (s) => void delete (s as Partial<SiteInput>).users, 'users: '],
  ])('refuses %s, naming the path of the bad value', (_what, change, message) => {
    expect(errorOf(withChange(change))).toContain(message);
    expect(errorOf(withChange(change)).startsWith(message.split(':')[0] as string)).toBe(true);
  });

  it('allows an archived destination to share a name with a live one', () => {
    const site = withChange((s) => void s.destinations!.push({ ...s.destinations![0]!, id: 'D-3', status: 'archived' }));
    expect(loadSite(site).destinations).toHaveLength(3);
  });
});

describe('site files that JSON.parse would have let through, or refused for the wrong reason', () => {
  function writeSite(text: string): string {
    const file = join(mkdtempSync(join(tmpdir(), 'site-')), 'site.json');
    writeFileSync(file, text);
    return file;
  }

  it('refuses a key repeated in one object, naming where (JSON.parse keeps the last silently)', () => {
    const text = JSON.stringify(smallSite(), null, 2).replace('"today": "2026-11-25"', '"today": "2026-11-25",\n  "today": "2026-11-26"');
    expect(text).toContain('"today": "2026-11-26"');
    expect(errorOf(writeSite(text))).toMatch(/is not JSON: duplicate key "today" at line 3, column 3$/);
  });

  it('accepts a UTF-8 byte-order mark at the start of the file', () => {
    expect(loadSite(writeSite(`\uFEFF${JSON.stringify(smallSite())}`)).issues).toHaveLength(10);
  });

  it('keeps every error on one line, even for a file name with a line break or broken JSON over many lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'site-'));
    const file = join(dir, 'two\nlines.json');
    writeFileSync(file, '{\n  "today": "2026-11-25",\n  oops\n}\n');
    const message = errorOf(file);
    expect(message).toMatch(/is not JSON: expected .* but found "o" at line 3, column 3$/);
    expect(message).not.toMatch(/[\n\r]/);
  });

  it.each(['D-0', 'D-01', 'd-1', 'D-1234567890', 'x'.repeat(600), 'D 1', 'D-1\u0000'])('refuses the destination id %j, which the app could never have issued', (id) => {
    const message = errorOf(withChange((s) => void (s.destinations![0] = { ...s.destinations![0]!, id })));
    expect(message).toMatch(/^destinations\[0\]\.id: must be a destination id as the app issues them/);
    expect(message).not.toMatch(/[\n\r]/);
    expect(message).not.toContain(String.fromCharCode(0));
  });

  it('refuses a destination name or description with control characters, or a name of only invisible characters', () => {
    expect(errorOf(withChange((s) => void (s.destinations![0] = { ...s.destinations![0]!, name: 'Pay\u001b[31m' })))).toMatch(/^destinations\[0\]\.name: contains a control character/);
    expect(errorOf(withChange((s) => void (s.destinations![0] = { ...s.destinations![0]!, name: '\u200B' })))).toBe('destinations[0].name: has no visible characters');
    expect(errorOf(withChange((s) => void (s.destinations![0] = { ...s.destinations![0]!, description: 'a\u0000b' })))).toMatch(/^destinations\[0\]\.description: contains a control character/);
  });

  it('bounds estimates per issue, so no sum of them can reach Infinity', () => {
    expect(errorOf(withChange((s) => void (issues(s)[1] = { ...issues(s)[1]!, points: 1e308 })))).toBe('issues[1].points: must be at most 1000000');
    expect(errorOf(withChange((s) => void (issues(s)[1] = { ...issues(s)[1]!, originalEstimate: 4e9 })))).toMatch(/^issues\[1\]\.originalEstimate: must be at most 3600000000 seconds/);
    expect(loadSite(withChange((s) => void (issues(s)[1] = { ...issues(s)[1]!, points: 1e6 }))).issues[1]?.points).toBe(1e6);
  });
});
