/**
 * Benchmark of the stored rollups on synthetic sites (deterministic from a seed), through the real handlers
 * on the local Forge platform, with emulated Jira latency, Jira's points quota (tier 2) and Forge storage
 * latency and limits. See bench/README.md for the columns.
 *
 *   npm run bench                                  # 10k, 50k, 250k issues, plus 50k with large epics and CJK
 *   npm run bench -- --sizes 10000 --large none    # a quick run
 *   npm run bench -- --sizes 10000,250000,1000000  # 1M on request (about 25 minutes more, see README)
 *   npm run bench -- --print                       # the tables of bench/results.json again
 *   npm run bench -- --latency 100 --storage-latency 20 --views 30 --churn 0.02 --naive-max 50000
 *
 * Per size: the first build (as installing the app starts it) paced by the quota, with the clock moved to the
 * quota's reset whenever the run waits; a day of events at `--churn` (issues changed through the emulator's
 * update API, each firing its event, spread over 24 hours) and the daily run; portfolio and panel views, cold
 * (fresh container) and warm; the largest stored value; the naive baseline (quota off). Writes bench/results.json.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootLocalApp, type LocalApp } from '../local/app/boot';
import { advanceClock } from '../local/platform';
import type { KvsStats } from '../local/kvs/kvs-emulator';
import { generateSite } from '../local/sites/generate-demo';
import { MODULE_KEYS, type Envelope } from '../src/contract';
import { appContainer, dropAppContainer } from '../src/app/container';

interface Args {
  /** Print the tables of bench/results.json again without running anything. */
  printOnly: boolean;
  sizes: number[];
  /** Sizes also run with large epics (300 children) and CJK summaries. */
  large: number[];
  latencyMs: number;
  storageLatencyMs: number;
  views: number;
  coldViews: number;
  churn: number;
  naiveMax: number;
  seed: number;
}

const list = (value: string): number[] => (value === 'none' ? [] : value.split(',').map(Number));

function parseArgs(argv: string[]): Args {
  const args: Args = { printOnly: argv.includes('--print'), sizes: [10_000, 50_000, 250_000], large: [50_000], latencyMs: 100, storageLatencyMs: 20, views: 30, coldViews: 10, churn: 0.02, naiveMax: Number.POSITIVE_INFINITY, seed: 20261125 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) continue;
    if (flag === '--sizes') args.sizes = list(value);
    if (flag === '--large') args.large = list(value);
    if (flag === '--latency') args.latencyMs = Number(value);
    if (flag === '--storage-latency') args.storageLatencyMs = Number(value);
    if (flag === '--views') args.views = Number(value);
    if (flag === '--cold-views') args.coldViews = Number(value);
    if (flag === '--churn') args.churn = Number(value);
    if (flag === '--naive-max') args.naiveMax = Number(value);
    if (flag === '--seed') args.seed = Number(value);
  }
  return args;
}

const STANDARD_EPIC = 50;
const LARGE_EPIC = 301;
const TIER2_POINTS_PER_HOUR = 100_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Events fired together before the platform settles: a day's events arrive spread out, not all at once. */
const EVENTS_PER_SLOT = 25;
const KVS_VALUE_LIMIT = 240 * 1024;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const totalRequests = (app: LocalApp) => Object.values(app.jira.requestLog()).reduce((a, b) => a + b, 0);
const points = (app: LocalApp) => app.jira.pointsSpent().total;

async function call(app: LocalApp, surface: keyof typeof MODULE_KEYS, key: string, payload: unknown, accountId: string): Promise<unknown> {
  const answer = (await app.platform.invokeForModule(MODULE_KEYS[surface], key, payload, { accountId })) as Envelope<unknown>;
  if (!answer.ok) throw new Error(`${key}: ${answer.error.code} ${answer.error.message}`);
  return answer.data;
}

interface StoredRun {
  runId: string;
  phase: string;
  waitingUntil?: string;
}
const storedRun = (app: LocalApp) => app.platform.kvs.peek('rollup-run') as StoredRun | undefined;

/**
 * Settle the platform while a rebuild may wait for Jira's quota: whenever the run waits, the site clock (the
 * app's and the emulator's) jumps to the time it waits for, instead of waiting an hour in real time.
 */
