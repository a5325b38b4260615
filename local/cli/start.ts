/**
 * `npm start`: the app on a local Jira site. Loads the site file, creates the Jira emulator and the local
 * Forge platform, seeds the app's storage with the site's destinations, builds the UIs when they are
 * missing or older than their sources, and serves the shell. The first full calculation (started at install)
 * runs to its end before the shell is served (progress on stderr), so the first view shows figures rather
 * than "calculating"; `--no-wait` serves at once.
 *
 *   npm start -- [--site FILE] [--port N] [--host H] [--no-build] [--no-wait]
 *
 * Without `--site`, the demo site is generated for the machine's today (see `local/sites/generate-demo.ts`),
 * so the site's today is the reader's and "updated a minute ago" is true in the browser. A site file, such as
 * `local/sites/demo.json`, keeps its own fixed today.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { bootLocalApp, LOCAL_ENVIRONMENT_ID, SETTLE_HORIZON_SECONDS } from '../app/boot';
import { SiteError } from '../jira';
import { demoSite, realToday } from '../sites/generate-demo';
import { startServer } from '../server/server';
import { parseArgs as parseCommandArgs, UsageError } from './args';
import { runFirstBuild, standardIssueCount } from './first-build';

const ROOT = path.resolve(__dirname, '..', '..');

export interface StartArgs {
  /** A site file, or `null` for the demo site generated for today. */
  site: string | null;
  port: number;
  host: string;
  build: boolean;
  /** Wait for the first calculation of a big site before serving. */
  wait: boolean;
}

const USAGE = 'npm start -- [--site FILE] [--port N] [--host H] [--no-build] [--no-wait]';

export function parseArgs(argv: string[]): StartArgs {
  const { values, flags } = parseCommandArgs(argv, { values: ['site', 'port', 'host'], flags: ['no-build', 'no-wait'], usage: USAGE });
  const port = values.get('port') ?? '4000';
  if (!/^\d+$/.test(port) || Number(port) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${port}"`);
  const site = values.get('site');
  return { site: site === undefined ? null : path.resolve(site), port: Number(port), host: values.get('host') ?? '127.0.0.1', build: !flags.has('no-build'), wait: !flags.has('no-wait') };
}

/** Newest modification time under `dir`, skipping build output and dependencies. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'build' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Why the UI needs building, or null when every resource's index.html is newer than `static/`'s sources. */
function staleReason(resourceDirs: string[]): string | null {
  const missing = resourceDirs.filter((d) => !existsSync(path.join(d, 'index.html')));
  if (missing.length) return `missing ${missing.map((d) => path.relative(ROOT, d)).join(', ')}`;
  const staticDir = path.join(ROOT, 'static');
  if (!existsSync(staticDir)) return null;
  const oldestBuild = Math.min(...resourceDirs.map((d) => statSync(path.join(d, 'index.html')).mtimeMs));
  return newestSource(staticDir) > oldestBuild ? 'sources changed since the last build' : null;
}

function buildUi(resourceDirs: string[]): void {
  const reason = staleReason(resourceDirs);
  if (!reason) return;
  console.log(`Building the UI (${reason}): npm run build:ui`);
  const result = spawnSync('npm', ['run', 'build:ui'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    // The shell still runs: surfaces without a build show how to build them.
    console.warn(`warning: npm run build:ui failed (exit ${String(result.status)}); unbuilt surfaces will say so`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const input = args.site ?? demoSite(undefined, realToday());
  // Lenient handler loading: the shell should come up even while src/ is incomplete; a missing handler
  // then fails the one call that needs it, with the platform's message.
  const boot = (settle = true) => bootLocalApp({ site: input, root: ROOT, strictHandlers: false, settle, settleHorizonSeconds: SETTLE_HORIZON_SECONDS });
  // Waiting: the first calculation (started at install) runs to its end below, with a progress bar.
  let app = await boot(!args.wait);
  const { site, platform, jira, manifest } = app;
  if (args.build) buildUi([...new Set([...manifest.surfaces.values()].map((s) => s.resourceDir))]);
  if (args.wait) {
    const build = await runFirstBuild({ platform, admin: site.users.find((u) => u.admin)?.accountId, total: standardIssueCount(site), settleHorizonSeconds: SETTLE_HORIZON_SECONDS });
    // The shell still runs: views then say that the first calculation is running, and start it again.
    if (!build.ok) console.warn(`warning: ${build.message}; views show no figures until a calculation finishes`);
  }
  // `POST /api/reset` (browser tests): the site as loaded and the storage as seeded, in a fresh boot.
  // The old platform closes first: closing puts back the runtime seams that were there when it booted.
  const reset = async () => {
    app.close();
    app = await boot();
    return app;
  };
  const server = await startServer({ platform, jira, root: ROOT, port: args.port, host: args.host, cloudId: platform.cloudId, siteUrl: platform.siteUrl, environmentId: LOCAL_ENVIRONMENT_ID, reset });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping`);
    server
      .close()
      .catch((e: unknown) => console.error(`error while stopping: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        app.close();
        process.exit(0);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  // Printed only once the handlers are in place: a script may send a signal as soon as it reads the address
  // (with no handler yet, the signal would kill the process outright).
  console.log(`Business Destination on a local Jira site: ${server.url}/`);
  const siteName = args.site === null ? 'the demo site, generated for today' : path.relative(process.cwd(), args.site) || args.site;
  console.log(`Site ${siteName}, today ${jira.today}. Users (pick one in the shell's top bar):`);
  for (const u of jira.users()) console.log(`  ${u.accountId.padEnd(16)} ${u.displayName}${u.admin ? ' (Jira admin)' : ''}`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof UsageError || e instanceof SiteError) {
      console.error(`start: ${e instanceof SiteError ? 'bad site file: ' : ''}${message}`);
      process.exit(2);
    }
    const code = (e as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      console.error(`start: cannot listen: ${message}`);
      process.exit(2);
    }
    console.error(`start: ${message}`);
    process.exit(1);
  });
}
