/**
 * The app under measurement: `local/cli/start.ts` (what `npm start` runs) in a child process of its own, so the
 * browser driver and the server never share an event loop. Start waits for the first calculation before it
 * serves, so the first view shows figures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateSite, type GenerateOptions } from '../../local/sites/generate-demo';

const ROOT = path.resolve(__dirname, '..', '..');

/** The issue's big site: 200 destinations, 5,000 epics of 49 children (250,500 issues with the loose ones). */
export const BIG_SITE: GenerateOptions = { seed: 1, epics: 5000, issuesPerEpic: 49, destinations: 200 };

/**
 * Points an hour on the big site. The default tier-2 quota (100,000 points) would make `npm start`'s first
 * build wait about four hours of real time; the benchmark measures views, not the quota, so the site gets a
 * budget its first build fits in (the quota stays on, as in the shell).
 */
const BIG_SITE_POINTS_PER_HOUR = 10_000_000;

/** Writes the big site's file once (about 100 MB) and reuses it while the generator and options are unchanged. */
export function bigSiteFile(log: (line: string) => void): string {
  const dir = path.join(tmpdir(), 'business-destination-bench-ui');
  const file = path.join(dir, `site-seed${BIG_SITE.seed}-${BIG_SITE.epics}x${BIG_SITE.issuesPerEpic}-${BIG_SITE.destinations}.json`);
  const generator = path.join(ROOT, 'local', 'sites', 'generate-demo.ts');
  if (existsSync(file) && statSync(file).mtimeMs > statSync(generator).mtimeMs) return file;
  mkdirSync(dir, { recursive: true });
  const t = Date.now();
  const site = { ...generateSite(BIG_SITE), quota: { pointsPerHour: BIG_SITE_POINTS_PER_HOUR } };
  writeFileSync(file, JSON.stringify(site));
  log(`wrote ${file}: ${site.issues.length.toLocaleString('en')} issues, ${Math.round(statSync(file).size / 1e6)} MB in ${Date.now() - t} ms`);
  return file;
}

export interface RunningApp {
  url: string;
  /** Time from spawning to serving (site load, UI build when stale, first calculation). */
  startupMs: number;
  stop(): Promise<void>;
}

/** `npm start -- --port N [--site FILE]`; resolves once the server prints its address. */
export function startApp(options: { port: number; siteFile: string | null; log: (line: string) => void; timeoutMs: number }): Promise<RunningApp> {
  const args = ['--import', 'tsx', path.join('local', 'cli', 'start.ts'), '--port', String(options.port), '--host', '127.0.0.1'];
  if (options.siteFile) args.push('--site', options.siteFile);
  const started = Date.now();
  // A big site's JSON and its emulator need more than Node's default old space on some machines.
  const child = spawn(process.execPath, ['--max-old-space-size=8192', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`the app did not start within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(new Error(`${error.message}\n${output.slice(-2000)}`));
    };
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      // The first calculation's progress, a line per tenth when not on a terminal.
      for (const line of text.split('\n')) if (line.trim()) options.log(`  server: ${line.trim()}`);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Business Destination on a local Jira site: (http:\/\/\S+?)\/?\s/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ url: match[1], startupMs: Date.now() - started, stop: () => stopChild(child) });
      }
    });
    child.on('exit', (code) => fail(new Error(`the app exited (code ${String(code)}) before serving`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** A resolver called as a user through the server's test endpoint (`POST /api/invoke`). */
export async function invokeAs<T>(url: string, moduleKey: string, key: string, accountId: string, payload: unknown = {}): Promise<T> {
  const res = await fetch(`${url}/api/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ moduleKey, key, payload, accountId }) });
  if (!res.ok) throw new Error(`${key} as ${accountId}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}
