/** The destinations by priority, a page at a time, each with its epics on demand. */
import { useEffect, useMemo, useState } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import { token } from '@atlaskit/tokens';
import type { DestinationRollup } from '../../../src/contract';
import { Empty, ForecastMethodTip, IssueLink, JqlLink, StackedProgress, StatusLozenge, VerdictLozenge, subtle } from '../../common/components';
import { chanceText, formatDate, formatNumber, likelyText, offsetText } from '../../common/format';
import { doneJql } from './portfolio-unions';

export const ROWS_PER_PAGE = 25;

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

export function DestinationTable({ destinations, jql, loading }: { destinations: DestinationRollup[]; jql: Record<string, string>; loading: boolean }) {
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
