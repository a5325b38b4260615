/**
 * What a surface shows while it reads one resolver: the answer, the failure, whether a call is under way.
 * The call is made again when the payload changes (compared by value) or on `reload()`; an answer that
 * arrives after a newer call was made, or after the component is gone, is dropped, so a slow answer never
 * overwrites a newer one. The last answer stays on screen while the next one loads.
 *
 * A surface asks for its first data at module load (`preload`), before the context, the theme and React are
 * ready; the hook then takes that call's answer instead of making the same call again.
 */
import { useCallback, useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { PayloadOf, ResolverKey, ResponseOf } from '../../src/contract';
import { call, toFailure, type ApiFailure } from './api';
import type { Preloaded } from './preload';

export type { Preloaded };

export interface Resolved<T> {
  /** The last answer, `null` before the first one. */
  data: T | null;
  failure: ApiFailure | null;
  loading: boolean;
  reload: () => void;
  /** Replaces the answer with one a later call gave (a save answers the new state). */
  setData: Dispatch<SetStateAction<T | null>>;
}

/**
 * Reads `key` with `payload` (`null`: nothing to read yet). `onData` sees every fresh answer, for state the
 * surface derives from it. `preloaded`, when it is the same call, answers the first read (in the first render
 * when its answer has already arrived).
 */
export function useResolver<K extends ResolverKey>(
  key: K,
  payload: PayloadOf<K> | null,
  onData?: (data: ResponseOf<K>) => void,
  preloaded?: Preloaded<K>,
): Resolved<ResponseOf<K>> {
  // The payload by value, so a literal written in the render does not call again on every render.
  const body = payload === null ? null : JSON.stringify(payload ?? {});
  const usable = (p: Preloaded<K> | undefined): p is Preloaded<K> => !!p && !p.taken && p.key === key && p.body === body;
  // A preloaded answer that is already here is the first render's data: no spinner, no second render.
  const [data, setData] = useState<ResponseOf<K> | null>(() => (usable(preloaded) ? (preloaded.arrived?.data ?? null) : null));
  /** The preloaded call the first render showed, until the hook loads anything else. */
  const mountedWith = useRef(data !== null ? preloaded : undefined);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(payload !== null && data === null);
  const latest = useRef(0);
  const onDataRef = useRef(onData);
  useEffect(() => {
    onDataRef.current = onData;
  });

  const load = useCallback(
    (fromEffect: boolean) => {
      if (body === null) return;
      const n = ++latest.current;
      const shown = mountedWith.current;
      if (fromEffect && shown?.arrived && shown.key === key && shown.body === body) {
        // Rendered from the start (the effect may run twice, as in React's strict mode): only what the
        // surface derives from the answer is left to do.
        shown.taken = true;
        onDataRef.current?.(shown.arrived.data);
        return;
      }
      mountedWith.current = undefined;
      const early = usable(preloaded) ? preloaded : undefined;
      setLoading(true);
      setFailure(null);
      (early ? early.answer : call(key, JSON.parse(body) as PayloadOf<K>))
        .finally(() => {
          // Taken once it reaches the screen (an effect run twice, as React's strict mode does, reuses it).
          if (early && n === latest.current) early.taken = true;
        })
        .then((answer) => {
          if (n !== latest.current) return;
          setData(answer);
          onDataRef.current?.(answer);
        })
        .catch((e: unknown) => n === latest.current && setFailure(toFailure(e)))
        .finally(() => n === latest.current && setLoading(false));
    },
    // `usable` reads only key, body and preloaded.
    [key, body, preloaded],
  );
  const reload = useCallback(() => load(false), [load]);

  useEffect(() => {
    load(true);
    return () => {
      latest.current += 1;
    };
  }, [load]);

  return { data, failure, loading, reload, setData };
}
