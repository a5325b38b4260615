/** The portfolio for business leaders: every destination by priority, progress, arrival verdict, off-route work. */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Heading from '@atlaskit/heading';
import Select from '@atlaskit/select';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { DestinationRollup, DestinationStatus, PayloadOf, Portfolio } from '../../../src/contract';
import type { Verdict } from '../../../src/domain/types';
import { call, toFailure, type ApiFailure } from '../../common/api';
import { STATUS_LABEL } from '../../common/labels';
import { Empty, ErrorMessage, ForecastMethodTip, FreshnessNote, IssueLink, JqlLink, Loading, StackedProgress, StatusLozenge, VerdictLozenge, subtle } from '../../common/components';
import { chanceText, formatAge, formatDate, formatNumber, formatPercent, likelyText, localiseDates, offsetText } from '../../common/format';
import { downloadCsv, type Cell } from '../../common/csv';
import { unionJql } from './portfolio-unions';

type Filters = NonNullable<PayloadOf<'portfolio/get'>>;
interface Option<V = string> {
  value: V;
  label: string;
}

const VERDICT_ORDER: Verdict[] = ['on track', 'at risk', 'off track', 'arrived', 'no data'];
const STATUS_OPTIONS: Option<DestinationStatus>[] = (['draft', 'active', 'achieved'] as const).map((s) => ({ value: s, label: STATUS_LABEL[s] }));
export const ROWS_PER_PAGE = 25;

export function PortfolioPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [portfolio, setPortfolio] = useState<Portfolio | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [loading, setLoading] = useState(true);
  // Filter choices grow with what has been seen, so narrowing never removes the way back.
  const [projects, setProjects] = useState<Map<string, string>>(new Map());
  const [owners, setOwners] = useState<Map<string, string>>(new Map());
  const request = useRef(0);

  const load = useCallback((f: Filters) => {
    const n = ++request.current;
    setLoading(true);
    setFailure(null);
    call('portfolio/get', f)
      .then((p) => {
        if (n !== request.current) return;
        setPortfolio(p);
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
      })
      .catch((e: unknown) => n === request.current && setFailure(toFailure(e)))
      .finally(() => n === request.current && setLoading(false));
  }, []);
  useEffect(() => load(filters), [load, filters]);

  return (
    <main style={{ padding: token('space.300'), display: 'flex', flexDirection: 'column', gap: token('space.200'), maxWidth: 1400 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: token('space.200'), flexWrap: 'wrap' }}>
        <Heading size="large" as="h1">Business destinations</Heading>
        {portfolio && (
          <Button onClick={() => exportCsv(portfolio)} isDisabled={portfolio.destinations.length === 0}>
            Export CSV
          </Button>
        )}
      </div>
      <FilterBar filters={filters} onChange={setFilters} projects={projects} owners={owners} />
      {failure && <ErrorMessage failure={failure} title="The portfolio could not be loaded" onRetry={() => load(filters)} />}
      {!portfolio && !failure && <Loading label="Loading the portfolio" />}
      {portfolio && <PortfolioBody portfolio={portfolio} loading={loading} projectKey={filters.projectKey} />}
    </main>
  );
}

