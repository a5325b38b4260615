/**
 * How long the local server stops answering while a background build runs (issue 11, item 5): boots a
 * generated site, starts the server, lets the first full build run in the background and, meanwhile, asks
 * for a portfolio view every second; prints the view's time without a build, during it, and the longest
 * stretch the event loop was blocked.
 *
 *   npx tsx bench/build-blocking.ts [epics=5000] [--blocks]
 *
 * `--blocks` lists each stretch over 300 ms (end in µs of the monotonic clock, length in ms): run under
 * `node --cpu-prof --import tsx` to find in the profile what ran then.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { bootLocalApp } from '../local/app/boot';
import { generateSite } from '../local/sites/generate-demo';
import { startServer } from '../local/server/server';
import { MODULE_KEYS } from '../src/contract';

async function main(): Promise<void> {
  const epics = Number(process.argv[2] ?? 5000);
  const site = generateSite({ seed: 1, epics, issuesPerEpic: 49, destinations: 200 });
  const leader = site.users.find((u) => !u.admin)?.accountId ?? site.users[0]?.accountId ?? '';
  // The first build runs at install; the quota is off so the build is bound by the process, not the hour.
  const app = await bootLocalApp({ site, settle: false, log: () => undefined });
  app.jira.setQuotaEnabled(false);
  const server = await startServer({ platform: app.platform, jira: app.jira, root: process.cwd(), port: 0 });
  const view = async (): Promise<number> => {
    const t = performance.now();
    const res = await fetch(`${server.url}/api/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ moduleKey: MODULE_KEYS.portfolio, key: 'portfolio/get', payload: {}, accountId: leader }),
    });
    await res.text();
    return performance.now() - t;
  };
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // Stretches the event loop was blocked for over 300 ms: [ends at, in µs of the monotonic clock (as in
  // --cpu-prof profiles), ms blocked], to find what blocked it in a profile.
  const blocks: Array<[number, number]> = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now - last > 300) blocks.push([Math.round(Number(process.hrtime.bigint() / 1000n)), Math.round(now - last)]);
    last = now;
  }, 20);
  let building = true;
  const during: number[] = [];
  const built = app.platform.settle().then(() => (building = false));
  const started = performance.now();
  while (building) {
    during.push(await view());
    await new Promise((r) => setTimeout(r, 1000));
  }
  await built;
  const buildMs = performance.now() - started;
  loop.disable();
  clearInterval(ticker);
  const after: number[] = [];
  for (let i = 0; i < 5; i++) after.push(await view());
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(
    JSON.stringify({
      issues: site.issues.length,
      buildSeconds: Math.round(buildMs / 1000),
      viewsDuringBuild: during.length,
      viewMsDuringBuild: { median: Math.round(median(during)), max: Math.round(Math.max(...during)) },
      viewMsAfterBuild: { median: Math.round(median(after)), max: Math.round(Math.max(...after)) },
      eventLoopBlockedMaxMs: Math.round(loop.max / 1e6),
      eventLoopDelayP99Ms: Math.round(loop.percentile(99) / 1e6),
      blocksOver300Ms: process.argv.includes('--blocks') ? blocks : blocks.length,
    }),
  );
  await server.close();
  app.close();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
