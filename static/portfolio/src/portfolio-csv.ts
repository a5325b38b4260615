/** The portfolio as a CSV file: one row per destination (every page), by priority, with every figure the table shows. */
import type { CheckInSummary, DestinationRollup, PortfolioExport } from '../../../src/contract';
import { downloadCsv, type Cell } from '../../common/csv';

export function portfolioCsvRows(portfolio: PortfolioExport): Cell[][] {
  const header: Cell[] = [
    'Priority', 'Destination', 'Owner', 'Status', 'Done', 'In progress', 'To do', 'Total issues',
    'Done estimate', 'Total estimate', 'Unestimated issues', 'On time?', 'Forecast date', 'Target date', 'Days early', 'Days late', 'Epics',
    'Likely from', 'Likely to', 'Chance by target date',
    'Owner check-in', 'Lead check-in', 'Check-in due', 'Disagreement', 'Open concerns',
  ];
  const rows = [...portfolio.destinations]
    .sort((a, b) => a.priority - b.priority)
    .map((d): Cell[] => [
      d.priority, d.name, d.businessOwnerName, d.status,
      d.progress.count.done, d.progress.count.indeterminate, d.progress.count.new, d.progress.count.total,
      d.progress.estimate.done, d.progress.estimate.total, d.progress.estimate.unestimated,
      d.verdict, d.forecastDate ?? '', d.targetDate, d.forecast.daysEarly ?? '', d.forecast.daysLate ?? '', d.epics,
      d.forecast.range?.likelyFrom ?? '', d.forecast.range?.likelyTo ?? '', d.forecast.range ? `${Math.round(d.forecast.range.probabilityByTarget * 100)}%` : '',
      ...voiceCells(d),
    ]);
  return [header, ...rows];
}

/** A newest check-in as one cell: what was said, by whom, on which day. */
function checkInCell(c: CheckInSummary['owner'] | undefined): Cell {
  return c ? `${c.status} (${c.byName}, ${c.at.slice(0, 10)})` : '';
}

/** Empty cells from a backend that predates check-ins, rather than a claim that one is due. */
function voiceCells(d: DestinationRollup): Cell[] {
  return [
    checkInCell(d.checkIns?.owner), checkInCell(d.checkIns?.lead),
    d.checkIns === undefined ? '' : d.checkIns.due ? 'yes' : 'no',
    d.disagreement ? d.disagreement.reason : '',
    d.openConcerns ?? '',
  ];
}

export function exportCsv(portfolio: PortfolioExport): void {
  downloadCsv(`business-destinations-${portfolio.asOf}.csv`, portfolioCsvRows(portfolio));
}
