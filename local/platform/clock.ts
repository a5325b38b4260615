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
  const offset = offsetFor(today);
  advancedMs = 0;
  class SiteDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(RealDate.now() + offset + advancedMs);
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return RealDate.now() + offset + advancedMs;
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

export function uninstallClock(): void {
  installed?.restore();
  installed = undefined;
}

/** The real `Date`, for code of the platform that must not see the site clock. */
export { RealDate };
