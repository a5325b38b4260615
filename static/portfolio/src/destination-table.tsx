/**
 * The destinations by priority, a page at a time: the backend sends one page of rows (`portfolio/get` with
 * `page`), and each row's epics are read when it is expanded (`portfolio/epics`).
 */
import { useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import { token } from '@atlaskit/tokens';
import { EPIC_PAGE_SIZE, type DestinationRollup, type Portfolio } from '../../../src/contract';
import { call } from '../../common/api';
import { Empty, ErrorMessage, ForecastMethodTip, IssueLink, JqlLink, StackedProgress, StatusLozenge, VerdictLozenge, subtle } from '../../common/components';
import { chanceText, formatDate, formatNumber, likelyText, offsetText } from '../../common/format';
import { useEpicPages } from './epic-pages';
import { doneJql } from './portfolio-unions';
import { RowFlags } from './row-flags';

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

/**
 * Rows of a page in the table's first render. A row is about 120 px tall and the table starts below the
 * headline, so this is as much of it as a tall screen shows; the page's other rows and the pager come one task
 * later, after the first paint. The page's 25 Atlaskit rows took about 300 ms to render on the 2-core
 * benchmark machine (`npm run bench:ui`), most of the way from the answer to the first row on screen.
 */
export const FIRST_PASS_ROWS = 6;

/** True for the table's first render only; turns false once the browser has painted it. */
function useFirstPass(): boolean {
  const [firstPass, setFirstPass] = useState(true);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A frame (the first pass is painted in it), then a task: the rest never delays that paint.
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => setFirstPass(false), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, []);
  return firstPass;
}

/** The id of a row's "Trip" button, so focus returns to it when the trip is closed. */
export const tripButtonId = (destinationId: string): string => `trip-${destinationId}`;

export function DestinationTable({ portfolio, page, onPage, loading, projectKey, onOpenTrip }: {
  portfolio: Portfolio;
  /** The page asked for; until its answer arrives the table shows it loading. */
  page: number;
  onPage: (page: number) => void;
  loading: boolean;
  projectKey: string | undefined;
  /** Opens the destination's trip over time (the detail view). */
  onOpenTrip: (destination: DestinationRollup) => void;
}) {
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const firstPass = useFirstPass();
  const { destinations, totalDestinations, pageSize } = portfolio;
  const jql = portfolio.jql.byDestination;

  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  // The answer holds one page: its rows sit at their place among empty ones, so the pager counts every row.
  // Only that page becomes React elements; an epic list is read and rendered only when opened. The table's
  // first render stops after FIRST_PASS_ROWS rows of the page (the pager, below them, follows with the rest).
  const start = (portfolio.page - 1) * pageSize;
  const byIndex = new Map(destinations.map((d, i) => [start + i, d]));
  const shown = firstPass ? Math.min(totalDestinations, start + FIRST_PASS_ROWS) : totalDestinations;
  const rows = Array.from({ length: shown }, (_, i) => {
    const d = byIndex.get(i);
    if (!d) return { key: `row-${i}`, cells: [{ key: 'name', content: null }] };
    const q = jql[d.id];
    const offset = offsetText(d.forecast);
    const likely = d.forecast.range ? likelyText(d.forecast.range) : null;
    return {
      key: d.id,
      cells: [
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
              <strong>{d.name}</strong>{' '}
              <Button appearance="subtle" spacing="compact" id={tripButtonId(d.id)} aria-label={`Trip of ${d.name}`} onClick={() => onOpenTrip(d)}>
                Trip
              </Button>
              <RowFlags destination={d} />
              {expanded.has(d.id) && <EpicList destination={d} projectKey={projectKey} />}
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
                <JqlLink jql={doneJql(q)} label={`Done issues of ${d.name}`}>
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
      ],
    };
  });

  return (
    <DynamicTable
      caption="Destinations by priority"
      head={head}
      rows={rows}
      rowsPerPage={pageSize}
      page={page}
      onSetPage={onPage}
      isLoading={loading}
      emptyView={<Empty header="No destination matches" description="Clear a filter, or ask a Jira administrator to create destinations." />}
    />
  );
}

function EpicList({ destination, projectKey }: { destination: DestinationRollup; projectKey: string | undefined }) {
  const { id, name } = destination;
  const { epics, last, failure, loading, more, retry } = useEpicPages((offset) =>
    call('portfolio/epics', { destinationId: id, offset, ...(projectKey !== undefined ? { projectKey } : {}) }),
  );
  if (failure) return <ErrorMessage failure={failure} title={`The epics of ${name} could not be loaded`} onRetry={retry} />;
  if (last === null) return <p style={subtle} aria-busy="true">Loading the epics…</p>;
  if (epics.length === 0 && last.hiddenEpics === 0) return <p style={subtle}>No epic serves this destination yet.</p>;
  const left = last.total - epics.length;
  return (
    <div style={{ marginTop: token('space.100') }}>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: token('space.075') }}>
        {epics.map((e) => (
          <li key={e.key} style={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) 90px', gap: token('space.100'), alignItems: 'center' }}>
            <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
              <IssueLink issueKey={e.key} /> {e.summary}
            </span>
            <StackedProgress progress={e.progress.count} />
          </li>
        ))}
      </ul>
      {/* Thousands of epics on one destination must not freeze the page: they come 50 at a time. */}
      {last.nextOffset !== null && (
        <Button appearance="subtle" spacing="compact" onClick={more} isLoading={loading}>
          Show {Math.min(EPIC_PAGE_SIZE, left)} more of {left}
        </Button>
      )}
      {last.hiddenEpics > 0 && <p style={subtle}>{last.hiddenEpics} more you cannot see.</p>}
    </div>
  );
}
