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
 * surface derives from it. `preloaded`, when it is the same call, answers the first read.
 */
export function useResolver<K extends ResolverKey>(
  key: K,
  payload: PayloadOf<K> | null,
  onData?: (data: ResponseOf<K>) => void,
  preloaded?: Preloaded<K>,
): Resolved<ResponseOf<K>> {
  const [data, setData] = useState<ResponseOf<K> | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(payload !== null);
  const latest = useRef(0);
  const onDataRef = useRef(onData);
  useEffect(() => {
    onDataRef.current = onData;
  });
  // The payload by value, so a literal written in the render does not call again on every render.
  const body = payload === null ? null : JSON.stringify(payload ?? {});

  const reload = useCallback(() => {
    if (body === null) return;
    const n = ++latest.current;
    setLoading(true);
    setFailure(null);
    const early = preloaded && !preloaded.taken && preloaded.key === key && preloaded.body === body ? preloaded : undefined;
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
  }, [key, body, preloaded]);

  useEffect(() => {
    reload();
    return () => {
      latest.current += 1;
    };
  }, [reload]);

  return { data, failure, loading, reload, setData };
}
