/**
 * `npm run report -- --site FILE [--json] [--as ACCOUNT_ID] [--no-wait]`: the portfolio as that user would see
 * it, computed by the real resolvers on the local platform. On a site too big to compute on view, the first
 * answer is a placeholder while the first calculation runs: the report waits for that run (progress on
 * stderr) and asks again, unless `--no-wait`; figures that are still not complete are labelled as such.
 */
import { resolve } from 'node:path';
import { MODULE_KEYS, type Envelope, type ForecastRange, type Portfolio, type PortfolioExport } from '../../src/contract';
import { bootLocalApp } from '../app/boot';
import { SiteError } from '../jira';
import { parseArgs, UsageError } from './args';
import { awaitsCalculation, freshnessBanner, runFirstBuild, standardIssueCount } from './first-build';

const DEFAULT_SITE = resolve(__dirname, '../sites/demo.json');

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The chance of arriving by the target, in the whole percent the verdict is read from. */
function chance(probability: number): string {
  return `${Math.round(probability * 100)}%`;
}

function likely(range: ForecastRange | null | undefined): string {
  if (!range?.likelyFrom) return '-';
  return `${range.likelyFrom}..${range.likelyTo ?? 'later'}`;
}

function days(n: number | null): string {
  return n === null ? '-' : String(n);
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function formatPortfolio(p: Portfolio, viewer: string): string {
  const rows = [['#', 'ID', 'DESTINATION', 'OWNER', 'STATUS', 'TARGET', 'FORECAST', 'LIKELY', 'EARLY', 'LATE', 'CHANCE', 'VERDICT', 'EPICS', 'DONE/TOTAL', 'IN PROG', 'EST DONE/TOTAL', 'UNEST']];
  for (const d of p.destinations) {
    const f = d.forecast;
    rows.push([
      String(d.priority), d.id, d.name, d.businessOwnerName, d.status, d.targetDate, d.forecastDate ?? '-', likely(f.range),
      days(f.daysEarly), days(f.daysLate), f.range ? chance(f.range.probabilityByTarget) : '-', d.verdict, String(d.epics),
      `${d.progress.count.done}/${d.progress.count.total}`, String(d.progress.count.indeterminate),
      `${num(d.progress.estimate.done)}/${num(d.progress.estimate.total)}`, String(d.progress.estimate.unestimated),
    ]);
  }
  const o = p.offRoute;
  const lines = [
    `Portfolio as of ${p.asOf}, as seen by ${viewer} (totals include every project in scope)`,
    '',
    table(rows),
    '',
    `Off-route work in flight: ${o.count.offRoute} of ${o.count.inFlight} issues (${pct(o.count.share)}), ` +
      `${num(o.estimate.offRoute)} of ${num(o.estimate.inFlight)} estimate (${pct(o.estimate.share)}); ` +
      `${o.visibleEpics + o.hiddenEpics} off-route epics, ${o.orphanCount} issues with no epic`,
  ];
  if (p.warnings.length > 0) lines.push('', 'Warnings:', ...p.warnings.map((w) => `- [${w.code}] ${w.message}`));
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values, flags } = parseArgs(process.argv.slice(2), { values: ['site', 'as'], flags: ['json', 'no-wait'], usage: 'npm run report -- [--site FILE] [--as ACCOUNT] [--json] [--no-wait]' });
  // Not settled: the first calculation (started at install) is waited for below, with its progress on stderr.
  const app = await bootLocalApp({ site: resolve(values.get('site') ?? DEFAULT_SITE), log: () => undefined, settle: false });
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
