/** The platform's clock (on the local platform, the site's clock: see `local/platform/clock.ts`). */
import { fromUtcMs } from '../domain/dates';
import type { Clock } from '../services/ports';

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => fromUtcMs(Date.now()),
};

/** Read times (ms) from `clock` that strictly increase, so two reads in the same millisecond are still ordered. */
export function readTimer(clock: Clock): () => number {
  let last = 0;
  return () => {
    last = Math.max(clock.now().getTime(), last + 1);
    return last;
  };
}
