/**
 * `npm run report -- --site FILE [--json] [--as ACCOUNT_ID] [--no-wait]`: the portfolio as that user would see
 * it, computed by the real resolvers on the local platform. On a site too big to compute on view, the first
 * answer is a placeholder while the first calculation runs: the report waits for that run (progress on
 * stderr) and asks again, unless `--no-wait`; figures that are still not complete are labelled as such.
 */
import { resolve } from 'node:path';
import { MODULE_KEYS, type Envelope, type Portfolio, type PortfolioExport } from '../../src/contract';
import { bootLocalApp } from '../app/boot';
import { SiteError } from '../jira';
import { parseArgs, UsageError } from './args';
import { awaitsCalculation, freshnessBanner, runFirstBuild, standardIssueCount } from './first-build';
import { formatPortfolio } from './report-format';

const DEFAULT_SITE = resolve(__dirname, '../sites/demo.json');

async function main(): Promise<number> {
  const { values, flags } = parseArgs(process.argv.slice(2), { values: ['site', 'as'], flags: ['json', 'no-wait'], usage: 'npm run report -- [--site FILE] [--as ACCOUNT] [--json] [--no-wait]' });
  // Not settled: the first calculation (started at install) is waited for below, with its progress on stderr.
  // Forge's own waits (queue delays, retries) run 1000x faster: a report does not wait out the minute after a
  // rebuild before the portfolio's outline is kept.
  const app = await bootLocalApp({ site: resolve(values.get('site') ?? DEFAULT_SITE), log: () => undefined, settle: false, timeScale: 0.001 });
  try {
    const viewer = values.get('as') ?? app.site.users.find((u) => u.admin)?.accountId ?? app.site.users[0]?.accountId ?? '';
    if (!app.site.users.some((u) => u.accountId === viewer)) throw new UsageError(`--as ${viewer}: no such user on this site`);
    const ask = async () => (await app.platform.invokeForModule(MODULE_KEYS.portfolio, 'portfolio/get', {}, { accountId: viewer })) as Envelope<Portfolio>;
    let answer = await ask();
    if (answer.ok && awaitsCalculation(answer.data.freshness) && !flags.has('no-wait')) {
      const admin = app.site.users.find((u) => u.admin)?.accountId;
      const build = await runFirstBuild({ platform: app.platform, admin, total: standardIssueCount(app.site) });
      if (!build.ok) {
        console.error(`report: ${build.message}`);
        return 1;
      }
      answer = await ask();
    }
    if (!answer.ok) {
      console.error(`report: ${answer.error.code}: ${answer.error.message}`);
      return 1;
    }
    // The answer carries one page of rows, as the page shows it; a report lists every row.
    if (answer.data.totalDestinations > answer.data.destinations.length) {
      const all = (await app.platform.invokeForModule(MODULE_KEYS.portfolio, 'portfolio/export', {}, { accountId: viewer })) as Envelope<PortfolioExport>;
      if (!all.ok) {
        console.error(`report: ${all.error.code}: ${all.error.message}`);
        return 1;
      }
      answer = { ok: true, data: { ...answer.data, destinations: all.data.destinations } };
    }
    if (flags.has('json')) {
      console.log(JSON.stringify(answer.data, null, 2));
    } else {
      const banner = freshnessBanner(answer.data.freshness);
      if (banner !== null) console.log(`${banner}\n`);
      console.log(formatPortfolio(answer.data, viewer));
    }
    return 0;
  } finally {
    app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof SiteError;
    console.error(`report: ${known ? error.message : error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