async function settlePaced(app: LocalApp): Promise<{ waits: number; skippedMs: number }> {
  let done = false;
  const settled = app.platform.settle().then(() => {
    done = true;
  });
  let waits = 0;
  let skippedMs = 0;
  while (!done) {
    await sleep(20);
    const until = storedRun(app)?.waitingUntil;
    const gap = until === undefined ? 0 : Date.parse(until) - Date.now();
    if (gap > 0) {
      advanceClock(gap + 1);
      skippedMs += gap + 1;
      waits += 1;
    }
  }
  await settled;
  return { waits, skippedMs };
}

/** The largest value in storage, in UTF-8 bytes of its JSON, and its key. */
function largestValue(app: LocalApp): { bytes: number; key: string } {
  let best = { bytes: 0, key: '' };
  for (const key of app.platform.kvs.keys()) {
    const bytes = Buffer.byteLength(JSON.stringify(app.platform.kvs.peek(key)));
    if (bytes > best.bytes) best = { bytes, key };
  }
  return best;
}

interface ViewSample {
  ms: number;
  storage: KvsStats;
  points: number;
  byEndpoint: Record<string, number>;
}

function viewFigures(samples: ViewSample[]) {
  const ms = samples.map((s) => s.ms);
  return {
    p50Ms: round(percentile(ms, 50)),
    p95Ms: round(percentile(ms, 95)),
    storageCalls: Math.max(...samples.map((s) => s.storage.total)),
    bytesRead: Math.max(...samples.map((s) => s.storage.bytesRead)),
    readUnits: Math.max(...samples.map((s) => s.storage.readUnits)),
    jiraPoints: Math.max(...samples.map((s) => s.points)),
    // Where the costliest view's points went.
    pointsByEndpoint: [...samples].sort((a, b) => b.points - a.points)[0]?.byEndpoint ?? {},
  };
}

/** `count` views; `cold` drops the warm container before each one (a Forge container recycled). */
async function views(app: LocalApp, count: number, cold: boolean, view: (i: number) => Promise<unknown>): Promise<ViewSample[]> {
  const out: ViewSample[] = [];
  for (let i = 0; i < count; i++) {
    if (cold) {
      dropAppContainer();
      // Cold views come from people spread over time, not a burst: a minute passes for the storage windows.
      app.platform.clock.advance(60_000);
    }
    app.platform.kvs.resetStats();
    app.jira.resetRequestLog();
    const t = performance.now();
    await view(i);
    out.push({ ms: performance.now() - t, storage: app.platform.kvs.stats(), points: points(app), byEndpoint: app.jira.pointsSpent().byEndpoint });
  }
  return out;
}

/** The issues a day at `churn` changes: children and loose issues, evenly spread, with a status or estimate change each. */
function dailyChanges(app: LocalApp, count: number): Array<{ key: string; patch: { status?: string; points?: number } }> {
  const candidates = app.site.issues.filter((i) => i.type !== 'Epic');
  const step = Math.max(1, Math.floor(candidates.length / Math.max(1, count)));
  const out: Array<{ key: string; patch: { status?: string; points?: number } }> = [];
  for (let i = 0; i < count && i * step < candidates.length; i++) {
    const issue = candidates[i * step];
    if (!issue?.key) continue;
    const next = issue.status === 'To Do' ? 'In Progress' : issue.status === 'In Progress' ? 'Done' : 'In Progress';
    out.push({ key: issue.key, patch: i % 3 === 2 ? { points: (issue.points ?? 0) + 1 } : { status: next } });
  }
  return out;
}

