/**
 * The scenery trend: the off-route share of work in flight, week by week, for the last weeks. Past weeks
 * are reconstructed from Jira's dates like the burn-up; Jira's dates do not say when work started, so a
 * reconstructed week counts open work (created, not yet resolved) rather than work in progress, and says so
 * (`reconstructed: true`). Weeks with a stored snapshot use it instead. Pure.
 */
import { addDays, startOfWeek } from './dates';
import type { IsoDate } from './types';

export const SCENERY_WEEKS = 12;

export interface SceneryIssue {
  created: IsoDate;
  resolved: IsoDate | null;
  /** Serves no live destination (no epic, or an epic aligned to none). */
  offRoute: boolean;
  projectKey: string;
}

export interface SceneryPoint {
  /** The Sunday the week ends on (the current week: today). */
  weekEnd: IsoDate;
  inFlight: number;
  offRoute: number;
  /** Off-route share in percent, whole; `null` when nothing was in flight. */
  share: number | null;
  reconstructed: boolean;
}

/** A week as a daily snapshot saw it (work in progress by status, the honest figure). */
export interface ScenerySnapshot {
  weekEnd: IsoDate;
  inFlight: number;
  offRoute: number;
}

export const SCENERY_LIMITS = 'Weeks before the app kept snapshots count open issues (created and not yet resolved), because Jira does not record when work started.';

/** The last `weeks` weeks ending with the week of `today`, oldest first; `projects` limits it to what a viewer may browse. */
export function sceneryTrend(
  issues: readonly SceneryIssue[],
  today: IsoDate,
  options: { weeks?: number; projects?: ReadonlySet<string>; snapshots?: readonly ScenerySnapshot[] } = {},
): SceneryPoint[] {
  const weeks = options.weeks ?? SCENERY_WEEKS;
  const visible = options.projects ? issues.filter((i) => options.projects!.has(i.projectKey)) : issues;
  const snapshots = new Map((options.snapshots ?? []).map((s) => [s.weekEnd, s]));
  const lastEnd = addDays(startOfWeek(today), 6);
  const out: SceneryPoint[] = [];
  for (let w = weeks - 1; w >= 0; w--) {
    const sunday = addDays(lastEnd, -7 * w);
    const weekEnd = sunday > today ? today : sunday;
    // Snapshots are kept site-wide; a viewer limited to some projects gets the reconstruction.
    const snapshot = options.projects ? undefined : (snapshots.get(weekEnd) ?? snapshots.get(sunday));
    if (snapshot) {
      out.push({ weekEnd, inFlight: snapshot.inFlight, offRoute: snapshot.offRoute, share: shareOf(snapshot.offRoute, snapshot.inFlight), reconstructed: false });
      continue;
    }
    let inFlight = 0;
    let offRoute = 0;
    for (const i of visible) {
      if (i.created > weekEnd || (i.resolved !== null && i.resolved <= weekEnd)) continue;
      inFlight += 1;
      if (i.offRoute) offRoute += 1;
    }
    out.push({ weekEnd, inFlight, offRoute, share: shareOf(offRoute, inFlight), reconstructed: true });
  }
  return out;
}

function shareOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((100 * part) / whole);
}
