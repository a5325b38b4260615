/**
 * Canned resolver answers for previewing the UIs without the backend (`mock-server.ts`). Typed against the
 * contract so they stay honest when it changes.
 */
import { EPIC_PAGE_SIZE, PORTFOLIO_PAGE_SIZE, VERDICTS, type DestinationView, type EpicAlignment, type EpicPage, type EpicRef, type Forecast, type Me, type Portfolio, type PortfolioExport, type ResolverKey, type SettingsView, type UserRef } from '../../../src/contract';

const progress = (n: number, i: number, d: number, un = 0) => ({
  count: { new: n, indeterminate: i, done: d, total: n + i + d },
  estimate: { new: n * 3, indeterminate: i * 3, done: d * 3, total: (n + i + d) * 3, unestimated: un },
});

const dest = (id: string, name: string, priority: number, targetDate: string, status: DestinationView['status'] = 'active'): DestinationView => ({
  id, name, priority, targetDate, status, description: '', businessOwner: 'u-leader', businessOwnerName: 'Lee Leader',
  deliveryLead: 'u-dev', deliveryLeadName: 'Dana Developer', version: 1,
  createdAt: '2026-09-01T10:00:00.000Z', createdBy: 'u-admin', updatedAt: '2026-09-01T10:00:00.000Z', updatedBy: 'u-admin',
});

export const destinations: DestinationView[] = [
  dest('D-1', 'Faster checkout', 1, '2026-12-20'),
  dest('D-2', '<img src=x onerror=alert(1)>', 2, '2027-03-01'),
  dest('D-3', 'Old loyalty scheme', 3, '2026-06-01', 'archived'),
];

const verdicts = ['on track', 'at risk', 'off track', 'no data', 'arrived'] as const;

