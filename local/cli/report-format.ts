/**
 * The report's text: the portfolio table, the off-route line, what the owner and the lead say beside what
 * the data says (with the disagreement's reason), and the warnings. Pure, so it is tested without a site.
 */
import type { CheckInSummary, DestinationRollup, ForecastRange, Portfolio } from '../../src/contract';

function pct(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** The chance of arriving by the target, in the whole percent the verdict is read from. */
function chance(probability: number): string {
  return `${Math.round(probability * 100)}%`;
}

function likely(range: ForecastRange | null | undefined): string {
  if (!range?.likelyFrom) return '-';
  return `${range.likelyFrom}..${range.likelyTo ?? 'later'}`;
}

function days(n: number | null): string {
  return n === null ? '-' : String(n);
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function formatPortfolio(p: Portfolio, viewer: string): string {
  const rows = [['#', 'ID', 'DESTINATION', 'OWNER', 'STATUS', 'TARGET', 'FORECAST', 'LIKELY', 'EARLY', 'LATE', 'CHANCE', 'VERDICT', 'EPICS', 'DONE/TOTAL', 'IN PROG', 'EST DONE/TOTAL', 'UNEST']];
  for (const d of p.destinations) {
    const f = d.forecast;
    rows.push([
      String(d.priority), d.id, d.name, d.businessOwnerName, d.status, d.targetDate, d.forecastDate ?? '-', likely(f.range),
      days(f.daysEarly), days(f.daysLate), f.range ? chance(f.range.probabilityByTarget) : '-', d.verdict, String(d.epics),
      `${d.progress.count.done}/${d.progress.count.total}`, String(d.progress.count.indeterminate),
      `${num(d.progress.estimate.done)}/${num(d.progress.estimate.total)}`, String(d.progress.estimate.unestimated),
    ]);
  }
  const o = p.offRoute;
  const lines = [
    `Portfolio as of ${p.asOf}, as seen by ${viewer} (totals include every project in scope)`,
    '',
    table(rows),
    '',
    `Off-route work in flight: ${o.count.offRoute} of ${o.count.inFlight} issues (${pct(o.count.share)}), ` +
      `${num(o.estimate.offRoute)} of ${num(o.estimate.inFlight)} estimate (${pct(o.estimate.share)}); ` +
      `${o.visibleEpics + o.hiddenEpics} off-route epics, ${o.orphanCount} issues with no epic`,
  ];
  const voices = formatVoices(p.destinations);
  if (voices.length > 0) lines.push('', 'What people say against what the data says:', ...voices);
  if (p.warnings.length > 0) lines.push('', 'Warnings:', ...p.warnings.map((w) => `- [${w.code}] ${w.message}`));
  return lines.join('\n');
}

function said(role: string, c: CheckInSummary['owner'] | undefined): string {
  return c ? `${role} says ${c.status} (${c.byName}, ${c.at.slice(0, 10)})` : `${role}: no check-in`;
}

/**
 * One line per destination someone checked in on or raised a concern about, or that is due a check-in: both
 * views side by side, and the reason when they disagree.
 */
export function formatVoices(rows: readonly DestinationRollup[]): string[] {
  const out: string[] = [];
  for (const d of rows) {
    if (d.checkIns === undefined) continue;
    const { owner, lead, due } = d.checkIns;
    if (!owner && !lead && !d.openConcerns && !d.disagreement) continue;
    const data = `data says ${d.verdict}${d.forecast.range ? ` (${chance(d.forecast.range.probabilityByTarget)} by ${d.targetDate})` : ''}`;
    const parts = [said('owner', owner), said('lead', lead), data];
    if (due) parts.push('check-in due');
    if (d.openConcerns) parts.push(`${d.openConcerns} open concern${d.openConcerns === 1 ? '' : 's'}`);
    out.push(`- ${d.id} ${d.name}: ${parts.join('; ')}`);
    if (d.disagreement) out.push(`  DISAGREEMENT: ${d.disagreement.reason}`);
  }
  return out;
}
