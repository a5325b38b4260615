/**
 * While the first full calculation runs the portfolio has no figures yet: the page asks again by itself,
 * soon at first and then less often, so it shows the progress and then the figures without a reload.
 */
import { useEffect, useRef } from 'react';
import type { Freshness } from '../../../src/contract';

/** Waits between asks: 2 s, then doubling, at most 30 s. */
export function pollDelay(attempt: number): number {
  return Math.min(30_000, 2_000 * 2 ** Math.max(0, attempt));
}

export const isCalculating = (freshness: Freshness | undefined): boolean => freshness?.source === 'calculating';

/** Calls `reload` after a growing delay each time a new answer still says "calculating". */
export function usePollWhileCalculating(freshness: Freshness | undefined, answer: unknown, reload: () => void): void {
  const attempt = useRef(0);
  const calculating = isCalculating(freshness);
  useEffect(() => {
    if (!calculating) {
      attempt.current = 0;
      return undefined;
    }
    const timer = setTimeout(reload, pollDelay(attempt.current));
    attempt.current += 1;
    return () => clearTimeout(timer);
  }, [calculating, answer, reload]);
}
