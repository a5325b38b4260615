import { recordCheckIn, CHECK_IN_HISTORY_WEEKS, MAX_CHECK_IN_NOTE, type CheckIn } from '../../domain/check-ins';
import { raiseConcern, respondToConcern, MAX_CONCERN_TEXT, MAX_OPEN_CONCERNS, type Concern } from '../../domain/concerns';
import { addDays } from '../../domain/dates';
import { destination as fixture } from '../../domain/test-fixtures';
import { bytesOf, MAX_VALUE_BYTES } from './value-size';
import { fitCheckIns, fitConcerns, summaryEntryOf, SHORTENED_NOTE, VOICES_VALUE_BUDGET } from './voices-store';

// The longest account ids Atlassian allows, and text that weighs the most per character (3 UTF-8 bytes).
const owner = 'o'.repeat(128);
const lead = 'l'.repeat(128);
const destination = fixture({ id: 'D-1', name: 'Instant payouts', businessOwner: owner, deliveryLead: lead, targetDate: '2027-03-01' });
const heavy = (n: number) => '界'.repeat(n);

function twoYearsAtTheMax(): CheckIn[] {
  let history: CheckIn[] = [];
  for (let week = 0; week < CHECK_IN_HISTORY_WEEKS + 4; week++) {
    const day = addDays('2025-01-06', week * 7);
    for (const by of [owner, lead]) {
      const next = recordCheckIn(history, destination, by, { status: 'at risk', note: heavy(MAX_CHECK_IN_NOTE), measure: -1234567.891 }, `${day}T23:59:59.999Z`);
      if (!next.ok) throw new Error(next.error.message);
      history = fitCheckIns(next.value);
    }
  }
  return history;
}

describe('the voices store keeps every value within the limit', () => {
  it('keeps two years of check-ins at their heaviest in one value, shortening the oldest notes only', () => {
    const history = twoYearsAtTheMax();
    expect(history).toHaveLength(CHECK_IN_HISTORY_WEEKS * 2);
    expect(bytesOf(history)).toBeLessThanOrEqual(VOICES_VALUE_BUDGET);
    expect(bytesOf({ version: 1, items: history })).toBeLessThan(MAX_VALUE_BYTES);
    // Unfitted, the same history would not fit at all: the test can fail.
    expect(bytesOf(history.map((c) => ({ ...c, note: heavy(MAX_CHECK_IN_NOTE) })))).toBeGreaterThan(MAX_VALUE_BYTES);
    // The newest notes are whole; only older ones were shortened, and every status stays.
    expect(history.at(-1)?.note).toHaveLength(MAX_CHECK_IN_NOTE);
    expect(history[0]?.note).toHaveLength(SHORTENED_NOTE + 1);
    expect(history.every((c) => c.status === 'at risk' && c.measure === -1234567.891)).toBe(true);
  });

  it('keeps every concern not yet closed at its heaviest, and drops the oldest closed ones to fit', () => {
    const epic = { id: '10001', key: 'PAYMENTS_X-123456789', summary: heavy(255) };
    let concerns: Concern[] = [];
    let at = '2026-01-01T00:00:00.000Z';
    const tick = () => (at = new Date(Date.parse(at) + 60_000).toISOString());
    // Many closed ones first, then the most the rules allow open and answered.
    for (let i = 0; i < 60; i++) {
      const raised = raiseConcern(concerns, destination, 'd'.repeat(128), epic, heavy(MAX_CONCERN_TEXT), tick());
      if (!raised.ok) throw new Error(raised.error.message);
      const closed = respondToConcern(raised.value.concerns, destination, owner, raised.value.concern.id, { answer: heavy(MAX_CONCERN_TEXT), close: true }, tick());
      if (!closed.ok) throw new Error(closed.error.message);
      concerns = fitConcerns(closed.value);
    }
    for (let i = 0; i < MAX_OPEN_CONCERNS; i++) {
      const raised = raiseConcern(concerns, destination, 'd'.repeat(128), epic, heavy(MAX_CONCERN_TEXT), tick());
      if (!raised.ok) throw new Error(raised.error.message);
      const answered = respondToConcern(raised.value.concerns, destination, lead, raised.value.concern.id, { answer: heavy(MAX_CONCERN_TEXT), close: false }, tick());
      if (!answered.ok) throw new Error(answered.error.message);
      concerns = fitConcerns(answered.value);
    }
    expect(bytesOf({ version: 1, items: concerns })).toBeLessThan(MAX_VALUE_BYTES);
    expect(concerns.filter((c) => c.state === 'answered')).toHaveLength(MAX_OPEN_CONCERNS);
    expect(raiseConcern(concerns, destination, 'u-dev', epic, 'one more', tick())).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('sums a destination up in one small line', () => {
    const history = twoYearsAtTheMax();
    const entry = summaryEntryOf(history, []);
    expect(entry).toMatchObject({ owner: { status: 'at risk', by: owner }, lead: { by: lead }, open: 0, lastDay: history.at(-1)?.at.slice(0, 10) });
    expect(summaryEntryOf([], [])).toBeNull();
    // 800 destinations, each with both check-ins by people with Atlassian's long account ids, fit one summary value.
    const id = '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077';
    const line = { owner: { status: 'off track', at: '2026-11-25T10:11:12.345Z', by: id }, lead: { status: 'off track', at: '2026-11-25T10:11:12.345Z', by: id }, open: 25, lastDay: '2026-11-25' };
    const all = Object.fromEntries(Array.from({ length: 800 }, (_, i) => [`D-${100000 + i}`, line]));
    expect(bytesOf({ version: 1, byDestination: all })).toBeLessThan(MAX_VALUE_BYTES);
  });
});
