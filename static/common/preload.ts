/**
 * A surface's first data, asked for at module load: imported first by a surface's entry, before React and
 * Atlaskit are even evaluated, so the call runs while the context, the theme and the first render are under
 * way. `useResolver` takes the answer instead of asking again.
 */
import type { PayloadOf, ResolverKey, ResponseOf } from '../../src/contract';
import { call } from './api';

/** A call already under way, started before the component that shows it. */
export interface Preloaded<K extends ResolverKey> {
  key: K;
  /** The payload as `useResolver` compares it (JSON). */
  body: string;
  answer: Promise<ResponseOf<K>>;
  /** Set once its answer reached a hook: a later call with the same payload (a reload) asks again. */
  taken: boolean;
  /**
   * The answer once it has arrived, so a component mounted after that renders it in its first render instead
   * of a spinner first (a whole extra render and layout of the page, measured at about 140 ms).
   */
  arrived: { data: ResponseOf<K> } | null;
}

/** Starts `key` with `payload` now; hand the result to `useResolver` as its `preloaded`. */
export function preload<K extends ResolverKey>(key: K, payload: PayloadOf<K>): Preloaded<K> {
  const answer = call(key, payload);
  const preloaded: Preloaded<K> = { key, body: JSON.stringify(payload ?? {}), answer, taken: false, arrived: null };
  // Nobody may take it (the surface fails first): an unhandled rejection must not reach the console.
  answer.then(
    (data) => {
      preloaded.arrived = { data };
    },
    () => undefined,
  );
  return preloaded;
}
