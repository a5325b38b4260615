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

describe('the app history sections: check-ins, concerns, a destination success measure', () => {
  /** The small site with a lead on D-1, its success measure, one check-in and one answered concern. */
  function historySite(): SiteInput {
    const site = smallSite();
    site.destinations![0] = { ...site.destinations![0]!, deliveryLead: 'u-admin', successMeasure: { name: 'Paid within a minute', baseline: 4, target: 90 } };
    site.checkIns = [{ destination: 'D-1', by: 'u-leader', status: 'on track', note: 'Fine.', at: '2026-11-02T09:30:00Z', measure: 12 }];
    site.concerns = [{ destination: 'D-1', epic: 'PAY-1', by: 'u-dev', text: 'Is the date real?', at: '2026-10-25T17:00:00+02:00', answer: { by: 'u-admin', text: 'Yes.', at: '2026-11-10T08:00:00Z' } }];
    return site;
  }
  const withHistory = (change: (s: SiteInput) => void): SiteInput => {
    const site = historySite();
    change(site);
    return site;
  };
  const checkIn = (s: SiteInput) => s.checkIns![0]!;
  const concern = (s: SiteInput) => s.concerns![0]!;

  it('loads them, with the defaults (an empty unit, no note)', () => {
    const site = loadSite(withHistory((s) => void delete (checkIn(s) as { note?: string }).note));
    expect(site.destinations[0]?.successMeasure).toEqual({ name: 'Paid within a minute', unit: '', baseline: 4, target: 90 });
    expect(site.checkIns?.[0]).toMatchObject({ note: '', measure: 12 });
    expect(site.concerns?.[0]?.answer?.by).toBe('u-admin');
    // A site without them has none.
    expect(loadSite(smallSite()).checkIns).toBeUndefined();
  });

  it.each<[string, (s: SiteInput) => void, string]>([
    ['a check-in on an unknown destination', (s) => void (checkIn(s).destination = 'D-9'), 'checkIns[0].destination: unknown destination "D-9" (known: D-1, D-2)'],
    ['a check-in on an archived destination', (s) => void Object.assign(checkIn(s), { destination: 'D-2', measure: undefined }), 'checkIns[0].destination: destination D-2 is archived: the app takes no check-ins or concerns on it'],
    ['a check-in by someone neither owner nor lead', (s) => void (checkIn(s).by = 'u-dev'), 'checkIns[0].by: "u-dev" is neither the business owner (u-leader) nor the delivery lead (u-admin) of D-1: only they check in'],
    ['a check-in by an unknown user', (s) => void (checkIn(s).by = 'u-ghost'), 'checkIns[0].by: unknown user "u-ghost"'],
    ['a check-in status the app does not know', (s) => void (checkIn(s).status = 'fine' as 'on track'), 'checkIns[0].status: '],
    ['a check-in at a date without a time', (s) => void (checkIn(s).at = '2026-11-02'), 'checkIns[0].at: not a real ISO date-time with an offset'],
    ['a check-in at a time without an offset', (s) => void (checkIn(s).at = '2026-11-02T09:30:00'), 'checkIns[0].at: not a real ISO date-time with an offset'],
    ['a check-in on the site today', (s) => void (checkIn(s).at = '2026-11-25T08:00:00Z'), "checkIns[0].at: 2026-11-25T08:00:00Z is not before the site's today 2026-11-25: history is in the past"],
    ['a measure on a destination without a success measure', (s) => void delete s.destinations![0]!.successMeasure, 'checkIns[0].measure: destination D-1 names no successMeasure to measure'],
    ['a check-in note over 500 characters', (s) => void (checkIn(s).note = 'x'.repeat(501)), 'checkIns[0].note: must be at most 500 characters'],
    ['a check-in note with a control character', (s) => void (checkIn(s).note = 'a\u0007b'), 'checkIns[0].note: contains a control character'],
    ['a field a check-in does not have', (s) => void Object.assign(checkIn(s), { who: 'me' }), 'checkIns[0]: Unrecognized key: "who"'],
    ['a concern from an unknown issue', (s) => void (concern(s).epic = 'PAY-99'), 'concerns[0].epic: unknown issue "PAY-99"'],
    ['a concern from a story', (s) => void (concern(s).epic = 'PAY-2'), 'concerns[0].epic: PAY-2 is a Story, not an epic: concerns are raised from an epic'],
    ['a concern from an epic of no destination', (s) => void (concern(s).epic = 'PAY-6'), 'concerns[0].epic: epic PAY-6 does not serve D-1 (its destination is none)'],
    ['a concern by someone who may not browse the epic', (s) => void (concern(s).epic = 'SEC-1'), 'concerns[0].by: "u-dev" may not browse SEC-1, so cannot raise a concern from it'],
    ['an empty concern', (s) => void (concern(s).text = ''), 'concerns[0].text: must not be empty'],
    ['a concern of only blanks', (s) => void (concern(s).text = ' \u200B '), 'concerns[0].text: has no visible characters'],
    ['a concern over 1000 characters', (s) => void (concern(s).text = 'x'.repeat(1001)), 'concerns[0].text: must be at most 1000 characters'],
    ['an answer by someone neither owner nor lead', (s) => void (concern(s).answer!.by = 'u-dev'), 'concerns[0].answer.by: "u-dev" is neither the business owner (u-leader) nor the delivery lead (u-admin) of D-1: only they answer concerns'],
    ['an answer before its concern', (s) => void (concern(s).answer!.at = '2026-10-25T14:59:59Z'), 'concerns[0].answer.at: answered 2026-10-25T14:59:59Z, before the concern was raised (2026-10-25T17:00:00+02:00)'],
    ['an answer on the site today', (s) => void (concern(s).answer!.at = '2026-11-25T00:00:00Z'), "concerns[0].answer.at: 2026-11-25T00:00:00Z is not before the site's today"],
    ['an answered concern without an answer', (s) => void Object.assign(concern(s), { answer: undefined, state: 'answered' }), 'concerns[0].state: a concern is answered only with an answer'],
    ['an open concern with an answer', (s) => void (concern(s).state = 'open'), 'concerns[0].state: a concern with an answer is answered or closed, not open'],
    ['a success measure without a name', (s) => void (s.destinations![0]!.successMeasure!.name = ''), 'destinations[0].successMeasure.name: '],
    ['a success measure unit over 20 characters', (s) => void (s.destinations![0]!.successMeasure!.unit = 'merchants per minute!'), 'destinations[0].successMeasure.unit: '],
    ['a success measure baseline that is not a number', (s) => void (s.destinations![0]!.successMeasure!.baseline = '4' as unknown as number), 'destinations[0].successMeasure.baseline: '],
  ])('refuses %s, naming the entry', (_what, change, message) => {
    expect(errorOf(withHistory(change))).toContain(message);
    expect(errorOf(withHistory(change)).startsWith(message.split(':')[0] as string)).toBe(true);
  });

  it('accepts a closed concern with its answer, and an open one without', () => {
    const site = withHistory((s) => {
      concern(s).state = 'closed';
      s.concerns!.push({ destination: 'D-1', epic: 'SEC-1', by: 'u-leader', text: 'Keys?', at: '2026-11-20T10:00:00Z' });
    });
    expect(loadSite(site).concerns?.map((c) => c.state ?? 'default')).toEqual(['closed', 'default']);
  });
});
