/**
 * A destination's burn-up: done and scope over time, the target date as a vertical line, the pace to the
 * target (from the first day's done to today's scope on the target date) as a dashed line, today's likely
 * forecast range as a band ahead of today, and check-ins as markers (circle: business owner, square:
 * delivery lead; coloured by what they said). `compact` (the epic panel, about 700 px wide) draws it shorter,
 * with fewer ticks, the same marks, legend and table toggle; the SVG scales down to narrower containers.
 */
import { useState } from 'react';
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { scaleLinear, scaleUtc } from '@visx/scale';
import { Line, LinePath } from '@visx/shape';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type { BurnUpPoint, CheckInView, TripHistory } from '../../../src/contract';
import { formatDate, formatNumber, likelyText } from '../format';
import { CHECK_IN_STATUS_LABEL, ROLE_LABEL } from '../labels';
import { burnUpSummary, doneOf, scopeOf, targetPace, type BurnUpMeasure } from './summaries';
import { axisLabelProps, CHART_COLOR, ChartFrame, dayOf, Legend, LegendItem, shortDate, STATUS_COLOR } from './chart-kit';

export type { BurnUpMeasure };

export interface BurnUpChartProps {
  history: Pick<TripHistory, 'burnUp' | 'targetDate' | 'asOf' | 'forecast' | 'limits'>;
  checkIns?: readonly CheckInView[];
  compact?: boolean;
  /** Whose trip, for the accessible summary ("the burn-up of Faster payouts"). */
  name: string;
}

const FULL = { width: 720, height: 300, margin: { top: 24, right: 24, bottom: 32, left: 48 } };
const SMALL = { width: 640, height: 170, margin: { top: 16, right: 12, bottom: 24, left: 32 } };

