/**
 * `npm run bench:ui`: the app's surfaces in headless Chromium on the local shell, timed.
 *
 *   npm run bench:ui -- [--sites demo,big] [--runs 5] [--views portfolio-admin,...] [--port 4310] [--out bench/ui-results.json]
 *
 * For each site the app starts as `npm start` does (first calculation finished before serving), in a
 * process of its own; each view then runs once to warm up and `--runs` times measured, each in a fresh
 * browser context. Medians and maxima go to `--out` (merged by site, so a demo-only run keeps the big
 * site's figures) and to the terminal as a table. See bench/README.md, "Browser benchmark".
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import { MODULE_KEYS, type Envelope, type ReconcileStatus } from '../../src/contract';
import { parseArgs, UsageError } from '../../local/cli/args';
import { bigSiteFile, BIG_SITE, getJson, invokeAs, startApp, type RunningApp } from './server';
import { summarise, table, type ViewResult } from './stats';
import { expandRow, pageSwitch, panelAlone, panelView, portfolioView, ViewError, type Sample, type ViewTarget } from './views';

const ROOT = path.resolve(__dirname, '..', '..');
const SITES = ['demo', 'big'] as const;
type SiteName = (typeof SITES)[number];
const ADMIN = 'u-admin';
const LEADER = 'u-leader';

const VIEWS = ['portfolio-admin', 'portfolio-leader', 'page-switch', 'expand', 'panel', 'panel-alone', 'during-build'] as const;
type ViewName = (typeof VIEWS)[number];

const USAGE = 'npm run bench:ui -- [--sites demo,big] [--runs 5] [--views a,b] [--port 4310] [--out FILE] [--url URL]';

interface Options {
  sites: SiteName[];
  runs: number;
  views: ViewName[];
  port: number;
  out: string;
  /** An app already serving (`npm start -- --site FILE`), measured as the one site named by `--sites`. */
  url: string | null;
}

function listOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T[] {
  if (value === undefined) return [...allowed];
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (bad.length || !items.length) throw new UsageError(`--${name} takes ${allowed.join(', ')} (comma separated), not "${value}"`);
  return items as T[];
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--${name} must be a whole number of at least 1, not "${value}"`);
  return Number(value);
}

export function parseOptions(argv: string[]): Options {
  const { values } = parseArgs(argv, { values: ['sites', 'runs', 'views', 'port', 'out', 'url'], flags: [], usage: USAGE });
  const sites = listOf(values.get('sites'), SITES, 'sites');
  const url = values.get('url')?.replace(/\/+$/, '') ?? null;
  if (url !== null && sites.length !== 1) throw new UsageError('--url measures one app: name its site with --sites demo or --sites big');
  return {
    url,
    sites,
    runs: positive(values.get('runs'), 5, 'runs'),
    views: listOf(values.get('views'), VIEWS, 'views'),
    port: positive(values.get('port'), 4310, 'port'),
    out: path.resolve(values.get('out') ?? path.join(ROOT, 'bench', 'ui-results.json')),
  };
}

const log = (line: string): void => console.error(line);

/** An epic the leader may browse that serves a destination, for the panel (the site's first such one). */
async function panelEpic(url: string): Promise<string> {
  const epics = await getJson<Array<{ key: string }>>(`${url}/api/site/epics?user=${LEADER}`);
  for (const epic of epics.slice(0, 20)) {
    // A refused read (the emulated Jira's burst limit) skips the epic.
    const issue = await getJson<{ fieldValue: unknown }>(`${url}/api/site/issue?key=${encodeURIComponent(epic.key)}&user=${LEADER}`).catch(() => null);
    if (issue?.fieldValue) return epic.key;
  }
  const first = epics[0]?.key;
  if (!first) throw new Error('the leader can browse no epic');
  return first;
}

async function reconcileStatus(url: string): Promise<ReconcileStatus> {
  const answer = await invokeAs<Envelope<ReconcileStatus>>(url, MODULE_KEYS.admin, 'reconcile/status', ADMIN);
  if (!answer.ok) throw new Error(`reconcile/status: ${answer.error.message}`);
  return answer.data;
}

const running = (s: ReconcileStatus): boolean => s.run !== null && s.run.phase !== 'done' && s.run.phase !== 'failed';

/** A recalculation under way (the admin page's "Recalculate"), started when none runs. */
async function ensureBuildRunning(url: string): Promise<void> {
  if (running(await reconcileStatus(url))) return;
  const started = await invokeAs<Envelope<unknown>>(url, MODULE_KEYS.admin, 'reconcile/start', ADMIN);
  if (!started.ok) throw new Error(`reconcile/start: ${started.error.message}`);
}

async function buildFinished(url: string): Promise<void> {
  while (running(await reconcileStatus(url))) await new Promise((resolve) => setTimeout(resolve, 2000));
}

type ViewRunner = (browser: Browser) => Promise<Sample>;

const ATTEMPTS = 3;

/**
 * A run, tried again (after a second) when the page showed an error: on the big site the shell's epic
 * picker reads every epic as the user and can use up the emulated Jira's burst limit, so the shell's next
 * read may be refused. The failures are kept in the results.
 */
async function attempt(run: () => Promise<Sample>, failures: string[]): Promise<Sample> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof ViewError) || i >= ATTEMPTS) throw e;
      failures.push(e.message);
      log(`  failed (${e.message}), trying again`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

function viewRunners(url: string, epicKey: string): Record<ViewName, ViewRunner> {
  const admin: ViewTarget = { url, user: ADMIN };
  const leader: ViewTarget = { url, user: LEADER };
  return {
    'portfolio-admin': (b) => portfolioView(b, admin),
    'portfolio-leader': (b) => portfolioView(b, leader),
    'page-switch': (b) => portfolioView(b, leader, pageSwitch),
    expand: (b) => portfolioView(b, leader, expandRow),
    panel: (b) => panelView(b, leader, epicKey),
    'panel-alone': (b) => panelAlone(b, leader, epicKey),
    'during-build': async (b) => {
      await ensureBuildRunning(url);
      const sample = await portfolioView(b, leader);
      // Whether the build was still running when the view had painted (else it overlapped only in part).
      return { ...sample, buildRunningAfter: running(await reconcileStatus(url)) ? 1 : 0 };
    },
  };
}

export interface SiteResult {
  description: string;
  /** ms from spawning the app to serving (first calculation included); null for `--url`. */
  startupMs: number | null;
  epicKey: string;
  views: Record<string, ViewResult>;
  /** The portfolio as a leader during a recalculation over the same view without one (medians). */
  duringBuildRatio?: Record<string, number>;
}

async function measureSite(name: SiteName, options: Options, browser: Browser, port: number): Promise<SiteResult> {
  let app: RunningApp;
  if (options.url) {
    log(`${name}: the app already serving at ${options.url}`);
    app = { url: options.url, startupMs: NaN, stop: () => Promise.resolve() };
  } else {
    const siteFile = name === 'big' ? bigSiteFile(log) : null;
    log(`${name}: starting the app on port ${port}${name === 'big' ? ' (the first calculation of 250,500 issues takes minutes)' : ''}`);
    app = await startApp({ port, siteFile, log, timeoutMs: 60 * 60_000 });
  }
  try {
    if (!options.url) log(`${name}: serving at ${app.url} after ${Math.round(app.startupMs / 1000)} s`);
    const epicKey = await panelEpic(app.url);
    const runners = viewRunners(app.url, epicKey);
    const views: Record<string, ViewResult> = {};
    for (const view of options.views) {
      log(`${name}: ${view} (1 warm-up + ${options.runs} runs)`);
      const failures: string[] = [];
      const samples: Sample[] = [];
      try {
        await attempt(() => runners[view](browser), failures);
        for (let i = 0; i < options.runs; i++) samples.push(await attempt(() => runners[view](browser), failures));
      } catch (e) {
        // The view is left out (its failures say why); the other views still run.
        if (!(e instanceof ViewError)) throw e;
        failures.push(`given up: ${e.message}`);
        log(`  given up after ${ATTEMPTS} attempts`);
      }
      views[view] = { ...summarise(samples), ...(failures.length ? { failures } : {}) };
      // Views after this one (or a later `--url` run) must not run under the recalculation it started.
      if (view === 'during-build') await buildFinished(app.url);
    }
    return {
      description: name === 'big' ? `generateSite(${JSON.stringify(BIG_SITE)})` : 'the demo site (npm start without --site)',
      startupMs: Number.isNaN(app.startupMs) ? null : app.startupMs,
      epicKey,
      views,
    };
  } finally {
    await app.stop();
  }
}

/** The leader's portfolio during a recalculation over the same view without one (medians). */
function withRatio(site: SiteResult): SiteResult {
  const normal = site.views['portfolio-leader'];
  const during = site.views['during-build'];
  if (!normal || !during) return site;
  const ratio = (m: string) => {
    const n = normal.metrics[m]?.median;
    const d = during.metrics[m]?.median;
    return n && d ? Math.round((d / n) * 100) / 100 : NaN;
  };
  return { ...site, duringBuildRatio: { answerMs: ratio('answerMs'), firstRowShell: ratio('firstRowShell'), allRowsShell: ratio('allRowsShell') } };
}

function commit(): string {
  try {
    const sha = execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim();
    const dirty = execSync('git status --porcelain -- src static local', { cwd: ROOT }).toString().trim() !== '';
    return dirty ? `${sha}+changes` : sha;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const previous = existsSync(options.out) ? (JSON.parse(readFileSync(options.out, 'utf8')) as { sites?: Record<string, SiteResult> }) : {};
  const sites: Record<string, SiteResult> = { ...(previous.sites ?? {}) };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (const [i, name] of options.sites.entries()) {
      const measured = await measureSite(name, options, browser, options.port + i);
      // Views not run this time keep their last figures.
      sites[name] = withRatio({ ...measured, views: { ...sites[name]?.views, ...measured.views } });
      const results = { commit: commit(), date: new Date().toISOString(), machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 1e9)} GB`, runs: options.runs, sites };
      writeFileSync(options.out, `${JSON.stringify(results, null, 1)}\n`);
      console.log(`\n${name} (${sites[name].description}), ms median / max over ${options.runs} runs; commit ${results.commit}\n`);
      console.log(table(sites[name].views));
      if (sites[name].duringBuildRatio) console.log(`\nduring a recalculation / normal (medians): ${JSON.stringify(sites[name].duringBuildRatio)}`);
    }
  } finally {
    await browser.close();
  }
  log(`wrote ${path.relative(process.cwd(), options.out)}`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(`bench:ui: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}