async function benchSize(issues: number, large: boolean, args: Args) {
  const perEpic = large ? LARGE_EPIC : STANDARD_EPIC;
  const epics = Math.max(1, Math.round(issues / perEpic));
  const destinations = Math.min(200, Math.max(8, Math.round(epics / 25)));
  const site = generateSite({ seed: args.seed, epics, issuesPerEpic: perEpic - 1, destinations, cjkSummaries: large });
  const childCount = site.issues.filter((i) => i.type !== 'Epic' && i.parent).length;
  const inFlightOrphans = site.issues.filter((i) => i.type !== 'Epic' && !i.parent && i.status === 'In Progress').length;
  const logs: string[] = [];
  let rateLimited = 0;
  const kvsTotals = () => {
    rateLimited += app.platform.kvs.stats().rateLimited;
  };

  // --- the first build: installing the app starts it; Forge's waits run 1000x faster, Jira latency is real.
  const wallStart = performance.now();
  const app = await bootLocalApp({ site, timeScale: 0.001, storageLatencyMs: args.storageLatencyMs, settle: false, log: (m) => logs.push(m) });
  app.jira.faults.latencyMs = args.latencyMs;
  try {
    const siteStart = Date.now();
    const paced = await settlePaced(app);
    const buildWallMs = performance.now() - wallStart;
    const buildSiteMs = Date.now() - siteStart;
    const built = storedRun(app);
    if (built?.phase !== 'done') throw new Error(`first build ended in ${built?.phase}: ${logs.slice(-3).join(' | ')}`);
    const buildPoints = app.jira.pointsSpent();
    // Progress on stderr, so a size too long to finish still tells how far it got.
    console.error(`  ${issues}: first build ${round(buildWallMs / 1000)} s real, ${round(buildSiteMs / HOUR_MS, 2)} h paced, ${buildPoints.total} points`);
    const buildRequests = totalRequests(app);
    const buildStorage = app.platform.kvs.stats();
    kvsTotals();
    const largestAfterBuild = largestValue(app);
    // Two site lookups (fields, issue types), then every epic, child and in-flight orphan in pages of 100.
    const lowerBound = 2 + Math.ceil(epics / 100) + Math.ceil(childCount / 100) + Math.max(1, Math.ceil(inFlightOrphans / 100));

    // --- a day of events at `churn`, spread over 24 hours, then the daily run.
    const changes = dailyChanges(app, Math.round(site.issues.length * args.churn));
    app.jira.resetRequestLog();
    app.platform.kvs.resetStats();
    const dayWall = performance.now();
    const slots = Math.max(1, Math.ceil(changes.length / EVENTS_PER_SLOT));
    const slotMs = Math.floor(DAY_MS / slots);
    for (let s = 0; s < slots; s++) {
      if (s > 0 && s % 100 === 0) console.error(`  ${issues}: day slot ${s}/${slots}, ${round((performance.now() - dayWall) / 1000)} s`);
      // The slot's first event alone, then the rest together: events a few minutes apart find the site facts
      // the first one read (fired all at once, each would miss the hourly cache and read them again).
      const slot = changes.slice(s * EVENTS_PER_SLOT, (s + 1) * EVENTS_PER_SLOT);
      for (const [i, change] of slot.entries()) {
        app.jira.updateIssue(change.key, change.patch, 'u-dev');
        if (i === 0) await app.platform.settle();
      }
      await app.platform.settle();
      advanceClock(slotMs);
      app.platform.clock.advance(slotMs);
    }
    const eventPoints = points(app);
    const eventPointsBy = app.jira.pointsSpent().byEndpoint;
    const eventStorage = app.platform.kvs.stats();
    kvsTotals();
    app.jira.resetRequestLog();
    app.platform.kvs.resetStats();
    const runBefore = storedRun(app)?.runId;
    await app.platform.runScheduledTrigger('daily-reconcile');
    await settlePaced(app);
    const dailyRebuilt = storedRun(app)?.runId !== runBefore;
    const dailyPoints = points(app);
    const dailyPointsBy = app.jira.pointsSpent().byEndpoint;
    const dailyStorage = app.platform.kvs.stats();
    kvsTotals();
    const dayWallMs = performance.now() - dayWall;
    const dayPoints = eventPoints + dailyPoints;
    const errorsAfterDay = app.platform.errors.length;
    console.error(`  ${issues}: day ${round(dayWallMs / 1000)} s real, ${dayPoints} points, daily run ${storedRun(app)?.runId !== runBefore ? 'rebuilt' : 'caught up'}`);

    // --- views: the portfolio as a leader who browses every project; the panel of epics spread over the site.
    const epicKeys = app.jira.epics().map((e) => e.key);
    const panel = (i: number) => call(app, 'panel', 'epic/alignment', { issueKey: epicKeys[(i * 7919) % epicKeys.length] as string }, 'u-leader');
    const portfolio = () => call(app, 'portfolio', 'portfolio/get', {}, 'u-leader');
    const portfolioCold = await views(app, args.coldViews, true, portfolio);
    const portfolioWarm = await views(app, args.views, false, portfolio);
    const panelCold = await views(app, args.coldViews, true, panel);
    // Warm panel views: the same epic again and again (what "repeated" means for one viewer's panel).
    const panelWarm = await views(app, args.views, false, () => panel(0));
    const panelSpread = await views(app, args.views, false, panel);
    rateLimited += [...portfolioCold, ...portfolioWarm, ...panelCold, ...panelWarm, ...panelSpread].reduce((n, v) => n + v.storage.rateLimited, 0);

    // --- one issue change, through the trigger
    const child = site.issues.find((i) => i.parent && i.status === 'To Do');
    if (!child?.key) throw new Error('no child to change');
    app.jira.resetRequestLog();
    app.platform.kvs.resetStats();
    const tc = performance.now();
    app.jira.updateIssue(child.key, { status: 'In Progress' }, 'u-dev');
    await app.platform.settle();
    const change = { requests: totalRequests(app), points: points(app), ms: round(performance.now() - tc) };
    const largest = [largestAfterBuild, largestValue(app)].reduce((a, b) => (b.bytes > a.bytes ? b : a));
    kvsTotals();

    // --- naive baseline: the portfolio computed from Jira on a view (the quota off: at 250k it could not run within it).
    let naive: { portfolioRequests: number; portfolioPoints: number; portfolioMs: number; perEpicRequests: number } | null = null;
    if (issues <= args.naiveMax) {
      app.jira.setQuotaEnabled(false);
      app.jira.resetRequestLog();
      const tn = performance.now();
      await app.platform.runAsApp(() => appContainer().services().portfolio.compute());
      const naiveMs = performance.now() - tn;
      const naiveRequests = totalRequests(app);
      app.jira.setQuotaEnabled(true);
      // Points as Jira would charge them: 1 per request plus 1 per issue a search returned (the naive reads every issue).
      naive = {
        portfolioRequests: naiveRequests,
        portfolioPoints: naiveRequests + site.issues.length,
        portfolioMs: round(naiveMs),
        // The literal "one search per epic" baseline, counted rather than run.
        perEpicRequests: 2 + Math.ceil(epics / 100) + epics * Math.ceil((perEpic - 1) / 100) + Math.max(1, Math.ceil(inFlightOrphans / 100)) + 3,
      };
    }

    return {
      issues: site.issues.length,
      variant: large ? `large epics (${perEpic - 1} children), CJK` : `${perEpic - 1} children per epic`,
      epics,
      destinations,
      latencyMs: args.latencyMs,
      storageLatencyMs: args.storageLatencyMs,
      firstBuild: {
        points: buildPoints.total,
        pointsByEndpoint: buildPoints.byEndpoint,
        requests: buildRequests,
        lowerBound,
        quotaHours: round(buildPoints.total / TIER2_POINTS_PER_HOUR, 2),
        pacedHours: round(buildSiteMs / HOUR_MS, 2),
        quotaWaits: paced.waits,
        wallS: round(buildWallMs / 1000),
        storage: { calls: buildStorage.total, bytesWritten: buildStorage.bytesWritten, writeUnits: buildStorage.writeUnits, rateLimited: buildStorage.rateLimited },
      },
      day: {
        changes: changes.length,
        eventPoints,
        eventPointsByEndpoint: eventPointsBy,
        dailyPoints,
        dailyPointsByEndpoint: dailyPointsBy,
        points: dayPoints,
        dailyRebuilt,
        fullRebuildOverDay: round(buildPoints.total / Math.max(1, dayPoints)),
        wallS: round(dayWallMs / 1000),
        eventStorage: { calls: eventStorage.total, bytesRead: eventStorage.bytesRead, bytesWritten: eventStorage.bytesWritten, rateLimited: eventStorage.rateLimited },
        dailyStorage: { calls: dailyStorage.total, bytesRead: dailyStorage.bytesRead, bytesWritten: dailyStorage.bytesWritten, rateLimited: dailyStorage.rateLimited },
        handlerErrors: errorsAfterDay,
      },
      portfolio: { cold: viewFigures(portfolioCold), warm: viewFigures(portfolioWarm.slice(1)), firstWarmPoints: portfolioWarm[0]?.points ?? 0 },
      panel: { cold: viewFigures(panelCold), warm: viewFigures(panelWarm.slice(1)), spread: viewFigures(panelSpread) },
      change,
      largestValue: largest,
      kvsRateLimited: rateLimited,
      naive,
      peakRssMb: 0,
    };
  } finally {
    app.close();
  }
}