export function BurnUpChart(props: BurnUpChartProps) {
  const { history, checkIns = [], compact = false } = props;
  const [measure, setMeasure] = useState<BurnUpMeasure>('count');
  const { width, height, margin } = compact ? SMALL : FULL;
  const points = history.burnUp.points;
  const range = history.forecast.range ?? null;
  const hasEstimates = points.some((p) => p.scopeEstimate > 0);

  const ends = [history.asOf, history.targetDate, range?.likelyTo, range?.likelyFrom, history.forecast.forecastDate, points[0]?.date]
    .filter((d): d is string => !!d)
    .map(dayOf);
  const start = points[0] ? dayOf(points[0].date) : new Date(Math.min(...ends.map((d) => d.getTime())));
  const end = new Date(Math.max(...ends.map((d) => d.getTime())));
  const x = scaleUtc({ domain: [start, end], range: [margin.left, width - margin.right] });
  const top = Math.max(1, ...points.map((p) => scopeOf(p, measure)));
  const y = scaleLinear({ domain: [0, top * 1.08], range: [height - margin.bottom, margin.top], nice: true });
  const X = (iso: string) => x(dayOf(iso));
  const bandFrom = range?.likelyFrom && range.likelyFrom > history.asOf ? range.likelyFrom : history.asOf;
  const markerY = margin.top - (compact ? 5 : 12);
  const pace = targetPace(history, measure);

  const unit = measure === 'count' ? 'issues' : 'estimate';
  const table = {
    caption: `${burnUpSummary(props, measure)} ${history.limits.join(' ')}`,
    head: ['Date', `Done (${unit})`, `Scope (${unit})`],
    rows: points.map((p) => ({ key: p.date, cells: [formatDate(p.date), formatNumber(doneOf(p, measure)), formatNumber(scopeOf(p, measure))] })),
  };
  const legend = (
    <Legend>
      <LegendItem color={CHART_COLOR.done} label="Done" />
      <LegendItem color={CHART_COLOR.scope} label="Scope" />
      <LegendItem color={CHART_COLOR.target} label={`Target ${formatDate(history.targetDate)}`} dashed />
      {pace && <LegendItem color={CHART_COLOR.pace} label="Pace to the target" dashed />}
      {range && <LegendItem color={CHART_COLOR.band} label="Likely forecast range" kind="band" />}
      {checkIns.length > 0 && (
        <>
          <LegendItem color={STATUS_COLOR['on track']} label="Check-in: on track" kind="dot" />
          <LegendItem color={STATUS_COLOR['at risk']} label="at risk" kind="dot" />
          <LegendItem color={STATUS_COLOR['off track']} label="off track" kind="dot" />
          <span>(circle: owner, square: lead)</span>
        </>
      )}
    </Legend>
  );

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: token('space.050') }}>
      {!compact && hasEstimates && (
        <div role="group" aria-label="Measure the burn-up by" style={{ display: 'flex', gap: token('space.050') }}>
          <Button appearance="subtle" spacing="compact" isSelected={measure === 'count'} aria-pressed={measure === 'count'} onClick={() => setMeasure('count')}>
            Issue count
          </Button>
          <Button appearance="subtle" spacing="compact" isSelected={measure === 'estimate'} aria-pressed={measure === 'estimate'} onClick={() => setMeasure('estimate')}>
            Estimate
          </Button>
        </div>
      )}
      <ChartFrame
        title={`Done and scope, ${history.burnUp.step === 'week' ? 'week by week' : 'day by day'} (${unit})`}
        summary={burnUpSummary(props, measure)}
        width={width}
        height={height}
        table={table}
        legend={legend}
        compact={compact}
        testId="burn-up-chart"
      >
        {range?.likelyTo && (
          <rect
            data-testid="forecast-band"
            x={X(bandFrom)}
            y={margin.top}
            width={Math.max(2, X(range.likelyTo) - X(bandFrom))}
            height={height - margin.top - margin.bottom}
            fill={CHART_COLOR.band}
            fillOpacity={0.22}
          >
            <title>{likelyText(range)}</title>
          </rect>
        )}
        <Line from={{ x: X(history.asOf), y: margin.top }} to={{ x: X(history.asOf), y: height - margin.bottom }} stroke={CHART_COLOR.today} strokeWidth={1} strokeDasharray="2 3" />
        <Line
          data-testid="target-line"
          from={{ x: X(history.targetDate), y: margin.top - 4 }}
          to={{ x: X(history.targetDate), y: height - margin.bottom }}
          stroke={CHART_COLOR.target}
          strokeWidth={2}
          strokeDasharray="6 4"
        />
        <text x={X(history.targetDate) + 4} y={height - margin.bottom - 6} fill={CHART_COLOR.label} fontSize={11}>
          Target
        </text>
        {history.forecast.forecastDate && (
          <Line
            from={{ x: X(history.forecast.forecastDate), y: margin.top }}
            to={{ x: X(history.forecast.forecastDate), y: height - margin.bottom }}
            stroke={CHART_COLOR.forecast}
            strokeWidth={1}
          />
        )}
        {pace && (
          // Where done had to be to arrive on time: a done line under it is falling behind.
          <Line
            data-testid="target-pace"
            from={{ x: X(pace.from.date), y: y(pace.from.value) }}
            to={{ x: X(pace.to.date), y: y(pace.to.value) }}
            stroke={CHART_COLOR.pace}
            strokeWidth={1.5}
            strokeDasharray="4 3"
          />
        )}
        <LinePath<BurnUpPoint> data={points} x={(p) => X(p.date)} y={(p) => y(scopeOf(p, measure))} stroke={CHART_COLOR.scope} strokeWidth={2} />
        <LinePath<BurnUpPoint> data={points} x={(p) => X(p.date)} y={(p) => y(doneOf(p, measure))} stroke={CHART_COLOR.done} strokeWidth={2.5} />
        <Group data-testid="check-in-markers">
          {checkIns.map((c) => {
            const r = compact ? 4 : 5;
            // An owner and a lead checking in on the same day would cover each other: they sit side by side.
            const shared = checkIns.some((o) => o.role !== c.role && o.at.slice(0, 10) === c.at.slice(0, 10));
            const cx = X(c.at.slice(0, 10)) + (shared ? (c.role === 'owner' ? -(r + 1) : r + 1) : 0);
            const cy = markerY;
            const title = `${ROLE_LABEL[c.role]} ${c.byName}, ${formatDate(c.at)}: ${CHECK_IN_STATUS_LABEL[c.status]}${c.note ? `. ${c.note}` : ''}`;
            return c.role === 'owner' ? (
              <circle key={`${c.role}-${c.at}`} cx={cx} cy={cy} r={r} fill={STATUS_COLOR[c.status]} stroke={token('elevation.surface')} strokeWidth={1}>
                <title>{title}</title>
              </circle>
            ) : (
              <rect key={`${c.role}-${c.at}`} x={cx - r} y={cy - r} width={r * 2} height={r * 2} fill={STATUS_COLOR[c.status]} stroke={token('elevation.surface')} strokeWidth={1}>
                <title>{title}</title>
              </rect>
            );
          })}
        </Group>
        {/* The axes are drawing only: the summary and the table carry the figures. */}
        <g aria-hidden="true">
          <AxisBottom top={height - margin.bottom} scale={x} numTicks={compact ? 4 : 6} tickFormat={(d) => shortDate(d as Date)} stroke={CHART_COLOR.axis} tickStroke={CHART_COLOR.axis} tickLabelProps={axisLabelProps} />
          <AxisLeft left={margin.left} scale={y} numTicks={compact ? 3 : 5} stroke={CHART_COLOR.axis} tickStroke={CHART_COLOR.axis} tickLabelProps={axisLabelProps} />
        </g>
      </ChartFrame>
    </div>
  );
}
