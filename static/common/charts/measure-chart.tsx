/**
 * The success measure over time: the values people gave with their check-ins, against the measure's
 * baseline and target (horizontal lines).
 */
import { AxisBottom, AxisLeft } from '@visx/axis';
import { scaleLinear, scaleUtc } from '@visx/scale';
import { Line, LinePath } from '@visx/shape';
import type { CheckInView, SuccessMeasure } from '../../../src/contract';
import { formatDate, formatNumber } from '../format';
import { ROLE_LABEL } from '../labels';
import { measureSummary, withUnit, type Reading } from './summaries';
import { axisLabelProps, CHART_COLOR, ChartFrame, dayOf, Legend, LegendItem, shortDate } from './chart-kit';

const SIZE = { width: 720, height: 220, margin: { top: 16, right: 24, bottom: 32, left: 56 } };

export function MeasureChart({ measure, checkIns }: { measure: SuccessMeasure; checkIns: readonly CheckInView[] }) {
  const { width, height, margin } = SIZE;
  const readings = checkIns
    .filter((c): c is Reading => typeof c.measure === 'number')
    .slice()
    .sort((a, b) => (a.at < b.at ? -1 : 1));
  const times = readings.map((r) => dayOf(r.at).getTime());
  const now = Date.now();
  const x = scaleUtc({
    domain: times.length ? [new Date(Math.min(...times) - 7 * 864e5), new Date(Math.max(...times) + 7 * 864e5)] : [new Date(now - 28 * 864e5), new Date(now)],
    range: [margin.left, width - margin.right],
  });
  const values = [measure.baseline, measure.target, ...readings.map((r) => r.measure)];
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.1;
  const y = scaleLinear({ domain: [lo - pad, hi + pad], range: [height - margin.bottom, margin.top], nice: true });
  const table = {
    caption: measureSummary(measure, readings),
    head: ['Date', `Value${measure.unit ? ` (${measure.unit})` : ''}`, 'Given by'],
    rows: readings.map((r) => ({ key: `${r.role}-${r.at}`, cells: [formatDate(r.at), formatNumber(r.measure, 2), `${r.byName} (${ROLE_LABEL[r.role].toLowerCase()})`] })),
  };
  const legend = (
    <Legend>
      <LegendItem color={CHART_COLOR.measure} label={measure.name} />
      <LegendItem color={CHART_COLOR.baseline} label={`Baseline ${withUnit(measure.baseline, measure.unit)}`} dashed />
      <LegendItem color={CHART_COLOR.goal} label={`Target ${withUnit(measure.target, measure.unit)}`} dashed />
    </Legend>
  );
  const hLine = (v: number, color: string) => (
    <Line from={{ x: margin.left, y: y(v) }} to={{ x: width - margin.right, y: y(v) }} stroke={color} strokeWidth={1.5} strokeDasharray="6 4" />
  );
  return (
    <ChartFrame title={`${measure.name}, as given with check-ins`} summary={measureSummary(measure, readings)} width={width} height={height} table={table} legend={legend} testId="measure-chart">
      {hLine(measure.baseline, CHART_COLOR.baseline)}
      {hLine(measure.target, CHART_COLOR.goal)}
      <LinePath<Reading> data={readings} x={(r) => x(dayOf(r.at))} y={(r) => y(r.measure)} stroke={CHART_COLOR.measure} strokeWidth={2} />
      {readings.map((r) => (
        <circle key={`${r.role}-${r.at}`} cx={x(dayOf(r.at))} cy={y(r.measure)} r={4} fill={CHART_COLOR.measure}>
          <title>{`${formatDate(r.at)}: ${withUnit(r.measure, measure.unit)} (${r.byName})`}</title>
        </circle>
      ))}
      {/* The axes are drawing only: the summary and the table carry the figures. */}
      <g aria-hidden="true">
        <AxisBottom top={height - margin.bottom} scale={x} numTicks={5} tickFormat={(d) => shortDate(d as Date)} stroke={CHART_COLOR.axis} tickStroke={CHART_COLOR.axis} tickLabelProps={axisLabelProps} />
        <AxisLeft left={margin.left} scale={y} numTicks={4} stroke={CHART_COLOR.axis} tickStroke={CHART_COLOR.axis} tickLabelProps={axisLabelProps} />
      </g>
    </ChartFrame>
  );
}
