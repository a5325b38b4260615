/**
 * The scenery trend: the off-route share of work in flight, week by week. Each point is a link to the
 * week's off-route work in Jira's issue navigator (the same navigation as every JQL link of the portfolio);
 * weeks reconstructed from dates (before the app kept snapshots) are drawn hollow.
 */
import { AxisBottom, AxisLeft } from '@visx/axis';
import { scaleLinear, scaleUtc } from '@visx/scale';
import { LinePath } from '@visx/shape';
import { token } from '@atlaskit/tokens';
import type { SceneryTrend } from '../../../src/contract';
import { JqlLink, jqlUrl, openJql } from '../components';
import { formatDate, formatNumber } from '../format';
import { scenerySummary } from './summaries';
import { axisLabelProps, CHART_COLOR, ChartFrame, dayOf, Legend, LegendItem, shortDate } from './chart-kit';

const SIZE = { width: 720, height: 220, margin: { top: 16, right: 24, bottom: 32, left: 48 } };

type Point = SceneryTrend['points'][number];

const shareText = (p: Point) => (p.share === null ? 'nothing in flight' : `${p.share}% off-route (${formatNumber(p.offRoute, 0)} of ${formatNumber(p.inFlight, 0)} in flight)`);

export function SceneryChart({ trend }: { trend: SceneryTrend }) {
  const { width, height, margin } = SIZE;
  const points = trend.points;
  const times = points.map((p) => dayOf(p.weekEnd).getTime());
  const x = scaleUtc({ domain: [new Date(Math.min(...times)), new Date(Math.max(...times))], range: [margin.left, width - margin.right] });
  const top = Math.max(10, ...points.map((p) => p.share ?? 0));
  const y = scaleLinear({ domain: [0, Math.min(100, top * 1.1)], range: [height - margin.bottom, margin.top], nice: true });
  const table = {
    caption: `${scenerySummary(trend)} ${trend.limits}`,
    head: ['Week to', 'In flight', 'Off-route', 'Share', 'From'],
    rows: points.map((p) => ({
      key: p.weekEnd,
      cells: [
        formatDate(p.weekEnd),
        formatNumber(p.inFlight, 0),
        <JqlLink key="jql" jql={p.jql} label={`Off-route work in the week to ${formatDate(p.weekEnd)}`}>{formatNumber(p.offRoute, 0)}</JqlLink>,
        p.share === null ? '—' : `${p.share}%`,
        p.reconstructed ? 'dates' : 'snapshot',
      ],
    })),
  };
  const legend = (
    <Legend>
      <LegendItem color={CHART_COLOR.share} label="Off-route share of work in flight" />
      <span>Hollow points: reconstructed from dates.</span>
    </Legend>
  );
  return (
    <ChartFrame title="Off-route share by week" summary={scenerySummary(trend)} width={width} height={height} table={table} legend={legend} testId="scenery-chart" interactive>
      <LinePath<Point> data={points} defined={(p) => p.share !== null} x={(p) => x(dayOf(p.weekEnd))} y={(p) => y(p.share ?? 0)} stroke={CHART_COLOR.share} strokeWidth={2} />
      {points.map((p) =>
        p.share === null ? null : (
          // Each point opens the week's off-route work; an SVG link is focusable, so the keyboard reaches it.
          <a
            key={p.weekEnd}
            href={jqlUrl(p.jql)}
            aria-label={`Week to ${formatDate(p.weekEnd)}: ${shareText(p)}. Open in Jira.`}
            data-testid="scenery-point"
            onClick={(e) => {
              e.preventDefault();
              openJql(p.jql);
            }}
          >
            <circle
              cx={x(dayOf(p.weekEnd))}
              cy={y(p.share)}
              r={5}
              fill={p.reconstructed ? token('elevation.surface') : CHART_COLOR.share}
              stroke={CHART_COLOR.share}
              strokeWidth={2}
            >
              <title>{`Week to ${formatDate(p.weekEnd)}: ${shareText(p)}`}</title>
            </circle>
          </a>
        ),
      )}
      {/* The axes are drawing only: the summary and the table carry the figures. */}
      <g aria-hidden="true">
        <AxisBottom top={height - margin.bottom} scale={x} numTicks={6} tickFormat={(d) => shortDate(d as Date)} stroke={CHART_COLOR.axis} tickStroke={CHART_COLOR.axis} tickLabelProps={axisLabelProps} />
        <AxisLeft left={margin.left} scale={y} numTicks={4} tickFormat={(v) => `${String(v)}%`} stroke={CHART_COLOR.axis} tickStroke={CHART_COLOR.axis} tickLabelProps={axisLabelProps} />
      </g>
    </ChartFrame>
  );
}