function FilterBar({
  filters,
  onChange,
  projects,
  owners,
}: {
  filters: Filters;
  onChange: (f: Filters) => void;
  projects: Map<string, string>;
  owners: Map<string, string>;
}) {
  const projectOptions = [...projects].sort().map(([value, label]) => ({ value, label }));
  const ownerOptions = [...owners].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  const without = <K extends keyof Filters>(key: K): Filters => {
    const next = { ...filters };
    delete next[key];
    return next;
  };
  return (
    <div role="search" aria-label="Filter destinations" style={{ display: 'flex', gap: token('space.150'), flexWrap: 'wrap' }}>
      <div style={{ width: 200 }}>
        <Select<Option>
          aria-label="Project"
          inputId="filter-project"
          placeholder="All projects"
          isClearable
          options={projectOptions}
          value={projectOptions.find((o) => o.value === filters.projectKey) ?? null}
          onChange={(o) => onChange(o ? { ...filters, projectKey: o.value } : without('projectKey'))}
        />
      </div>
      <div style={{ width: 220 }}>
        <Select<Option>
          aria-label="Owner"
          inputId="filter-owner"
          placeholder="All owners"
          isClearable
          options={ownerOptions}
          value={ownerOptions.find((o) => o.value === filters.owner) ?? null}
          onChange={(o) => onChange(o ? { ...filters, owner: o.value } : without('owner'))}
        />
      </div>
      <div style={{ minWidth: 240 }}>
        <Select<Option<DestinationStatus>, true>
          aria-label="Status"
          inputId="filter-status"
          placeholder="Any status"
          isMulti
          options={STATUS_OPTIONS}
          value={STATUS_OPTIONS.filter((o) => filters.status?.includes(o.value))}
          onChange={(os) => onChange(os.length ? { ...filters, status: os.map((o) => o.value) } : without('status'))}
        />
      </div>
    </div>
  );
}

