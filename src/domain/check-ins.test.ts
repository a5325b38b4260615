import { chanceOf, checkInDue, disagreementOf, disagreementOfLatest, isCheckInDue, latestCheckIns, recordCheckIn, roleOf, CHECK_IN_HISTORY_WEEKS, MAX_CHECK_IN_NOTE, type CheckIn } from './check-ins';
import { addDays } from './dates';
import { destination as fixture } from './test-fixtures';

const destination = fixture({ id: 'D-1', name: 'Instant payouts', businessOwner: 'u-owner', deliveryLead: 'u-lead', targetDate: '2027-03-01' });
const thresholds = { onTrackChance: 70, atRiskChance: 30 };

function recorded(history: CheckIn[], by: string, status: CheckIn['status'], at: string, note = 'fine'): CheckIn[] {
  const result = recordCheckIn(history, destination, by, { status, note }, at);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe('check-ins', () => {
  it('lets only the business owner and the delivery lead check in', () => {
    expect(roleOf(destination, 'u-owner')).toBe('owner');
    expect(roleOf(destination, 'u-lead')).toBe('lead');
    expect(roleOf(destination, 'u-dev')).toBeNull();
    const refused = recordCheckIn([], destination, 'u-dev', { status: 'on track', note: '' }, '2026-12-01T10:00:00.000Z');
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN' }) });
  });

  it('keeps one check-in per person per week, and the history of earlier weeks', () => {
    let history = recorded([], 'u-owner', 'on track', '2026-11-24T09:00:00.000Z');
    history = recorded(history, 'u-owner', 'at risk', '2026-12-01T09:00:00.000Z'); // Tuesday of the next week
    history = recorded(history, 'u-lead', 'on track', '2026-12-01T10:00:00.000Z');
    history = recorded(history, 'u-owner', 'off track', '2026-12-03T09:00:00.000Z', 'vendor slipped'); // same week: replaces
    expect(history.map((c) => [c.by, c.week, c.status])).toEqual([
      ['u-owner', '2026-11-23', 'on track'],
      ['u-lead', '2026-11-30', 'on track'],
      ['u-owner', '2026-11-30', 'off track'],
    ]);
    expect(latestCheckIns(history).owner?.note).toBe('vendor slipped');
  });

  it('refuses a long note, control characters and an archived destination, and keeps the history unchanged', () => {
    const at = '2026-12-01T09:00:00.000Z';
    expect(recordCheckIn([], destination, 'u-owner', { status: 'on track', note: 'x'.repeat(MAX_CHECK_IN_NOTE + 1) }, at)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'note' } });
    expect(recordCheckIn([], destination, 'u-owner', { status: 'on track', note: 'a\u0007b' }, at)).toMatchObject({ ok: false, error: { field: 'note' } });
    expect(recordCheckIn([], { ...destination, status: 'archived' }, 'u-owner', { status: 'on track', note: '' }, at)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('drops weeks older than the history keeps', () => {
    const first = recorded([], 'u-owner', 'on track', '2025-01-06T09:00:00.000Z');
    const later = recorded(first, 'u-lead', 'on track', `${addDays('2025-01-06', 7 * CHECK_IN_HISTORY_WEEKS)}T09:00:00.000Z`);
    expect(later.map((c) => c.by)).toEqual(['u-lead']);
  });

  it('is due when nobody has checked in, or the newest check-in is older than the cadence', () => {
    expect(checkInDue([], '2026-12-01', 2)).toEqual({ due: true, lastDay: null });
    const history = recorded([], 'u-lead', 'on track', '2026-11-17T09:00:00.000Z');
    expect(checkInDue(history, '2026-12-01', 2)).toEqual({ due: false, lastDay: '2026-11-17' });
    expect(checkInDue(history, '2026-12-02', 2)).toEqual({ due: true, lastDay: '2026-11-17' });
  });

  it('flags "on track" against a chance below the at-risk line, and "off track" against an on-track chance', () => {
    const onTrack = recorded([], 'u-owner', 'on track', '2026-12-01T09:00:00.000Z');
    expect(disagreementOf(onTrack, 12, thresholds)).toMatchObject({ says: 'on track', role: 'owner', chance: 12, reason: expect.stringContaining('12% chance') });
    expect(disagreementOf(onTrack, 30, thresholds)).toBeNull();
    const offTrack = recorded(onTrack, 'u-lead', 'off track', '2026-12-01T11:00:00.000Z');
    // The newest check-in speaks: the lead's.
    expect(disagreementOf(offTrack, 70, thresholds)).toMatchObject({ says: 'off track', role: 'lead' });
    expect(disagreementOf(offTrack, 69, thresholds)).toBeNull();
    expect(disagreementOf(offTrack, null, thresholds)).toBeNull();
    expect(disagreementOf([], 5, thresholds)).toBeNull();
  });
});

describe('what a summary of the newest check-ins gives', () => {
  const said = (status: CheckIn['status'], at: string, by: string) => ({ status, at, by });
  it('flags the newest check-in against the chance, as the full history would', () => {
    const latest = { owner: said('off track', '2026-11-20T10:00:00.000Z', 'u-owner'), lead: said('on track', '2026-11-24T10:00:00.000Z', 'u-lead') };
    expect(disagreementOfLatest(latest, 12, thresholds)).toMatchObject({ says: 'on track', role: 'lead', by: 'u-lead', chance: 12 });
    expect(disagreementOfLatest(latest, 50, thresholds)).toBeNull();
    expect(disagreementOfLatest({ owner: latest.owner, lead: null }, 70, thresholds)).toMatchObject({ says: 'off track', role: 'owner' });
    expect(disagreementOfLatest(undefined, 12, thresholds)).toBeNull();
    expect(disagreementOfLatest(latest, null, thresholds)).toBeNull();
  });
  it('reads the chance in the whole percent the verdict uses', () => {
    expect(chanceOf({ range: { likelyFrom: null, likelyTo: null, probabilityByTarget: 0.295, method: 'monte carlo' } })).toBe(30);
    expect(chanceOf({ range: null })).toBeNull();
    expect(chanceOf(null)).toBeNull();
  });
  it('says a check-in is due from the newest day alone: none yet, or older than the cadence', () => {
    expect(isCheckInDue(null, '2026-11-25', 2)).toBe(true);
    expect(isCheckInDue('2026-11-11', '2026-11-25', 2)).toBe(false);
    expect(isCheckInDue('2026-11-10', '2026-11-25', 2)).toBe(true);
  });
});
