/**
 * Canned answers for the trip over time (`trip/*`, `portfolio/scenery`) and the voices on portfolio rows, so
 * the trip view can be looked at, and its rendering of every contract field tested, before the backends
 * answer for real. Typed against the contract so they stay honest when it changes.
 */
import type { CheckInView, ConcernItem, Portfolio, SceneryTrend, TripHistory, TripVoices } from '../../../src/contract';
import { BURN_UP_LIMITS, SCENERY_LIMITS } from '../../../src/contract';
import { portfolio } from './fixtures';

const day = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function tripHistory(destinationId: string, baselined = true): TripHistory {
  const { destinations } = portfolio(3, 1);
  const d = destinations.find((r) => r.id === destinationId) ?? destinations[0]!;
  const points = Array.from({ length: 13 }, (_, k) => {
    const date = day('2026-09-01', k * 7);
    return { date, scope: 8 + Math.min(k, 5), done: Math.floor(k / 2), scopeEstimate: (8 + Math.min(k, 5)) * 3, doneEstimate: Math.floor(k / 2) * 3 };
  });
  return {
    destinationId: d.id, asOf: '2026-11-25', targetDate: d.targetDate, burnUp: { step: 'week', points }, limits: [...BURN_UP_LIMITS],
    snapshots: [], forecast: d.forecast, progress: d.progress,
    drift: baselined
      ? { since: '2026-10-01T09:00:00.000Z', epicsAdded: [{ id: '10100', key: 'PAY-40' }], epicsRemoved: [], issuesAdded: 5, issuesRemoved: 1, remainingChange: 4, remainingEstimateChange: 12, forecastShiftDays: 9 }
      : null,
    baselineNote: null,
    canBaseline: true,
  };
}

const checkIn = (role: 'owner' | 'lead', status: CheckInView['status'], at: string, note: string, measure?: number): CheckInView => ({
  by: role === 'owner' ? 'u-leader' : 'u-dev', byName: role === 'owner' ? 'Lee Leader' : 'Dana Developer', role, status, note,
  week: day(at.slice(0, 10), -((new Date(at).getUTCDay() + 6) % 7)), at, ...(measure === undefined ? {} : { measure }),
});

const CONCERNS: ConcernItem[] = [
  { id: 'C-2', destinationId: 'D-1', text: 'Is the new checkout tested with saved cards?', by: 'u-dev', byName: 'Dana Developer', at: '2026-11-20T10:00:00.000Z', epic: { key: 'PAY-1', summary: 'Checkout redesign' }, state: 'open' },
  { id: 'C-1', destinationId: 'D-1', text: 'Who signs off the payment provider contract?', by: 'u-admin', byName: 'Ada Admin', at: '2026-11-02T10:00:00.000Z', epic: null, state: 'closed', answer: { text: 'Legal, by the end of November.', by: 'u-leader', byName: 'Lee Leader', at: '2026-11-03T10:00:00.000Z' } },
];

export function tripVoices(destinationId: string, user: string): TripVoices {
  const checkIns = [
    checkIn('lead', 'on track', '2026-10-05T09:00:00.000Z', 'Pace is steady.', 31),
    checkIn('owner', 'at risk', '2026-10-19T09:00:00.000Z', 'Provider contract not signed.', 34),
    checkIn('lead', 'on track', '2026-11-02T09:00:00.000Z', 'Back on pace.', 38),
    checkIn('owner', 'off track', '2026-11-16T09:00:00.000Z', 'I do not believe the date.', 41),
  ];
  return {
    destinationId, checkIns,
    latest: { owner: checkIns[3]!, lead: checkIns[2]! },
    due: { due: true, lastDay: '2026-11-16', cadenceWeeks: 1 },
    disagreement: { says: 'off track', by: 'u-leader', role: 'owner', chance: 90, reason: 'The business owner says off track, but the data gives a 90% chance by the target date (at or above the 70% "on track" line).' },
    concerns: CONCERNS,
    successMeasure: { name: 'Checkouts under a minute', unit: '%', baseline: 30, target: 60 },
    role: user === 'u-leader' ? 'owner' : user === 'u-dev' ? 'lead' : null,
  };
}