/** A forecast that tells one story: the chance gives the verdict, the date sits inside its likely range. */
function mockForecast(verdict: Forecast['verdict'], targetDate: string): Forecast {
  const shift = (days: number) => new Date(Date.parse(`${targetDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const base = { throughputPerWeek: 2.5, remaining: 7, windowWeeks: 12 };
  if (verdict === 'no data' || verdict === 'arrived') {
    return { ...base, verdict, forecastDate: null, daysEarly: null, daysLate: null, range: null, reason: verdict === 'arrived' ? 'All 13 items are done.' : 'No work finished in the last 12 weeks, so there is no pace to forecast from.' };
  }
  const [offset, probability] = verdict === 'on track' ? [-14, 0.9] : verdict === 'at risk' ? [0, 0.5] : [21, 0.1];
  return {
    ...base, verdict, forecastDate: shift(offset), daysEarly: Math.max(0, -offset), daysLate: Math.max(0, offset),
    range: { likelyFrom: shift(offset - 7), likelyTo: shift(offset + 14), probabilityByTarget: probability, method: 'monte carlo' },
    reason: `At 2.5 items a week (last 12 weeks), the 7 remaining items most likely finish by ${shift(offset)}.`,
  };
}

/** Every row of the mock portfolio, each with its epics (what `portfolio/epics` pages through). */
function allRows(size: number) {
  return Array.from({ length: size }, (_, k) => {
    const base = destinations[k] ?? dest(`D-${k + 1}`, `Destination number ${k + 1}`, k + 1, '2027-01-15');
    const verdict = verdicts[k % verdicts.length]!;
    return {
      id: base.id, name: base.name, status: base.status, priority: k + 1, targetDate: base.targetDate,
      businessOwner: base.businessOwner, businessOwnerName: base.businessOwnerName, epics: 25,
      progress: progress(4, 3, 6, 2), verdict, forecastDate: mockForecast(verdict, base.targetDate).forecastDate,
      forecast: mockForecast(verdict, base.targetDate),
      visibleEpics: 24,
      hiddenEpics: 1,
    };
  });
}

export function epicsOf(size: number, destinationId: string, offset = 0, limit = EPIC_PAGE_SIZE): EpicPage<EpicRef> | null {
  const k = allRows(size).findIndex((r) => r.id === destinationId);
  if (k < 0) return null;
  const name = allRows(size)[k]!.name;
  const epics = Array.from({ length: 24 }, (_, e) => ({
    key: `PAY-${k * 100 + e + 1}`, summary: `Epic ${e + 1} of ${name}`, projectKey: 'PAY', statusCategory: 'indeterminate' as const, progress: progress(1, 1, 2),
  }));
  return { epics: epics.slice(offset, offset + limit), total: epics.length, hiddenEpics: 1, nextOffset: offset + limit < epics.length ? offset + limit : null };
}

export const offRouteEpics = { epics: [{ key: 'PAY-10', summary: 'Wallet onboarding', projectKey: 'PAY' }], total: 1, hiddenEpics: 1, nextOffset: null, orphanCount: 1 };

export function portfolio(size = 3, page = 1): Portfolio {
  const every = allRows(size);
  const rows = every.slice((page - 1) * PORTFOLIO_PAGE_SIZE, page * PORTFOLIO_PAGE_SIZE);
  const byVerdict = Object.fromEntries(VERDICTS.map((v) => [v, every.filter((r) => r.verdict === v).length])) as Portfolio['summary']['byVerdict'];
  return {
    asOf: '2026-11-25', computedAt: new Date(Date.now() - 5 * 60_000).toISOString(), computedAs: 'app', destinations: rows, hiddenDestinations: 0,
    page, pageSize: PORTFOLIO_PAGE_SIZE, totalDestinations: every.length, summary: { byVerdict },
    owners: [...new Map(every.map((r) => [r.businessOwner, r.businessOwnerName]))].map(([accountId, displayName]) => ({ accountId, displayName })),
    projects: ['PAY'],
    offRoute: {
      count: { inFlight: 40, offRoute: 9, share: 0.225 }, estimate: { inFlight: 120, offRoute: 30, share: 0.25 },
      orphanCount: 1, visibleEpics: 1, hiddenEpics: 1,
    },
    warnings: [{ code: 'ARCHIVED_DESTINATION', message: 'PAY-60 points at the archived destination Old loyalty scheme.', refs: ['PAY-60'] }],
    jql: {
      byDestination: Object.fromEntries(rows.map((r) => [r.id, `issue in destinationWork("${r.id}") AND issuetype in ("10001") ORDER BY status ASC`])),
      offRoute: 'issue in destinationWork()', inFlight: 'issuetype in ("10001") AND statusCategory = 4',
    },
  };
}

/** What a view answers while the first full calculation runs: no figures, and how far it is. */
export function calculatingPortfolio(p: Portfolio, progress: number): Portfolio {
  const none = progress0();
  return {
    ...p,
    destinations: p.destinations.map((d) => ({ ...d, epics: 0, progress: none, visibleEpics: 0, hiddenEpics: 0 })),
    freshness: {
      source: 'calculating', reconciledAt: null, updatedAt: new Date().toISOString(), ageSeconds: 0, stale: true, recalculating: true,
      staleReason: 'The first full calculation is still running.', calculation: { progress, items: Math.round(progress * 5000) },
    },
  };
}

const progress0 = () => progress(0, 0, 0);

export function portfolioExport(size = 3): PortfolioExport {
  return { asOf: '2026-11-25', destinations: allRows(size) };
}

export function alignment(issueKey: string): EpicAlignment {
  const aligned = issueKey !== 'PAY-10';
  return {
    epic: { key: issueKey, summary: 'Checkout redesign', projectKey: 'PAY', isEpic: issueKey !== 'PAY-2' },
    destination: aligned ? destinations[0]! : null,
    alignmentProblem: issueKey === 'PAY-60' ? { code: 'ARCHIVED_DESTINATION', destinationId: 'D-3', message: 'PAY-60 points at the archived destination Old loyalty scheme.' } : null,
    progress: progress(1, 1, 2, 1),
    share: aligned ? { count: 0.4, estimate: 0.35 } : null,
    forecast: aligned ? mockForecast('at risk', destinations[0]!.targetDate) : null,
    siblings: aligned ? [{ key: 'PAY-20', summary: 'Fraud rules', projectKey: 'PAY', statusCategory: 'indeterminate', progress: progress(1, 0, 1) }] : [],
    hiddenSiblings: aligned ? 1 : 0,
    warnings: [],
    canEdit: true,
  };
}

export const me = (accountId: string): Me => ({ accountId, displayName: accountId === 'u-admin' ? 'Ada Admin' : 'Dana Developer', isAdmin: accountId === 'u-admin' });
export const users: UserRef[] = [
  { accountId: 'u-admin', displayName: 'Ada Admin' },
  { accountId: 'u-leader', displayName: 'Lee Leader' },
  { accountId: 'u-dev', displayName: 'Dana Developer' },
];
export const settings: SettingsView = {
  settings: { projectKeys: [], estimateField: { kind: 'auto' }, throughputWeeks: 12, onTrackChance: 70, atRiskChance: 30, checkInCadenceWeeks: 2, version: 3 },
  estimateFields: [{ id: 'customfield_10016', name: 'Story point estimate' }],
  effectiveEstimate: { kind: 'points', fieldId: 'customfield_10016', name: 'Story point estimate' },
  projects: [{ key: 'PAY', name: 'Payments' }, { key: 'SEC', name: 'Security' }],
};

export type Answers = Partial<Record<ResolverKey, unknown>>;