function PortfolioBody({ portfolio, loading, projectKey }: { portfolio: Portfolio; loading: boolean; projectKey: string | undefined }) {
  const { destinations, offRoute, jql } = portfolio;
  const byVerdict = useMemo(() => {
    const m = new Map<Verdict, DestinationRollup[]>(VERDICT_ORDER.map((v) => [v, []]));
    for (const d of destinations) m.get(d.verdict)?.push(d);
    return m;
  }, [destinations]);

  return (
    <>
      <section aria-label="Headline" style={{ display: 'flex', gap: token('space.200'), flexWrap: 'wrap' }}>
        {VERDICT_ORDER.map((v) => {
          const ds = byVerdict.get(v) ?? [];
          return (
            <Tile key={v} label={<VerdictLozenge verdict={v} />}>
              <JqlLink jql={ds.length ? unionJql(ds.map((d) => jql.byDestination[d.id])) : undefined} label={`Work of the ${ds.length} destinations ${v}`}>
                {ds.length}
              </JqlLink>
            </Tile>
          );
        })}
        <OffRouteTile portfolio={portfolio} />
      </section>
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

function Tile({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div
      style={{
        padding: token('space.150'),
        borderRadius: token('radius.medium'),
        background: token('elevation.surface.sunken'),
        minWidth: 110,
        display: 'flex',
        flexDirection: 'column',
        gap: token('space.050'),
      }}
    >
      <div>{label}</div>
      <div style={{ font: token('font.heading.large') }}>{children}</div>
    </div>
  );
}

function OffRouteTile({ portfolio }: { portfolio: Portfolio }) {
  const { offRoute, jql } = portfolio;
  return (
    <div
      style={{
        padding: token('space.150'),
        borderRadius: token('radius.medium'),
        background: token('elevation.surface.sunken'),
        minWidth: 260,
        display: 'flex',
        flexDirection: 'column',
        gap: token('space.050'),
      }}
    >
      <div style={{ font: token('font.body.small'), color: token('color.text.subtle') }}>Off-route share of work in flight</div>
      <div style={{ font: token('font.heading.large') }}>
        <JqlLink jql={jql.offRoute} label="Off-route issues in flight">{formatPercent(offRoute.count.share)}</JqlLink>
      </div>
      <div style={subtle}>
        <JqlLink jql={jql.offRoute}>{formatNumber(offRoute.count.offRoute, 0)}</JqlLink> of{' '}
        <JqlLink jql={jql.inFlight}>{formatNumber(offRoute.count.inFlight, 0)}</JqlLink> issues ·{' '}
        {formatPercent(offRoute.estimate.share)} by estimate (<JqlLink jql={jql.offRoute}>{formatNumber(offRoute.estimate.offRoute)}</JqlLink> of{' '}
        <JqlLink jql={jql.inFlight}>{formatNumber(offRoute.estimate.inFlight)}</JqlLink>)
      </div>
    </div>
  );
}

function OffRouteDrillDown({ offRoute }: { offRoute: Portfolio['offRoute'] }) {
  const [open, setOpen] = useState(false);
  const total = offRoute.epics.length + offRoute.hiddenEpics;
  return (
    <section aria-label="Off-route epics">
      <Button appearance="subtle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide' : 'Show'} off-route epics ({total})
      </Button>
      {open && (
        <div style={{ paddingLeft: token('space.150') }}>
          {offRoute.epics.length > 0 && (
            <ul>
              {offRoute.epics.map((e) => (
                <li key={e.key}>
                  <IssueLink issueKey={e.key} /> {e.summary}
                </li>
              ))}
            </ul>
          )}
          {offRoute.hiddenEpics > 0 && <p style={subtle}>{offRoute.hiddenEpics} more you cannot see.</p>}
          {offRoute.orphanCount > 0 && <p style={subtle}>{offRoute.orphanCount} issues in flight have no epic.</p>}
          {total === 0 && offRoute.orphanCount === 0 && <p style={subtle}>No work in flight is off-route.</p>}
        </div>
      )}
    </section>
  );
}

const head = {
  cells: [
    { key: 'priority', content: '#', isSortable: false, width: 4 },
    { key: 'name', content: 'Destination', width: 28 },
    { key: 'owner', content: 'Owner', width: 12 },
    { key: 'status', content: 'Status', width: 8 },
    { key: 'progress', content: 'Progress', width: 18 },
    { key: 'verdict', content: 'On time?', width: 9 },
    { key: 'forecast', content: 'Forecast vs target', width: 14 },
    { key: 'epics', content: 'Epics', width: 6 },
  ],
};

function DestinationTable({ destinations, jql, loading }: { destinations: DestinationRollup[]; jql: Record<string, string>; loading: boolean }) {
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [page, setPage] = useState(1);
  const sorted = useMemo(() => [...destinations].sort((a, b) => a.priority - b.priority), [destinations]);
  useEffect(() => setPage(1), [destinations]);

  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  // Only the visible page becomes React elements; expanded epic lists render only when opened.
  const start = (page - 1) * ROWS_PER_PAGE;
  const rows = sorted.map((d, i) => {
    const visible = i >= start && i < start + ROWS_PER_PAGE;
    const q = jql[d.id];
    const offset = offsetText(d.forecast);
    const likely = d.forecast.range ? likelyText(d.forecast.range) : null;
    return {
      key: d.id,
      cells: visible
        ? [
            { key: 'priority', content: d.priority },
            {
              key: 'name',
              content: (
                <div>
                  <Button
                    appearance="subtle"
                    spacing="compact"
                    aria-expanded={expanded.has(d.id)}
                    aria-label={`${expanded.has(d.id) ? 'Hide' : 'Show'} epics of ${d.name}`}
                    onClick={() => toggle(d.id)}
                  >
                    {expanded.has(d.id) ? '▾' : '▸'}
                  </Button>{' '}
                  <strong>{d.name}</strong>
                  {expanded.has(d.id) && <EpicList destination={d} />}
                </div>
              ),
            },
            { key: 'owner', content: d.businessOwnerName },
            { key: 'status', content: <StatusLozenge status={d.status} /> },
            {
              key: 'progress',
              content: (
                <div style={{ display: 'flex', flexDirection: 'column', gap: token('space.050') }}>
                  <StackedProgress progress={d.progress.count} />
                  <span style={subtle}>
                    <JqlLink jql={q ? `(${unionJql([q]) ?? q}) AND statusCategory = Done` : undefined} label={`Done issues of ${d.name}`}>
                      {formatNumber(d.progress.count.done, 0)}
                    </JqlLink>
                    {' / '}
                    <JqlLink jql={q} label={`All issues of ${d.name}`}>{formatNumber(d.progress.count.total, 0)}</JqlLink> done
                  </span>
                </div>
              ),
            },
            { key: 'verdict', content: <VerdictLozenge verdict={d.verdict} /> },
            {
              key: 'forecast',
              content: (
                <div>
                  <div>{d.forecastDate ? formatDate(d.forecastDate) : d.forecast.range ? 'not within ten years' : 'no forecast'}</div>
                  <div style={subtle}>
                    target {formatDate(d.targetDate)}
                    {offset && <> · <span style={{ color: (d.forecast.daysLate ?? 0) > 0 ? token('color.text.danger') : undefined }}>{offset}</span></>}
                  </div>
                  {likely && <div style={subtle}>{likely}</div>}
                  {d.forecast.range && (
                    <div style={subtle}>
                      {chanceText(d.forecast.range.probabilityByTarget)} by the target date
                      <ForecastMethodTip range={d.forecast.range} windowWeeks={d.forecast.windowWeeks} />
                    </div>
                  )}
                </div>
              ),
            },
            { key: 'epics', content: <JqlLink jql={q} label={`Work of the ${d.epics} epics of ${d.name}`}>{d.epics}</JqlLink> },
          ]
        : [{ key: 'name', content: null }],
    };
  });

  return (
    <DynamicTable
      caption="Destinations by priority"
      head={head}
      rows={rows}
      rowsPerPage={ROWS_PER_PAGE}
      page={page}
      onSetPage={setPage}
      isLoading={loading}
      emptyView={<Empty header="No destination matches" description="Clear a filter, or ask a Jira administrator to create destinations." />}
    />
  );
}

const EPIC_STEP = 50;

function EpicList({ destination }: { destination: DestinationRollup }) {
  const { epicDetails, hiddenEpics } = destination;
  // Thousands of epics on one destination must not freeze the page: show them 50 at a time.
  const [limit, setLimit] = useState(EPIC_STEP);
  if (epicDetails.length === 0 && hiddenEpics === 0) return <p style={subtle}>No epic serves this destination yet.</p>;
  return (
    <div style={{ marginTop: token('space.100') }}>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: token('space.075') }}>
        {epicDetails.slice(0, limit).map((e) => (
          <li key={e.key} style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 90px', gap: token('space.100'), alignItems: 'center' }}>
            <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
              <IssueLink issueKey={e.key} /> {e.summary}
            </span>
            <StackedProgress progress={e.progress.count} />
          </li>
        ))}
      </ul>
      {epicDetails.length > limit && (
        <Button appearance="subtle" spacing="compact" onClick={() => setLimit(limit + EPIC_STEP)}>
          Show {Math.min(EPIC_STEP, epicDetails.length - limit)} more of {epicDetails.length - limit}
        </Button>
      )}
      {hiddenEpics > 0 && <p style={subtle}>{hiddenEpics} more you cannot see.</p>}
    </div>
  );
}