type Result = Awaited<ReturnType<typeof benchSize>>;

function printTables(results: Result[], args: Args): void {
  const name = (r: Result) => `${r.issues}${r.variant.startsWith('large') ? ' L' : ''}`;
  console.log(`\nJira latency ${args.latencyMs} ms a request; storage ${args.storageLatencyMs} ms a call; Forge waits scaled 1/1000; tier-2 quota ${TIER2_POINTS_PER_HOUR} points/hour; churn ${args.churn * 100}%/day. "L" = large epics (300 children) and CJK summaries.`);
  console.log('\nJira points');
  console.table(
    results.map((r) => ({
      issues: name(r),
      'build pts': r.firstBuild.points,
      'build req': r.firstBuild.requests,
      'req/bound': round(r.firstBuild.requests / r.firstBuild.lowerBound, 2),
      'quota h': r.firstBuild.quotaHours,
      'paced h': r.firstBuild.pacedHours,
      'build wall s': r.firstBuild.wallS,
      'day changes': r.day.changes,
      'event pts': r.day.eventPoints,
      'daily run pts': r.day.dailyPoints,
      'day pts': r.day.points,
      'daily run': r.day.dailyRebuilt ? 'REBUILD' : 'catch-up',
      'rebuild/day': r.day.fullRebuildOverDay,
      'day wall s': r.day.wallS,
    })),
  );
  console.log('\nViews (storage per view: the most any view made; ms p50/p95)');
  console.table(
    results.map((r) => ({
      issues: name(r),
      'pf cold ms': `${r.portfolio.cold.p50Ms}/${r.portfolio.cold.p95Ms}`,
      'pf cold calls/KB/RU': `${r.portfolio.cold.storageCalls}/${round(r.portfolio.cold.bytesRead / 1024, 0)}/${r.portfolio.cold.readUnits}`,
      'pf warm ms': `${r.portfolio.warm.p50Ms}/${r.portfolio.warm.p95Ms}`,
      'pf warm calls/KB/RU': `${r.portfolio.warm.storageCalls}/${round(r.portfolio.warm.bytesRead / 1024, 0)}/${r.portfolio.warm.readUnits}`,
      'panel cold ms': `${r.panel.cold.p50Ms}/${r.panel.cold.p95Ms}`,
      'panel cold calls/KB/RU': `${r.panel.cold.storageCalls}/${round(r.panel.cold.bytesRead / 1024, 0)}/${r.panel.cold.readUnits}`,
      'panel warm ms': `${r.panel.warm.p50Ms}/${r.panel.warm.p95Ms}`,
      'panel warm calls/KB/RU': `${r.panel.warm.storageCalls}/${round(r.panel.warm.bytesRead / 1024, 0)}/${r.panel.warm.readUnits}`,
      'repeat view pts': Math.max(r.portfolio.warm.jiraPoints, r.panel.warm.jiraPoints),
      'cold view pts': Math.max(r.portfolio.cold.jiraPoints, r.panel.cold.jiraPoints),
    })),
  );
  console.log('\nStorage limits, one change, naive baseline');
  console.table(
    results.map((r) => ({
      issues: name(r),
      'largest value KiB': round(r.largestValue.bytes / 1024),
      'of 240 KiB': `${Math.round((r.largestValue.bytes / KVS_VALUE_LIMIT) * 100)}%`,
      'KVS 429s': r.kvsRateLimited,
      'change pts': r.change.points,
      'change ms': r.change.ms,
      'naive pts/view': r.naive?.portfolioPoints ?? 'skipped',
      'naive req': r.naive?.portfolioRequests ?? 'skipped',
      'naive ms': r.naive?.portfolioMs ?? 'skipped',
      'one-per-epic req': r.naive?.perEpicRequests ?? 'skipped',
      'naive/warm ms': r.naive ? round(r.naive.portfolioMs / Math.max(0.1, r.portfolio.warm.p50Ms)) : 'skipped',
      'peak RSS MB': r.peakRssMb,
    })),
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.printOnly) {
    printTables(JSON.parse(readFileSync(join(__dirname, 'results.json'), 'utf8')) as Result[], args);
    return;
  }
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const results: Result[] = [];
  const runs = [...args.sizes.map((size) => ({ size, large: false })), ...args.large.map((size) => ({ size, large: true }))];
  for (const { size, large } of runs) {
    peak = process.memoryUsage().rss;
    const started = performance.now();
    const result = await benchSize(size, large, args);
    result.peakRssMb = Math.round(Math.max(peak, process.memoryUsage().rss) / 1024 / 1024);
    results.push(result);
    console.error(`size ${size}${large ? ' (large epics, CJK)' : ''}: done in ${round((performance.now() - started) / 1000)} s`);
    // Written after every size, so a long run that is stopped keeps what it measured.
    writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  }
  clearInterval(sampler);
  printTables(results, args);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
