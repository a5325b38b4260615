/** Seeded randomness for the fault knobs: the same seed gives the same sequence of faults, run after run. */
import type { FaultKnobs } from '../types';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How long a write stays invisible to `/search/jql` (unless reconciled), on the emulator's write clock (every
 * write moves it one second). Jira documents "from a few seconds to minutes" (Search and reconcile page), so by
 * default the index is stale and catches up a minute of writes later: code that searches right after a change
 * must pass `reconcileIssues`, and code that searches later must not depend on the exact moment.
 */
export const INDEX_LAG_MS = 60_000;

export function defaultFaults(): FaultKnobs {
  return { latencyMs: 0, spikeRate: 0, spikeMs: 0, rate429: 0, retryAfterSeconds: 1, rate5xx: 0, rateGarbage: 0, staleIndex: true, indexLagMs: INDEX_LAG_MS, seed: 1 };
}

export type FaultDecision =
  | { kind: 'none'; delayMs: number }
  | { kind: '429'; delayMs: number; retryAfterSeconds: number }
  | { kind: '5xx'; delayMs: number; status: 500 | 502 | 503 }
  | { kind: 'garbage'; delayMs: number };

/** Draws the same number of random values for every request so that changing one rate keeps the others' pattern. */
export class FaultDice {
  private random: () => number;
  private seed: number;

  constructor(seed: number) {
    this.seed = seed;
    this.random = mulberry32(seed);
  }

  roll(knobs: FaultKnobs): FaultDecision {
    if (knobs.seed !== this.seed) {
      this.seed = knobs.seed;
      this.random = mulberry32(knobs.seed);
    }
    const [spike, r429, r5xx, rGarbage, which] = [this.random(), this.random(), this.random(), this.random(), this.random()];
    const delayMs = Math.max(0, knobs.latencyMs) + (spike < knobs.spikeRate ? Math.max(0, knobs.spikeMs) : 0);
    if (r429 < knobs.rate429) return { kind: '429', delayMs, retryAfterSeconds: knobs.retryAfterSeconds };
    if (r5xx < knobs.rate5xx) return { kind: '5xx', delayMs, status: which < 1 / 3 ? 500 : which < 2 / 3 ? 502 : 503 };
    if (rGarbage < knobs.rateGarbage) return { kind: 'garbage', delayMs };
    return { kind: 'none', delayMs };
  }
}
