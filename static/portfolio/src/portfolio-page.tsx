/** The portfolio for business leaders: every destination by priority, progress, arrival verdict, off-route work. */
import { useEffect, useRef, useState } from 'react';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { DestinationRollup, Portfolio } from '../../../src/contract';
import { ErrorMessage, FreshnessNote, Loading, subtle } from '../../common/components';
import { lazyPart, LazyPart } from '../../common/lazy';
import { formatAge, formatDate, localiseDates } from '../../common/format';
import type { Preloaded } from '../../common/preload';
import { useResolver } from '../../common/use-resolver';
import { usePollWhileCalculating } from './calculating';
import { DestinationTable, tripButtonId } from './destination-table';
import { FilterBar, type Filters } from './filter-bar';
import { Headline } from './headline';
import { OffRouteDrillDown } from './off-route';
import { ExportCsvButton } from './export-csv-button';
import { SceneryTrendSection } from './scenery-trend';

// A destination's trip (charts, check-ins, concerns) is code the list does not need: loaded when first opened.
const TripView = lazyPart('the trip', () => import('./trip/trip-view'), 'TripView');

/** `prev` grown by `entries` (the same map when none is new, so nothing renders again). */
function grown(prev: Map<string, string>, entries: Iterable<[string, string]>): Map<string, string> {
  const next = new Map([...prev, ...entries]);
  return next.size === prev.size ? prev : next;
}

const projectsOf = (p: Portfolio | undefined): Array<[string, string]> => (p?.projects ?? []).map((key) => [key, key]);
const ownersOf = (p: Portfolio | undefined): Array<[string, string]> => (p?.owners ?? []).map((o) => [o.accountId, o.displayName]);

/** The page asks for one page of rows at a time; page 1 is left out of the payload (the first screen's call). */
const payloadOf = (filters: Filters, page: number) => (page === 1 ? filters : { ...filters, page });

export function PortfolioPage({ first }: { first?: Preloaded<'portfolio/get'> }) {
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  // Filter choices grow with what has been seen, so narrowing never removes the way back. A first answer that
  // arrived before the page mounted fills them at once, so the first render is also the last one.
  const [projects, setProjects] = useState(() => grown(new Map(), projectsOf(first?.arrived?.data)));
  const [owners, setOwners] = useState(() => grown(new Map(), ownersOf(first?.arrived?.data)));
  const { data: portfolio, failure, loading, reload } = useResolver('portfolio/get', payloadOf(filters, page), (p) => {
    setProjects((prev) => grown(prev, projectsOf(p)));
    setOwners((prev) => grown(prev, ownersOf(p)));
  }, first);
  usePollWhileCalculating(portfolio?.freshness, portfolio, reload);
  const changeFilters = (next: Filters) => {
    setFilters(next);
    setPage(1);
  };
  // The open trip replaces the list; filters, page and the loaded rows stay here, so "back" finds them as left.
  const [trip, setTrip] = useState<DestinationRollup | null>(null);
  const closedTrip = useRef<string | null>(null);
  useEffect(() => {
    if (trip !== null || closedTrip.current === null) return;
    document.getElementById(tripButtonId(closedTrip.current))?.focus();
    closedTrip.current = null;
  }, [trip]);
  const closeTrip = () => {
    closedTrip.current = trip?.id ?? null;
    setTrip(null);
  };

  if (trip) {
    return (
      <main style={{ padding: token('space.300'), maxWidth: 1000 }}>
        <LazyPart fallback={<Loading label="Loading the trip" />}>
          <TripView destination={trip} onBack={closeTrip} />
        </LazyPart>
      </main>
    );
  }

  return (
    <main style={{ padding: token('space.300'), display: 'flex', flexDirection: 'column', gap: token('space.200'), maxWidth: 1400 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: token('space.200'), flexWrap: 'wrap' }}>
        <Heading size="large" as="h1">Business destinations</Heading>
        {portfolio && <ExportCsvButton filters={filters} disabled={portfolio.totalDestinations === 0} />}
      </div>
      <FilterBar filters={filters} onChange={changeFilters} projects={projects} owners={owners} />
      {failure && <ErrorMessage failure={failure} title="The portfolio could not be loaded" onRetry={reload} />}
      {!portfolio && !failure && <Loading label="Loading the portfolio" />}
      {portfolio && <PortfolioBody portfolio={portfolio} loading={loading} filters={filters} page={page} onPage={setPage} onOpenTrip={setTrip} />}
    </main>
  );
}

function PortfolioBody({ portfolio, loading, filters, page, onPage, onOpenTrip }: {
  portfolio: Portfolio;
  loading: boolean;
  filters: Filters;
  page: number;
  onPage: (page: number) => void;
  onOpenTrip: (destination: DestinationRollup) => void;
}) {
  const { projectKey } = filters;
  return (
    <>
      <Headline portfolio={portfolio} filters={filters} />
      <OffRouteDrillDown offRoute={portfolio.offRoute} projectKey={projectKey} />
      <SceneryTrendSection projectKey={projectKey} />
      <div style={{ display: 'flex', flexDirection: 'column', gap: token('space.050') }}>
        <p style={{ ...subtle, margin: 0 }}>
          Totals include every project in scope, whoever is looking; epic lists show only what you may browse. Computed{' '}
          {formatAge(portfolio.computedAt)} for {formatDate(portfolio.asOf)}.
        </p>
        <FreshnessNote freshness={portfolio.freshness} />
      </div>
      {portfolio.warnings.length > 0 && (
        <SectionMessage appearance="warning" title={`${portfolio.warnings.length} ${portfolio.warnings.length === 1 ? 'warning' : 'warnings'}`}>
          <ul style={{ margin: 0, paddingLeft: token('space.200') }}>
            {portfolio.warnings.map((w, i) => (
              <li key={i}>{localiseDates(w.message)}</li>
            ))}
          </ul>
        </SectionMessage>
      )}
      {projectKey !== undefined && portfolio.hiddenDestinations > 0 && (
        <p style={{ ...subtle, margin: 0 }} data-testid="hidden-destinations">
          {portfolio.hiddenDestinations} {portfolio.hiddenDestinations === 1 ? 'destination has' : 'destinations have'} no epics in {projectKey}
        </p>
      )}
      <DestinationTable portfolio={portfolio} page={page} onPage={onPage} loading={loading} projectKey={projectKey} onOpenTrip={onOpenTrip} />
    </>
  );
}
