/**
 * The panel's compact burn-up of the epic's destination: done and scope over time and the target date, in a
 * small SVG drawn with @visx (shape, scale, group). Its own lazy chunk: the panel's first paint does not
 * carry it. A text summary is the chart's accessible name, and the same points can be read as a table.
 * The portfolio's full chart (forecast band, check-in markers) is in static/common/charts/.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { token } from '@atlaskit/tokens';
import { Group } from '@visx/group';
import { scaleLinear } from '@visx/scale';
import { Line, LinePath } from '@visx/shape';
import type { BurnUpPoint, TripHistory } from '../../../src/contract';
import { subtle } from '../../common/components';
import { formatDate, formatNumber } from '../../common/format';
import { burnUpSummary, chartSpan } from './trip-text';

const WIDTH = 320;
const HEIGHT = 120;
const MARGIN = { top: 14, right: 8, bottom: 16, left: 8 };

const COLORS = {
  done: token('color.chart.success.bold'),
  scope: token('color.chart.neutral'),
  target: token('color.chart.danger.bold'),
  axis: token('color.border'),
  text: token('color.text.subtle'),
};

// Days as UTC milliseconds on a linear scale: a time scale would bring d3's calendar and date formats
// (its ticks), which this chart does not draw; the few dates it writes come from `formatDate`.
const day = (iso: string): number => Date.parse(`${iso.slice(0, 10)}T00:00:00Z`);

export function CompactBurnUp({ history, name }: { history: TripHistory; name: string }) {
  const [asTable, setAsTable] = useState(false);
  const { points } = history.burnUp;
  const summary = burnUpSummary(name, history);
  return (
    <section aria-label="Burn-up" data-testid="compact-burn-up" style={{ display: 'flex', flexDirection: 'column', gap: token('space.075') }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: token('space.100'), flexWrap: 'wrap' }}>
        <Heading size="xsmall" as="h3">Burn-up of the destination</Heading>
        {points.length > 0 && (
          <Button spacing="compact" onClick={() => setAsTable((t) => !t)}>
            {asTable ? 'Show as chart' : 'Show as table'}
          </Button>
        )}
      </div>
      {points.length === 0 ? (
        <p style={{ ...subtle, margin: 0 }}>{summary}</p>
      ) : asTable ? (
        <BurnUpTable points={points} name={name} />
      ) : (
        <>
          <Chart points={points} targetDate={history.targetDate} summary={summary} />
          <Legend />
        </>
      )}
      {history.limits.length > 0 && (
        <details style={subtle}>
          <summary>What this chart cannot know</summary>
          <ul style={{ margin: 0, paddingLeft: token('space.200') }}>
            {history.limits.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function Chart({ points, targetDate, summary }: { points: BurnUpPoint[]; targetDate: string; summary: string }) {
  const [from, to] = chartSpan(points[0]!.date, points[points.length - 1]!.date, targetDate);
  const last = day(points[points.length - 1]!.date);
  const target = day(targetDate);
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = scaleLinear<number>({
    domain: [day(from), day(to)],
    range: [0, innerWidth],
  });
  const top = Math.max(1, ...points.map((p) => p.scope));
  const y = scaleLinear<number>({ domain: [0, top], range: [innerHeight, 0], nice: true });
  const targetX = x(target);
  return (
    <svg role="img" aria-label={summary} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" style={{ display: 'block', maxWidth: WIDTH * 1.5 }}>
      <Group left={MARGIN.left} top={MARGIN.top}>
        <Line from={{ x: 0, y: innerHeight }} to={{ x: innerWidth, y: innerHeight }} stroke={COLORS.axis} strokeWidth={1} />
        <LinePath<BurnUpPoint> data={points} x={(p) => x(day(p.date))} y={(p) => y(p.scope)} stroke={COLORS.scope} strokeWidth={2} strokeDasharray="4 2" />
        <LinePath<BurnUpPoint> data={points} x={(p) => x(day(p.date))} y={(p) => y(p.done)} stroke={COLORS.done} strokeWidth={2} />
        <Line from={{ x: targetX, y: -4 }} to={{ x: targetX, y: innerHeight }} stroke={COLORS.target} strokeWidth={1.5} />
        <text x={targetX} y={-5} fontSize={9} fill={COLORS.text} textAnchor={targetX > innerWidth / 2 ? 'end' : 'start'}>
          Target {formatDate(targetDate)}
        </text>
        <text x={0} y={innerHeight + 12} fontSize={9} fill={COLORS.text}>
          {formatDate(points[0]!.date)}
        </text>
        <text x={x(last)} y={innerHeight + 12} fontSize={9} fill={COLORS.text} textAnchor="end">
          {formatDate(points[points.length - 1]!.date)}
        </text>
      </Group>
    </svg>
  );
}

function Legend() {
  const item = (label: string, color: string, dashed = false) => (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: token('space.050') }}>
      <svg aria-hidden width={16} height={8}>
        <line x1={0} y1={4} x2={16} y2={4} stroke={color} strokeWidth={2} strokeDasharray={dashed ? '4 2' : undefined} />
      </svg>
      {label}
    </span>
  );
  return (
    <div style={{ ...subtle, display: 'flex', gap: token('space.150'), flexWrap: 'wrap' }}>
      {item('Done', COLORS.done)}
      {item('Scope', COLORS.scope, true)}
      {item('Target date', COLORS.target)}
    </div>
  );
}

function BurnUpTable({ points, name }: { points: BurnUpPoint[]; name: string }) {
  const cell = { padding: `${token('space.025')} ${token('space.075')}`, textAlign: 'right' } as const;
  return (
    // Scrolls within the panel; focusable so a keyboard can scroll it too.
    <div tabIndex={0} role="region" aria-label="Burn-up table" style={{ maxHeight: 200, overflowY: 'auto' }}>
      <table style={{ borderCollapse: 'collapse', width: '100%', font: token('font.body.small') }}>
        <caption style={{ ...subtle, textAlign: 'left' }}>Issues done and in scope of {name}, by date</caption>
        <thead>
          <tr>
            <th scope="col" style={{ ...cell, textAlign: 'left' }}>Date</th>
            <th scope="col" style={cell}>Done</th>
            <th scope="col" style={cell}>Scope</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.date} style={{ borderTop: `1px solid ${token('color.border')}` }}>
              <th scope="row" style={{ ...cell, textAlign: 'left', fontWeight: 'normal' }}>{formatDate(p.date)}</th>
              <td style={cell}>{formatNumber(p.done, 0)}</td>
              <td style={cell}>{formatNumber(p.scope, 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
