/**
 * `npm start` (local/cli/start.ts) refuses bad input with one line and exit code 2, never a stack trace.
 * Run as a child process, as a user would run it; a signal to `npm start` stops the server and frees its port.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Envelope, Portfolio } from '../../src/contract';
import { generateSite } from '../sites/generate-demo';

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
/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether `port` can be bound again, tried until `withinMs` has passed. */
async function bindable(port: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (ok || Date.now() > until) return ok;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start stopped by a signal sent to the npm process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s closes the server, frees the port and exits 0', async (signal) => {
    const port = await freePort();
    // Its own process group, so that whatever a failed stop leaves behind can be cleaned up after the test.
    const child = spawn('npm', ['start', '--', '--port', String(port), '--no-build', '--site', 'test/e2e/site.json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, sig) => resolve({ code, signal: sig })));
    try {
      let out = '';
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes(`http://127.0.0.1:${port}/`)) resolve();
        });
        void exited.then(() => reject(new Error(`npm start exited before it was ready:\n${out}`)));
      });
      expect(await bindable(port, 0)).toBe(false);

      child.kill(signal);
      const stillRunning = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 10_000).unref());
      expect(await Promise.race([exited, stillRunning])).toEqual({ code: 0, signal: null });
      expect(await bindable(port, 3_000)).toBe(true);
    } finally {
      child.stdout.destroy();
      child.stderr.destroy();
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // The group is gone: nothing was left behind.
      }
    }
  }, 60_000);
});

describe('npm start on a site too big to compute on view', () => {
  it('runs the first calculation to its end before serving, so the first view shows figures', async () => {
    // Just above the live-compute limit (22,095 standard issues).
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bd-big-site-')), 'site.json');
    writeFileSync(file, JSON.stringify(generateSite({ seed: 7, epics: 450, issuesPerEpic: 49, destinations: 12 })));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/cli/start.ts', '--port', String(port), '--no-build', '--site', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      let out = '';
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes(`http://127.0.0.1:${port}/`)) resolve();
        });
        void exited.then(() => reject(new Error(`npm start exited before it was ready:\n${out}\n${err}`)));
      });
      // The bar was drawn to its end before the ready line.
      expect(err).toMatch(/First calculation \[#+\] 100% {2}[\d,]+ of 22,095 issues read, done in/);

      const response = await fetch(`http://127.0.0.1:${port}/api/invoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: 'portfolio/get', accountId: 'u-leader', moduleKey: 'destinations-portfolio' }),
      });
      const answer = (await response.json()) as Envelope<Portfolio>;
      if (!answer.ok) throw new Error(answer.error.message);
      expect(answer.data.freshness).toMatchObject({ source: 'stored', stale: false });
      expect(answer.data.destinations.every((d) => d.progress.count.total > 0)).toBe(true);
      expect(answer.data.offRoute.count.inFlight).toBeGreaterThan(0);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