export function portfolioCsvRows(portfolio: Portfolio): Cell[][] {
  const header: Cell[] = [
    'Priority', 'Destination', 'Owner', 'Status', 'Done', 'In progress', 'To do', 'Total issues',
    'Done estimate', 'Total estimate', 'Unestimated issues', 'On time?', 'Forecast date', 'Target date', 'Days early', 'Days late', 'Epics',
    'Likely from', 'Likely to', 'Chance by target date',
  ];
  const rows = [...portfolio.destinations]
    .sort((a, b) => a.priority - b.priority)
    .map((d): Cell[] => [
      d.priority, d.name, d.businessOwnerName, d.status,
      d.progress.count.done, d.progress.count.indeterminate, d.progress.count.new, d.progress.count.total,
      d.progress.estimate.done, d.progress.estimate.total, d.progress.estimate.unestimated,
      d.verdict, d.forecastDate ?? '', d.targetDate, d.forecast.daysEarly ?? '', d.forecast.daysLate ?? '', d.epics,
      d.forecast.range?.likelyFrom ?? '', d.forecast.range?.likelyTo ?? '', d.forecast.range ? `${Math.round(d.forecast.range.probabilityByTarget * 100)}%` : '',
    ]);
  return [header, ...rows];
}

function exportCsv(portfolio: Portfolio): void {
  downloadCsv(`business-destinations-${portfolio.asOf}.csv`, portfolioCsvRows(portfolio));
}