export function sceneryTrend(projectKey: string | undefined): SceneryTrend {
  const points = Array.from({ length: 12 }, (_, k) => {
    const inFlight = k === 2 ? 0 : 30 + k;
    const offRoute = k === 2 ? 0 : 12 - Math.floor(k / 2);
    const weekEnd = k === 11 ? '2026-11-25' : day('2026-09-06', k * 7);
    return { weekEnd, inFlight, offRoute, share: inFlight === 0 ? null : Math.round((offRoute / inFlight) * 100), reconstructed: k < 8, jql: `issue in destinationWork() AND created <= "${weekEnd}"` };
  });
  return { asOf: '2026-11-25', points, projectKey: projectKey ?? null, projects: ['PAY', 'OPS'], limits: SCENERY_LIMITS };
}

/** The portfolio's rows with their voices: a disagreement, a check-in due and open concerns on the first. */
export function withVoices(p: Portfolio): Portfolio {
  return {
    ...p,
    destinations: p.destinations.map((d, k) =>
      k === 0
        ? {
          ...d,
          checkIns: { owner: { status: 'off track', at: '2026-11-16T09:00:00.000Z', byName: 'Lee Leader' }, lead: { status: 'on track', at: '2026-11-02T09:00:00.000Z', byName: 'Dana Developer' }, due: true },
          disagreement: tripVoices(d.id, 'u-leader').disagreement,
          openConcerns: 1,
        }
        : { ...d, checkIns: { owner: null, lead: null, due: false }, disagreement: null, openConcerns: 0 },
    ),
  };
}

/** `trip/*` and `portfolio/scenery` answers; `undefined` for any other key. */
export function tripAnswer(key: string, payload: Record<string, unknown>, user: string): unknown {
  const id = String(payload.destinationId ?? 'D-1');
  switch (key) {
    case 'trip/history': return { ok: true, data: tripHistory(id) };
    case 'trip/baseline': return { ok: true, data: { ...tripHistory(id), drift: { ...tripHistory(id).drift!, since: new Date().toISOString(), epicsAdded: [], issuesAdded: 0, issuesRemoved: 0, remainingChange: 0, remainingEstimateChange: 0, forecastShiftDays: 0 } } };
    case 'trip/voices': return { ok: true, data: tripVoices(id, user) };
    case 'trip/check-in': {
      const v = tripVoices(id, user);
      if (String(payload.note ?? '').includes('\u0007')) return { ok: false, error: { code: 'INVALID_INPUT', message: 'The note holds a control character.', field: 'note' } };
      const mine = checkIn(v.role ?? 'owner', payload.status as CheckInView['status'], new Date().toISOString(), String(payload.note ?? ''), typeof payload.measure === 'number' ? payload.measure : undefined);
      return { ok: true, data: { ...v, checkIns: [...v.checkIns, mine], latest: { ...v.latest, [mine.role]: mine }, due: { ...v.due, due: false }, disagreement: null } };
    }
    case 'trip/respond': {
      const v = tripVoices(id, user);
      const answer = typeof payload.answer === 'string' ? { text: payload.answer, by: user, byName: 'Lee Leader', at: new Date().toISOString() } : undefined;
      return {
        ok: true,
        data: { ...v, concerns: v.concerns.map((c) => (c.id === payload.concernId ? { ...c, state: payload.close ? 'closed' : 'answered', ...(answer ? { answer } : {}) } : c)) },
      };
    }
    case 'portfolio/scenery': return { ok: true, data: sceneryTrend(typeof payload.projectKey === 'string' ? payload.projectKey : undefined) };
    default: return undefined;
  }
}
