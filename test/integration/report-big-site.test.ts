/**
 * `npm run report` on a big site: until the first calculation (started at install) ends a view only says
 * "calculating", so the report waits for it (progress on stderr) and prints the site's figures, the same as a
 * live computation; `--no-wait` prints the placeholder, labelled as one.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Portfolio } from '../../src/contract';
import { generateSite } from '../../local/sites/generate-demo';
import { startTestApp } from '../helpers/local-app';
import { liveFigures } from '../faults/rollup-harness';

const run = promisify(execFile);
const root = join(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

// 22,095 standard issues: big enough for the wait to show, small enough for the test to stay fast.
const site = generateSite({ seed: 7, epics: 450, issuesPerEpic: 49, destinations: 12 });
const file = join(mkdtempSync(join(tmpdir(), 'bd-big-site-')), 'site.json');
writeFileSync(file, JSON.stringify(site));

function report(...args: string[]) {
  return run(tsx, ['local/cli/report.ts', '--site', file, ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
}

describe('npm run report on a big site', () => {
  it('waits for the first calculation and prints the figures a live computation gives', async () => {
    const { stdout, stderr } = await report('--json');
    const answer = JSON.parse(stdout) as Portfolio;
    expect(answer.freshness).toMatchObject({ source: 'stored', stale: false });
    expect(stderr).toMatch(/First calculation \[#+\] 100% {2}[\d,]+ of 22,095 issues read, done in/);

    const app = await startTestApp(site);
    try {
      const live = await liveFigures(app);
      const liveById = new Map(live.destinations.map((d) => [d.id, d]));
      expect(answer.destinations).toHaveLength(12);
      for (const d of answer.destinations) {
        expect(d.progress.count.total).toBeGreaterThan(0);
        expect({ id: d.id, progress: d.progress, forecast: d.forecast }).toEqual({ id: d.id, progress: liveById.get(d.id)?.progress, forecast: liveById.get(d.id)?.forecast });
      }
      expect(answer.offRoute.count.inFlight).toBeGreaterThan(0);
      expect({ count: answer.offRoute.count, estimate: answer.offRoute.estimate }).toEqual({ count: live.offRoute.count, estimate: live.offRoute.estimate });
    } finally {
      await app.close();
    }
  }, 180_000);

  it('prints the table with real figures and no "calculating" line', async () => {
    const { stdout } = await report();
    expect(stdout).toMatch(/^Portfolio as of 2026-11-25/);
    expect(stdout).not.toMatch(/CALCULATING|STALE/);
    expect(stdout).not.toMatch(/no data/);
    expect(stdout).toMatch(/Off-route work in flight: [1-9]\d* of [1-9]\d* issues/);
  }, 120_000);

  it('--no-wait prints the placeholder labelled as calculating, and --json carries that state', async () => {
    const table = await report('--no-wait');
    expect(table.stdout.split('\n')[0]).toMatch(/^CALCULATING: not the site's figures yet\. The first full calculation is running in the background \([\d,]+ issues read so far\)/);
    expect(table.stderr).not.toContain('First calculation [');

    const json = JSON.parse((await report('--no-wait', '--json')).stdout) as Portfolio;
    expect(json.freshness).toMatchObject({ source: 'calculating', stale: true, recalculating: true, staleReason: expect.stringContaining('first full calculation') });
    expect(json.freshness?.calculation?.progress).toBeLessThan(1);
    expect(json.destinations.every((d) => d.progress.count.total === 0)).toBe(true);
  }, 120_000);
});
