/** The portfolio for business leaders: every destination by priority, progress, arrival verdict, off-route work. */
import { useState } from 'react';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { Portfolio } from '../../../src/contract';
import { ErrorMessage, FreshnessNote, Loading, subtle } from '../../common/components';
import { formatAge, formatDate, localiseDates } from '../../common/format';
import { useResolver } from '../../common/use-resolver';
import { DestinationTable } from './destination-table';
import { FilterBar, type Filters } from './filter-bar';
import { Headline } from './headline';
import { OffRouteDrillDown } from './off-route';
import { ExportCsvButton } from './export-csv-button';

export function PortfolioPage() {
  const [filters, setFilters] = useState<Filters>({});
  // Filter choices grow with what has been seen, so narrowing never removes the way back.
  const [projects, setProjects] = useState<Map<string, string>>(new Map());
  const [owners, setOwners] = useState<Map<string, string>>(new Map());
  const { data: portfolio, failure, loading, reload } = useResolver('portfolio/get', filters, (p) => {
    setProjects((prev) => {
      const next = new Map(prev);
      for (const d of p.destinations) for (const e of d.epicDetails) next.set(e.projectKey, e.projectKey);
      for (const e of p.offRoute.epics) next.set(e.projectKey, e.projectKey);
      return next.size === prev.size ? prev : next;
    });
    setOwners((prev) => {
      const next = new Map(prev);
      for (const d of p.destinations) next.set(d.businessOwner, d.businessOwnerName);
      return next.size === prev.size ? prev : next;
    });
  });

  return (
    <main style={{ padding: token('space.300'), display: 'flex', flexDirection: 'column', gap: token('space.200'), maxWidth: 1400 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: token('space.200'), flexWrap: 'wrap' }}>
        <Heading size="large" as="h1">Business destinations</Heading>
        {portfolio && <ExportCsvButton portfolio={portfolio} />}
      </div>
      <FilterBar filters={filters} onChange={setFilters} projects={projects} owners={owners} />
      {failure && <ErrorMessage failure={failure} title="The portfolio could not be loaded" onRetry={reload} />}
      {!portfolio && !failure && <Loading label="Loading the portfolio" />}
      {portfolio && <PortfolioBody portfolio={portfolio} loading={loading} projectKey={filters.projectKey} />}
    </main>
  );
}

function PortfolioBody({ portfolio, loading, projectKey }: { portfolio: Portfolio; loading: boolean; projectKey: string | undefined }) {
  const { destinations, offRoute } = portfolio;
  return (
    <>
      <Headline portfolio={portfolio} />
      <OffRouteDrillDown offRoute={offRoute} />
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
      <DestinationTable destinations={destinations} jql={portfolio.jql.byDestination} loading={loading} />
    </>
  );
}
