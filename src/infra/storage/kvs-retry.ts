/**
 * `@forge/kvs` with rate-limit refusals handled in one place: a call refused with 429 `RATE_LIMIT_EXCEEDED`
 * (requests per second or read/write units per minute per installation) was not applied, so it is sent again
 * after a short, growing, jittered wait. Builders (`query()`, `transact()`, `entity()`) are wrapped the same way,
 * so every terminal call is covered. After the last wait the refusal reaches the caller, which reports storage
 * as unavailable; the waits stay far inside a resolver's 25 s.
 */
import { kvs as forgeKvs } from '@forge/kvs';

/** Waits before each resend (ms); about 4 s in all, enough for a per-second window to pass a few times. */
export const RATE_LIMIT_WAITS_MS = [150, 400, 1000, 2500];

export function isRateLimited(error: unknown): boolean {
  const e = error as { code?: unknown; status?: unknown } | null;
  return typeof e === 'object' && e !== null && (e.code === 'RATE_LIMIT_EXCEEDED' || e.status === 429);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function resend<T>(first: Promise<T>, again: () => Promise<T>): Promise<T> {
  let attempt: Promise<T> = first;
  for (let i = 0; ; i++) {
    try {
      return await attempt;
    } catch (error) {
      const wait = RATE_LIMIT_WAITS_MS[i];
      if (wait === undefined || !isRateLimited(error)) throw error;
      await sleep(wait / 2 + Math.random() * wait);
      attempt = again();
    }
  }
}

const isThenable = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

/** `target` with every method call that answers a promise resent on a rate-limit refusal. */
export function retryingRateLimits<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const call = () => (value as (...a: unknown[]) => unknown).apply(object, args);
        const answer = call();
        if (isThenable(answer)) return resend(answer, call as () => Promise<unknown>);
        return answer !== null && typeof answer === 'object' ? retryingRateLimits(answer) : answer;
      };
    },
  });
}

/** The storage client every store uses. */
export const kvs = retryingRateLimits(forgeKvs);
