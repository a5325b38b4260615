/**
 * Background work of the platform (trigger deliveries, queue events, retries): every task is tracked so that
 * `settle()` can wait for all of it, including tasks scheduled by tasks. Delays are Forge's seconds
 * multiplied by `timeScale` (tests use a small scale so a 60 s `retryAfter` takes milliseconds).
 */
export class Scheduler {
  private pending = new Set<Promise<void>>();
  private timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;

  constructor(
    /** Real milliseconds per Forge second: 1000 = real time, 1 = a thousand times faster, 0 = no waiting. */
    readonly msPerSecond: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Run `task` after `delaySeconds` (Forge time). Errors go to `onError`; they never reject `settle()`. */
  schedule(delaySeconds: number, task: () => Promise<void>): void {
    if (this.closed) return;
    const p = new Promise<void>((resolve) => {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          task()
            .catch(this.onError)
            .finally(resolve);
        },
        Math.max(0, delaySeconds * this.msPerSecond),
      );
      this.timers.set(timer, resolve);
    });
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  /** Resolves once nothing is pending, including work scheduled while waiting. */
  async settle(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
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
