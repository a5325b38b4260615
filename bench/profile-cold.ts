/**
 * A cold portfolio view on a big site, call by call: when each storage and Jira call starts and ends within the
 * view (a tool for finding where a cold view's time goes; the benchmark gives the figures).
 *   npx tsx bench/profile-cold.ts [epics=5000] [views=6]
 */
import { bootLocalApp } from '../local/app/boot';
import { generateSite } from '../local/sites/generate-demo';
import { MODULE_KEYS } from '../src/contract';
import { dropAppContainer } from '../src/app/container';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

interface Span {
  what: string;
  start: number;
  end: number;
  bytes: number;
}

async function main(): Promise<void> {
  const epics = Number(process.argv[2] ?? 5000);
  const count = Number(process.argv[3] ?? 6);
  const site = generateSite({ seed: 20261125, epics, issuesPerEpic: 49, destinations: Math.min(200, Math.max(8, Math.round(epics / 25))) });
  const app = await bootLocalApp({ site, timeScale: 0.001, storageLatencyMs: 20, settle: false, log: () => undefined });
  app.jira.setQuotaEnabled(false);
  await app.platform.settle();
  app.jira.faults.latencyMs = 100;
  let t0 = 0;
  const spans: Span[] = [];
  const kvs = app.platform.kvs;
  const kvsHandle = kvs.handle.bind(kvs);
  kvs.handle = (path, body) => {
    const start = performance.now() - t0;
    const answer = kvsHandle(path, body);
    let what = path;
    try {
      const b = JSON.parse(body ?? '{}') as { key?: string; keys?: string[]; options?: unknown };
      what = `${path} ${b.key ?? (b.keys ? `${b.keys.length} keys ${b.keys[0]}` : '')}`;
    } catch {
      /* not JSON */
    }
    spans.push({ what: `kvs ${what}`, start: start - 10, end: start + 10, bytes: JSON.stringify(answer).length });
    return answer;
  };
  const jiraHandle = app.jira.handle.bind(app.jira);
  app.jira.handle = async (req) => {
    const start = performance.now() - t0;
    const answer = await jiraHandle(req);
    spans.push({ what: `jira ${req.method} ${req.path.slice(0, 70)}`, start, end: performance.now() - t0, bytes: answer.body?.length ?? 0 });
    return answer;
  };
  // CPU_PROFILE=<file>: a CPU profile of the views alone (open it in Chrome's DevTools).
  const session = process.env.CPU_PROFILE ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  for (let i = 0; i < count; i++) {
    dropAppContainer();
    app.platform.clock.advance(60_000);
    spans.length = 0;
    t0 = performance.now();
    await app.platform.invokeForModule(MODULE_KEYS.portfolio, 'portfolio/get', {}, { accountId: 'u-leader' });
    const ms = performance.now() - t0;
    console.log(`view ${i}: ${Math.round(ms)} ms, ${spans.length} calls, ${Math.round(spans.reduce((n, s) => n + s.bytes, 0) / 1024)} KiB`);
    if (i === 0 || i === count - 1) for (const s of spans.sort((a, b) => a.start - b.start)) console.log(`  ${Math.round(s.start).toString().padStart(5)}-${Math.round(s.end).toString().padEnd(5)} ${String(Math.round(s.bytes / 1024)).padStart(5)} KiB ${s.what}`);
  }
  if (session && process.env.CPU_PROFILE) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(process.env.CPU_PROFILE, JSON.stringify(profile));
  }
  app.close();
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
