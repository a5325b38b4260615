/**
 * Scope drift: what a destination's route was when it was committed (its baseline), and what changed since.
 * A baseline is taken when a destination becomes active, or when an admin asks; the drift lists epics and
 * issues added and removed since, and the change in remaining work and in the forecast date. Pure.
 */
import { diffDays } from './dates';
import type { IsoDate, IsoDateTime } from './types';

/** The route at one moment: epics and their child issues by id (keys change when issues move). */
export interface ScopeBaseline {
  takenAt: IsoDateTime;
  /** Epic id -> key when taken. */
  epics: Record<string, string>;
  /** Child issue ids, as one sorted list. */
  issues: string[];
  remaining: number;
  remainingEstimate: number;
  forecastDate: IsoDate | null;
}

/** A baseline holds ids only: about 8 bytes an issue, so 20,000 issues fit in one stored value. */
export const MAX_BASELINE_ISSUES = 20_000;

export interface ScopeNow {
  epics: ReadonlyMap<string, string>;
  issues: readonly string[];
  remaining: number;
  remainingEstimate: number;
  forecastDate: IsoDate | null;
}

export interface ScopeDrift {
  since: IsoDateTime;
  epicsAdded: Array<{ id: string; key: string }>;
  epicsRemoved: Array<{ id: string; key: string }>;
  issuesAdded: number;
  issuesRemoved: number;
  remainingChange: number;
  remainingEstimateChange: number;
  /** Days the forecast moved (positive: later), `null` when either forecast is missing. */
  forecastShiftDays: number | null;
}

/** The baseline of `now`, or `null` when the route is too big to keep one (the caller says so). */
export function baselineOf(now: ScopeNow, takenAt: IsoDateTime): ScopeBaseline | null {
  if (now.issues.length > MAX_BASELINE_ISSUES) return null;
  return {
    takenAt,
    epics: Object.fromEntries([...now.epics].sort(([a], [b]) => Number(a) - Number(b))),
    issues: [...now.issues].sort((a, b) => Number(a) - Number(b)),
    remaining: now.remaining,
    remainingEstimate: now.remainingEstimate,
    forecastDate: now.forecastDate,
  };
}

export function driftSince(baseline: ScopeBaseline, now: ScopeNow): ScopeDrift {
  const before = new Map(Object.entries(baseline.epics));
  const thenIssues = new Set(baseline.issues);
  const nowIssues = new Set(now.issues);
  const byId = (a: { id: string }, b: { id: string }) => Number(a.id) - Number(b.id);
  return {
    since: baseline.takenAt,
    epicsAdded: [...now.epics].filter(([id]) => !before.has(id)).map(([id, key]) => ({ id, key })).sort(byId),
    epicsRemoved: [...before].filter(([id]) => !now.epics.has(id)).map(([id, key]) => ({ id, key })).sort(byId),
    issuesAdded: [...nowIssues].filter((id) => !thenIssues.has(id)).length,
    issuesRemoved: [...thenIssues].filter((id) => !nowIssues.has(id)).length,
    remainingChange: now.remaining - baseline.remaining,
    remainingEstimateChange: Math.round((now.remainingEstimate - baseline.remainingEstimate) * 100) / 100,
    forecastShiftDays: baseline.forecastDate === null || now.forecastDate === null ? null : diffDays(baseline.forecastDate, now.forecastDate),
  };
}
