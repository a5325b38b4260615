/**
 * What every chart shares: the frame (an SVG that says what it shows in one sentence, for screen readers,
 * and a "Table" toggle showing the same figures as a table), calendar-date scales and the chart colours.
 * Colours are Atlaskit design tokens only, so the charts follow the light and the dark theme.
 */
import { useState, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import { getLocale } from '../format';
import { CHART_COLOR } from './colors';

export { CHART_COLOR, STATUS_COLOR } from './colors';

/** A calendar date (`2026-12-01`, no time zone) as a UTC instant, so every reader places it on the same day. */
export const dayOf = (iso: string): Date => new Date(`${iso.slice(0, 10)}T00:00:00Z`);

/** A short axis label ("Dec 1"), in the reader's locale. */
export const shortDate = (d: Date): string =>
  new Intl.DateTimeFormat(getLocale(), { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(d);

export const axisLabelProps = () => ({ fill: CHART_COLOR.label, fontSize: 11, fontFamily: 'inherit' });

export interface ChartTable {
  caption: string;
  head: string[];
  rows: Array<{ key: string; cells: ReactNode[] }>;
}

const cellStyle = {
  padding: `${token('space.050')} ${token('space.100')}`,
  borderBottom: `1px solid ${token('color.border')}`,
  textAlign: 'left' as const,
  font: token('font.body.small'),
};

/**
 * A chart with its text alternative: `summary` is the SVG's accessible name (one sentence), and the
 * "Table" toggle swaps the drawing for a table of the same figures (for reading exact values, and for
 * anyone who cannot see the drawing).
 */
export function ChartFrame({
  title,
  summary,
  width,
  height,
  table,
  legend,
  compact = false,
  testId,
  interactive = false,
  children,
}: {
  title: string;
  summary: string;
  width: number;
  height: number;
  table: ChartTable;
  legend?: ReactNode;
  compact?: boolean;
  testId: string;
  /** The drawing holds links: a named group (an image's content is hidden from assistive technology). */
  interactive?: boolean;
  children: ReactNode;
}) {
  const [asTable, setAsTable] = useState(false);
  // Compact (the epic panel) keeps the title, the table toggle and the legend, only smaller: the toggle is
  // the chart's text alternative and the legend how its marks are read, wherever it is drawn.
  return (
    <figure data-testid={testId} style={{ margin: 0, display: 'flex', flexDirection: 'column', gap: token(compact ? 'space.050' : 'space.100') }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: token('space.100') }}>
        <figcaption style={{ font: token(compact ? 'font.body.small' : 'font.heading.xsmall'), color: token(compact ? 'color.text.subtle' : 'color.text') }}>{title}</figcaption>
        <Button appearance="subtle" spacing="compact" aria-pressed={asTable} onClick={() => setAsTable(!asTable)}>
          {asTable ? 'Chart' : 'Table'}
        </Button>
      </div>
      {asTable ? (
        // A long table scrolls: focusable and named, so the keyboard can scroll it too.
        <div role="region" aria-label={`${title}: table`} tabIndex={0} style={{ maxHeight: compact ? 220 : 360, overflow: 'auto' }}>
          <table style={{ borderCollapse: 'collapse', width: '100%', color: token('color.text') }} data-testid={`${testId}-table`}>
            <caption style={{ textAlign: 'left', font: token('font.body.small'), color: token('color.text.subtle') }}>{table.caption}</caption>
            <thead>
              <tr>
                {table.head.map((h) => (
                  <th key={h} scope="col" style={{ ...cellStyle, fontWeight: token('font.weight.semibold') }}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={r.key}>
                  {r.cells.map((c, i) => (
                    <td key={i} style={cellStyle}>{c}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <>
          <svg
            role={interactive ? 'group' : 'img'}
            aria-label={summary}
            viewBox={`0 0 ${width} ${height}`}
            width="100%"
            style={{ maxWidth: width, height: 'auto', display: 'block', overflow: 'visible' }}
          >
            {children}
          </svg>
          {legend}
        </>
      )}
    </figure>
  );
}

/** A legend entry: a swatch (line, band or dot) and its words. */
export function LegendItem({ color, label, kind = 'line', dashed = false }: { color: string; label: string; kind?: 'line' | 'band' | 'dot' | 'square'; dashed?: boolean }) {
  const swatch =
    kind === 'line' ? (
      <line x1={0} y1={6} x2={16} y2={6} stroke={color} strokeWidth={2} strokeDasharray={dashed ? '4 3' : undefined} />
    ) : kind === 'band' ? (
      <rect x={0} y={1} width={16} height={10} fill={color} fillOpacity={0.25} />
    ) : kind === 'square' ? (
      <rect x={3} y={1} width={10} height={10} fill={color} />
    ) : (
      <circle cx={8} cy={6} r={5} fill={color} />
    );
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: token('space.050') }}>
      <svg width={16} height={12} aria-hidden="true">{swatch}</svg>
      {label}
    </span>
  );
}

export function Legend({ children }: { children: ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: token('space.150'), flexWrap: 'wrap', font: token('font.body.small'), color: token('color.text.subtle') }}>
      {children}
    </div>
  );
}
