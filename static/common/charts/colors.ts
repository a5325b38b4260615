/** The charts' colours, design tokens only (light and dark): also used for the status dots beside charts. */
import { token } from '@atlaskit/tokens';
import type { CheckInStatus } from '../../../src/contract';

export const CHART_COLOR = {
  done: token('color.chart.success.bold'),
  scope: token('color.chart.neutral'),
  target: token('color.chart.danger.bold'),
  pace: token('color.chart.danger'),
  band: token('color.chart.information'),
  forecast: token('color.chart.information.bold'),
  today: token('color.chart.gray.bold'),
  measure: token('color.chart.brand'),
  baseline: token('color.chart.gray.bold'),
  goal: token('color.chart.success.bold'),
  share: token('color.chart.warning.bold'),
  axis: token('color.border'),
  label: token('color.text.subtle'),
} as const;

export const STATUS_COLOR: Readonly<Record<CheckInStatus, string>> = {
  'on track': token('color.chart.success.bold'),
  'at risk': token('color.chart.warning.bold'),
  'off track': token('color.chart.danger.bold'),
};
