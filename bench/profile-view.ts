/** Where a portfolio view spends its time on a big site (a tool for tuning the benchmark's numbers). */
import { bootLocalApp } from '../local/app/boot';
import { generateSite } from '../local/sites/generate-demo';
import { MODULE_KEYS } from '../src/contract';
import { appContainer } from '../src/app/container';

async function main(): Promise<void> {
  const epics = Number(process.argv[2] ?? 5000);
  const site = generateSite({ seed: 20261125, epics, issuesPerEpic: 49, destinations: 200 });
  // Installing starts the first build; the quota is off so a big site builds without waiting for the hour.
  const app = await bootLocalApp({ site, timeScale: 0.001, settle: false, log: () => undefined });
  app.jira.setQuotaEnabled(false);
  await app.platform.settle();
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    const stored = await app.platform.runAsApp(() => appContainer().background().rollups.load());
    const load = performance.now() - t;
    t = performance.now();
    await app.platform.runAsApp(() => appContainer().services().portfolio.current());
    const current = performance.now() - t;
    t = performance.now();
    await app.platform.invokeForModule(MODULE_KEYS.portfolio, 'portfolio/get', {}, { accountId: 'u-leader' });
    const view = performance.now() - t;
    console.log({ load: Math.round(load), current: Math.round(current), view: Math.round(view), shards: stored?.head.shards });
  }
  app.close();
}

main().then(() => process.exit(0), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
