/**
 * An epic list read a page at a time (`portfolio/epics`, `portfolio/off-route`): the first page when the list
 * opens, the next on "show more". Only what the caller may browse ever arrives; the rest is a count.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EpicPage } from '../../../src/contract';
import { toFailure, type ApiFailure } from '../../common/api';

export interface EpicPages<T> {
  epics: T[];
  /** The last page's counts and where the next one starts; `null` before the first page. */
  last: Omit<EpicPage<T>, 'epics'> | null;
  failure: ApiFailure | null;
  loading: boolean;
  more: () => void;
  retry: () => void;
}

/** Reads pages with `fetchPage(offset)`; asks for the first page at once. */
export function useEpicPages<P extends EpicPage<unknown>>(fetchPage: (offset: number) => Promise<P>): EpicPages<P['epics'][number]> & { page: P | null } {
  type T = P['epics'][number];
  const [epics, setEpics] = useState<T[]>([]);
  const [page, setPage] = useState<P | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(true);
  const alive = useRef(true);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const load = useCallback((offset: number) => {
    setLoading(true);
    setFailure(null);
    fetchRef.current(offset)
      .then((answer) => {
        if (!alive.current) return;
        setEpics((prev) => (offset === 0 ? answer.epics : [...prev, ...answer.epics]));
        setPage(answer);
      })
      .catch((e: unknown) => alive.current && setFailure(toFailure(e)))
      .finally(() => alive.current && setLoading(false));
  }, []);

  useEffect(() => {
    alive.current = true;
    load(0);
    return () => {
      alive.current = false;
    };
  }, [load]);

  const last = page === null ? null : { total: page.total, hiddenEpics: page.hiddenEpics, nextOffset: page.nextOffset };
  return {
    epics,
    page,
    last,
    failure,
    loading,
    more: () => page?.nextOffset != null && load(page.nextOffset),
    retry: () => load(epics.length),
  };
}
