/**
 * `npm start` (local/cli/start.ts) refuses bad input with one line and exit code 2, never a stack trace.
 * Run as a child process, as a user would run it.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function start(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'local/cli/start.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stderr: r.stderr };
}

describe('npm start with bad input', () => {
  it.each([
    [['--port', 'abc'], /^start: --port must be a number/],
    [['--port', '70000'], /^start: --port must be a number/],
    [['--wat'], /^start: unknown argument "--wat"/],
    [['--site'], /^start: --site needs a value/],
    [['--site', 'no/such/site.json'], /^start: bad site file: cannot read site file/],
    [['--site', 'package.json'], /^start: bad site file: /],
  ])('%j exits 2 with one line', (args, message) => {
    const r = start(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  }, 30_000);
});
