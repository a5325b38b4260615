/**
 * The first full calculation of a site, run to its end on the local platform, with a progress bar on stderr.
 * Until that run has finished a view answers "calculating"; a local command (report, start) waits for it
 * instead of showing that placeholder as if it were the site's figures.
 * The run is the app's own: started at install, by a view or by `reconcile/start`, driven by the platform's queue, and
 * followed through `reconcile/status` (an admin resolver, so it is read as one of the site's Jira admins).
 */
import { MODULE_KEYS, type Envelope, type Freshness, type ReconcileStatus } from '../../src/contract';
import type { Site } from '../jira';
import type { LocalPlatform } from '../platform';

/** Issues at hierarchy level 0 (what the first calculation reads, for "of how many"). */
export function standardIssueCount(site: Site): number {
  const level = new Map(site.issueTypes.map((t) => [t.name, t.hierarchyLevel]));
  return site.issues.filter((i) => level.get(i.type) === 0).length;
}

/** The answer is a placeholder or behind Jira while a recalculation runs: worth waiting for. */
export function awaitsCalculation(freshness: Freshness | undefined): boolean {
  return freshness !== undefined && freshness.stale && freshness.recalculating;
}

type Run = NonNullable<ReconcileStatus['run']>;

function seconds(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/** One line of progress: `[#####---------------]  25%  5,200 of 21,000 issues read, about 6 s left`. */
export function formatProgress(run: Pick<Run, 'phase' | 'progress' | 'items' | 'epics'>, total: number, elapsedMs: number, width = 20): string {
  const share = Math.min(1, Math.max(0, run.progress));
  const filled = Math.round(share * width);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
  const pct = `${Math.floor(share * 100)}%`.padStart(4);
  const read = `${run.items.toLocaleString('en')} of ${total.toLocaleString('en')} issues read`;
  let left: string;
  if (run.phase === 'done') left = `done in ${seconds(elapsedMs)}`;
  else if (run.phase === 'epics') left = `listing epics (${run.epics.toLocaleString('en')} so far)`;
  else if (share <= 0.1) left = 'estimating the time left';
  else left = `about ${seconds((elapsedMs * (1 - share)) / share)} left`;
  return `First calculation ${bar} ${pct}  ${read}, ${left}`;
}

export interface FirstBuildOptions {
  platform: LocalPlatform;
  /** A Jira admin of the site, to read (and start) the run; without one the wait shows no figures. */
  admin: string | undefined;
  /** Issues on the site, for "of how many". */
  total: number;
  /** Start the run (`reconcile/start`) rather than wait for one a view started. */
  start?: boolean;
  stream?: NodeJS.WriteStream;
  /** How often the bar is redrawn. */
  everyMs?: number;
  /** Wait only for work due within this many Forge seconds (see `LocalPlatform.settle`). */
  settleHorizonSeconds?: number;
}

export type FirstBuildResult = { ok: true; status: ReconcileStatus | undefined } | { ok: false; message: string };

/** Runs the platform's background work (the run's queue steps) to the end, drawing the bar as it goes. */
export async function runFirstBuild(options: FirstBuildOptions): Promise<FirstBuildResult> {
  const { platform, admin, total } = options;
  const stream = options.stream ?? process.stderr;
  const everyMs = options.everyMs ?? 250;
  const asAdmin = async (key: 'reconcile/start' | 'reconcile/status'): Promise<ReconcileStatus | string> => {
    if (admin === undefined) return 'the site has no Jira admin to follow the calculation as';
    const answer = (await platform.invokeForModule(MODULE_KEYS.admin, key, {}, { accountId: admin })) as Envelope<ReconcileStatus>;
    return answer.ok ? answer.data : `${key} answered ${answer.error.code}: ${answer.error.message}`;
  };
  if (options.start) {
    const started = await asAdmin('reconcile/start');
    if (typeof started === 'string') return { ok: false, message: `cannot start the first calculation: ${started}` };
  }

  const startedAt = Date.now();
  let settled = false;
  const allDone = platform.settle(options.settleHorizonSeconds).then(() => {
    settled = true;
  });
  let lastLine = '';
  let lastTenth = -1;
  const draw = (status: ReconcileStatus | string, last: boolean): void => {
    if (typeof status === 'string' || !status.run) return;
    const line = formatProgress(status.run, total, Date.now() - startedAt);
    if (stream.isTTY) {
      if (line !== lastLine || last) stream.write(`\r${line}\x1b[K${last ? '\n' : ''}`);
    } else {
      // A log, not a terminal: a line per tenth of the way, and the last one.
      const tenth = Math.floor(status.run.progress * 10);
      if (last || (tenth !== lastTenth && status.run.phase !== 'done')) stream.write(`${line}\n`);
      lastTenth = tenth;
    }
    lastLine = line;
  };
  while (!settled) {
    await Promise.race([allDone, new Promise((resolve) => setTimeout(resolve, everyMs))]);
    if (!settled) draw(await asAdmin('reconcile/status'), false);
  }
  const final = await asAdmin('reconcile/status');
  draw(final, true);
  if (typeof final === 'string') return admin === undefined ? { ok: true, status: undefined } : { ok: false, message: final };
  if (final.run?.phase === 'failed') return { ok: false, message: `the first calculation failed: ${final.run.error ?? 'no reason given'}` };
  if (final.run !== null && final.run.phase !== 'done') return { ok: false, message: `the first calculation stopped at the ${final.run.phase} phase` };
  return { ok: true, status: final };
}

/**
 * The line printed above a table whose figures are not complete (a placeholder while the first calculation
 * runs, or stored figures that may be behind Jira), or null when they are current.
 */
export function freshnessBanner(freshness: Freshness | undefined): string | null {
  if (!freshness?.stale) return null;
  const reason = freshness.staleReason ?? 'the figures may be behind Jira.';
  if (freshness.source === 'calculating') return `CALCULATING: not the site's figures yet. ${reason}`;
  return `STALE: ${reason}`;
}
