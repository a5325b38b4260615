import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { smallSite } from '../../local/jira/testing/small-site';
import { restrictedSite } from '../helpers/restricted-site';

const run = promisify(execFile);
const root = join(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

function siteFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bd-site-')), 'site.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('npm run report', () => {
  it('prints the portfolio as JSON as the chosen user sees it', async () => {
    const { stdout } = await run(tsx, ['local/cli/report.ts', '--site', siteFile(smallSite()), '--json', '--as', 'u-dev'], { cwd: root });
    const report = JSON.parse(stdout) as {
      asOf: string;
      destinations: Array<{ id: string; epics: number; verdict: string; forecastDate: string; visibleEpics: number; hiddenEpics: number; progress: { count: { total: number } } }>;
      offRoute: { count: { inFlight: number; offRoute: number; share: number } };
    };
    expect(report.asOf).toBe('2026-11-25');
    expect(report.destinations.map((d) => [d.id, d.epics, d.verdict, d.forecastDate, d.progress.count.total])).toEqual([['D-1', 2, 'off track', '2027-02-03', 4]]);
    // Rows carry how many epics the viewer may browse; the report names none (the page lists them on demand).
    expect(report.destinations[0]).toMatchObject({ visibleEpics: 1, hiddenEpics: 1 });
    expect(report.offRoute.count).toEqual({ inFlight: 2, offRoute: 1, share: 0.5 });
  }, 60_000);

  it('names no issue or project of what the chosen user may not browse, as JSON or as a table', async () => {
    const site = siteFile(restrictedSite());
    const json = (await run(tsx, ['local/cli/report.ts', '--site', site, '--json', '--as', 'u-dev'], { cwd: root })).stdout;
    const text = (await run(tsx, ['local/cli/report.ts', '--site', site, '--as', 'u-dev'], { cwd: root })).stdout;
    expect(JSON.parse(json)).toMatchObject({ offRoute: { hiddenEpics: 3 } });
    for (const out of [json, text]) expect(out).not.toMatch(/\bSEC\b|\bHTR\b|Security|Hidden Treasury/);
    expect(text).toContain('6 off-route epics');
  }, 60_000);

  it('prints a readable table by default', async () => {
    const { stdout } = await run(tsx, ['local/cli/report.ts', '--site', siteFile(smallSite())], { cwd: root });
    expect(stdout).toContain('Portfolio as of 2026-11-25, as seen by u-admin');
    // Owner by display name, then the forecast date, its likely range, days early, days late, the chance, the verdict.
    expect(stdout).toMatch(/D-1\s+Instant payouts\s+Bea Leader\s+active\s+2026-12-01\s+2027-02-03\s+2026-12-30\.\.2027-04-14\s+0\s+64\s+0%\s+off track\s+2\s+2\/4/);
    expect(stdout).not.toContain('computed as the app');
    expect(stdout).toContain('Off-route work in flight: 1 of 2 issues (50.0%)');
  }, 60_000);

  it('refuses a malformed site file with the path of the first bad value and exit code 2', async () => {
    const bad = smallSite();
    const issues = bad.issues ?? [];
    const third = issues[2];
    if (third) third.status = 'Doing';
    const failure = await run(tsx, ['local/cli/report.ts', '--site', siteFile(bad)], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toMatch(/^report: issues\[2\]\.status: .*Doing/);
    expect((failure as { stderr: string }).stderr).not.toContain('    at ');
  }, 60_000);
});
