/** Medians and maxima of the runs, and the printed table. */
import type { Sample } from './views';

export interface Summary {
  median: number;
  max: number;
}

export interface ViewResult {
  runs: number;
  metrics: Record<string, Summary>;
  samples: Sample[];
  /** Runs tried again because the page showed an error (what it said). */
  failures?: string[];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Per metric over the runs that have it (a metric no run has is left out). */
export function summarise(samples: Sample[]): ViewResult {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s)))];
  const metrics: Record<string, Summary> = {};
  for (const name of names) {
    const values = samples.map((s) => s[name]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length) metrics[name] = { median: round(median(values)), max: round(Math.max(...values)) };
  }
  return { runs: samples.length, metrics, samples: samples.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v === null ? null : round(v)]))) };
}

const round = (n: number): number => Math.round(n * 10) / 10;

/** The columns of the printed table: a label and the metric it shows (first one a view has). */
const COLUMNS: Array<{ label: string; metrics: string[]; digits?: number }> = [
  { label: 'first row / content (frame)', metrics: ['firstRowFrame', 'contentFrame'] },
  { label: '(shell)', metrics: ['firstRowShell', 'contentShell'] },
  { label: 'all rows (frame)', metrics: ['allRowsFrame'] },
  { label: '(shell)', metrics: ['allRowsShell'] },
  { label: 'click to paint', metrics: ['switchMs', 'expandMs'] },
  { label: 'frame created (shell)', metrics: ['frameCreatedShell'] },
  { label: 'invoke sent (frame)', metrics: ['invokeSentFrame'] },
  { label: 'answer ms', metrics: ['answerMs'] },
  { label: 'answer KB', metrics: ['answerKB'] },
  { label: 'click KB', metrics: ['interactionKB'] },
  { label: 'long tasks ms', metrics: ['longTaskMs'] },
  { label: 'heap MB', metrics: ['heapMB'], digits: 1 },
];

function cell(result: ViewResult, metrics: string[], digits = 0): string {
  const name = metrics.find((m) => result.metrics[m]);
  const s = name ? result.metrics[name] : undefined;
  if (!s) return '-';
  const f = (n: number) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f(s.median)} / ${f(s.max)}`;
}

/** A Markdown table, medians / maxima, one row per view. */
export function table(views: Record<string, ViewResult>): string {
  const lines = [`| view | ${COLUMNS.map((c) => c.label).join(' | ')} |`, `|---|${COLUMNS.map(() => '---').join('|')}|`];
  for (const [name, result] of Object.entries(views)) lines.push(`| ${name} | ${COLUMNS.map((c) => cell(result, c.metrics, c.digits)).join(' | ')} |`);
  return lines.join('\n');
}
