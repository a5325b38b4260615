/**
 * Site clock. A site file fixes `today` (so forecasts, "overdue" and throughput windows give the same answers
 * on every machine and every day), while the app calls `new Date()` / `Date.now()` like any production code.
 * Replacing the global `Date` with a subclass shifted to `today` + the real time of day makes both true
 * without touching `src/`. Time keeps running (durations, timeouts, `updatedAt` order stay real); only the
 * calendar day moves. Timers (`setTimeout`) are not affected.
 */

const RealDate = globalThis.Date;
let installed: { restore: () => void } | undefined;
/** Time moved forward by tests (`advanceClock`), on top of the shift to `today`. */
let advancedMs = 0;
/** The shift from the real clock to the site's, in ms. */
let offsetMs = 0;

function offsetFor(today: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (!m) throw new Error(`Site clock: today must be YYYY-MM-DD, got '${today}'`);
  const target = RealDate.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const realMidnight = Math.floor(RealDate.now() / 86_400_000) * 86_400_000;
  return target - realMidnight;
}

/** Install the shifted `Date` (UTC calendar day = `today`). Installing again replaces the previous shift. */
export function installClock(today: string): () => void {
  uninstallClock();
  offsetMs = offsetFor(today);
  advancedMs = 0;
  class SiteDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offsetMs + advancedMs);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return RealDate.now() + offsetMs + advancedMs;
    }
    // Dates made before the clock was installed (or by code holding the real Date) still pass `instanceof Date`.
    static override [Symbol.hasInstance](x: unknown): boolean {
      return x instanceof RealDate;
    }
  }
  globalThis.Date = SiteDate as DateConstructor;
  installed = {
    restore: () => {
      globalThis.Date = RealDate;
    },
  };
  return uninstallClock;
}

/**
 * Move the site clock forward by `ms` (tests that must get past an hour of Jira's quota without waiting for
 * it). Timers are not affected: what waits on `setTimeout` still waits in real time.
 */
export function advanceClock(ms: number): void {
  if (!installed) throw new Error('Site clock: advanceClock needs an installed clock');
  if (ms < 0) throw new Error('Site clock: time only moves forward');
  advancedMs += ms;
}

/**
 * Move the site clock forward to the instant `ms` (epoch ms), or leave it where it is when it is already
 * there or later: time only moves forward, and a step taken since (a call in between) is not undone.
 */
export function advanceClockTo(ms: number): void {
  const now = Date.now();
  if (ms > now) advanceClock(ms - now);
}

/**
 * Set the installed site clock back to the instant `ms` (epoch ms), time running on from there, and return the
 * way back: the clock's former course, as if it had never left it. For seeding a site's history through the
 * app's own calls, each at its time (local/app/seed.ts); nothing else may turn the clock back.
 */
export function rewindClock(ms: number): () => void {
  if (!installed) throw new Error('Site clock: rewindClock needs an installed clock');
  if (!Number.isFinite(ms)) throw new Error(`Site clock: cannot rewind to ${String(ms)}`);
  const course = { offset: offsetMs, advanced: advancedMs };
  const now = Date.now();
  if (ms > now) throw new Error(`Site clock: rewindClock goes back only, and ${new RealDate(ms).toISOString()} is after now`);
  offsetMs = ms - RealDate.now();
  advancedMs = 0;
  const clock = installed;
  return () => {
    // Only the same installation returns to its course: a clock installed since keeps its own.
    if (installed !== clock) return;
    offsetMs = course.offset;
    advancedMs = course.advanced;
  };
}

/** Whether the site clock is installed (a platform created with `clock: false` leaves `Date` alone). */
export function clockInstalled(): boolean {
  return installed !== undefined;
}

export function uninstallClock(): void {
  installed?.restore();
  installed = undefined;
}

/** The real `Date`, for code of the platform that must not see the site clock. */
export { RealDate };
