/**
 * `npm start` (local/cli/start.ts) refuses bad input with one line and exit code 2, never a stack trace.
 * Run as a child process, as a user would run it.
 */
import { spawn, spawnSync } from 'node:child_process';
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

describe('npm start without a site file', () => {
  it('serves the demo site generated for the machine\'s today, so "ago" in the browser is true', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'local/cli/start.ts', '--port', '0', '--no-build'], { cwd: ROOT });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /^Site .*$/m.exec(out);
          if (m) resolve(m[0]);
        });
        child.on('exit', (code) => reject(new Error(`start exited with ${String(code)}: ${out}`)));
      });
      expect(line).toBe(`Site the demo site, generated for today, today ${new Date().toISOString().slice(0, 10)}. Users (pick one in the shell's top bar):`);
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
