/**
 * Background work of the platform (trigger deliveries, queue events, retries): every task is tracked so that
 * `settle()` can wait for all of it, including tasks scheduled by tasks. Delays are Forge's seconds
 * multiplied by `timeScale` (tests use a small scale so a 60 s `retryAfter` takes milliseconds).
 */

interface Waiter {
  due: number;
  fire: () => void;
}

/**
 * Forge time for the platform's limits, in ms (monotonic, not calendar time: the site's calendar is `clock.ts`).
 *
 * It runs with real time, so real work and storage latency count as they would on Forge. Two things move it
 * further: a test's `advance(ms)` (time that passes for everything: storage windows and running functions'
 * deadlines), and a scheduled task starting after a scaled wait, which sets it at least to the task's due time
 * (so a retry that waited 60 Forge seconds finds a minute gone for the storage windows). That second jump is
 * not charged to functions already running: under a compressed scale a resolver can overlap a wait that, on
 * Forge, it would have finished long before; its own runtime is real time plus what tests advance.
 */
export class PlatformClock {
  /** ms added by `advance` (counts for everything). */
  private driven = 0;
  /** ms added by scheduled tasks catching up with their due time (counts for `now()` only). */
  private caughtUp = 0;
  private waiters = new Set<Waiter>();

  /** Forge time: what the storage limits measure. */
  now(): number {
    return performance.now() + this.driven + this.caughtUp;
  }

  /** What a running function's deadline is measured on: real time plus `advance`. */
  runtimeNow(): number {
    return performance.now() + this.driven;
  }

  /** Let `ms` of Forge time pass at once (tests: a minute for the storage windows, 25 s for a deadline). */
  advance(ms: number): void {
    if (ms <= 0) return;
    this.driven += ms;
    for (const w of [...this.waiters]) {
      if (this.runtimeNow() >= w.due) w.fire();
    }
  }

  /** A scheduled task due at Forge time `due` starts: Forge time is at least that. */
  catchUp(due: number): void {
    const gap = due - this.now();
    if (gap > 0) this.caughtUp += gap;
  }

  /**
   * Resolves once `ms` of runtime (real time plus `advance`) has passed; `cancel()` drops it. The real timer is
   * unref'd: a deadline never keeps the process alive on its own.
   */
  after(ms: number): { promise: Promise<void>; cancel: () => void } {
    let cancel = (): void => undefined;
    const promise = new Promise<void>((resolve) => {
      const waiter: Waiter = {
        due: this.runtimeNow() + ms,
        fire: () => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve();
        },
      };
      const arm = (): NodeJS.Timeout => {
        const t = setTimeout(
          () => {
            // `advance` may have moved the due time closer, never further; re-arm for what real time lacks.
            if (this.runtimeNow() >= waiter.due) waiter.fire();
            else timer = arm();
          },
          Math.max(0, waiter.due - this.runtimeNow()),
        );
        t.unref();
        return t;
      };
      let timer = arm();
      this.waiters.add(waiter);
      cancel = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
    });
    return { promise, cancel };
  }
}

export class Scheduler {
  /** Each task with its due time (Forge time) and whether it has started. */
  private pending = new Map<Promise<void>, { due: number; started: boolean }>();
  private timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(
    /** Real milliseconds per Forge second: 1000 = real time, 1 = a thousand times faster, 0 = no waiting. */
    readonly msPerSecond: number,
    private readonly onError: (e: unknown) => void,
    /** Forge time; a task starts no earlier than its due time on it. */
    readonly clock: PlatformClock = new PlatformClock(),
  ) {}

  /** Run `task` after `delaySeconds` (Forge time). Errors go to `onError`; they never reject `settle()`. */
  schedule(delaySeconds: number, task: () => Promise<void>): void {
    if (this.closed) return;
    const due = this.clock.now() + Math.max(0, delaySeconds) * 1000;
    const state = { due, started: false };
    const p = new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          state.started = true;
          this.clock.catchUp(due);
          task()
            .catch(this.onError)
            .finally(resolve);
        },
        Math.max(0, delaySeconds * this.msPerSecond),
      );
      this.timers.set(timer, resolve);
    });
    this.pending.set(p, state);
    void p.finally(() => this.pending.delete(p));
  }

  /**
   * Resolves once nothing is pending, including work scheduled while waiting. With `horizonSeconds`, work due
   * further out than that (Forge time, from each check) is left to run on its own when due: the local server
   * does not hold its start back for a delayed background task, as a Forge site would not.
   */
  async settle(horizonSeconds = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      const limit = this.clock.now() + horizonSeconds * 1000;
      const waited = [...this.pending].filter(([, t]) => t.started || t.due <= limit).map(([p]) => p);
      if (waited.length === 0) return;
      await Promise.all(waited);
    }
  }

  get size(): number {
    return this.pending.size;
  }

  /** Drop every task not yet started; tasks already running finish on their own. */
  close(): void {
    this.closed = true;
    for (const [t, resolve] of this.timers) {
      clearTimeout(t);
      resolve();
    }
    this.timers.clear();
    this.pending.clear();
  }
}
