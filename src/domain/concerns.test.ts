import { concernView, raiseConcern, respondToConcern, MAX_OPEN_CONCERNS, type Concern } from './concerns';
import { destination as fixture } from './test-fixtures';

const destination = fixture({ id: 'D-1', name: 'Instant payouts', businessOwner: 'u-owner', deliveryLead: 'u-lead', targetDate: '2027-03-01' });
const epic = { id: '10001', key: 'PAY-1', summary: 'Payout engine' };
const at = '2026-12-01T09:00:00.000Z';

function raised(concerns: Concern[] = [], text = 'Why is Oklahoma City on the route?'): Concern[] {
  const result = raiseConcern(concerns, destination, 'u-dev', epic, text, at);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.concerns;
}

describe('concerns', () => {
  it('are raised by anyone from an epic, numbered within the destination, and start open', () => {
    const two = raised(raised());
    expect(two.map((c) => [c.id, c.state, c.by, c.epicKey])).toEqual([
      ['C-1', 'open', 'u-dev', 'PAY-1'],
      ['C-2', 'open', 'u-dev', 'PAY-1'],
    ]);
  });

  it('refuse empty or control-character text, an archived destination, and too many open ones', () => {
    expect(raiseConcern([], destination, 'u-dev', epic, ' \u200b ', at)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', field: 'text' } });
    expect(raiseConcern([], destination, 'u-dev', epic, 'a\u0000', at)).toMatchObject({ ok: false, error: { field: 'text' } });
    expect(raiseConcern([], { ...destination, status: 'archived' }, 'u-dev', epic, 'x', at)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    let many: Concern[] = [];
    for (let i = 0; i < MAX_OPEN_CONCERNS; i++) many = raised(many);
    expect(raiseConcern(many, destination, 'u-dev', epic, 'one more', at)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    // Answered ones count too (they stay until closed); closed ones make room.
    const answered = many.map((c) => ({ ...c, state: 'answered' as const }));
    expect(raiseConcern(answered, destination, 'u-dev', epic, 'one more', at)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const oneClosed = answered.map((c, i) => (i === 0 ? { ...c, state: 'closed' as const } : c));
    expect(raiseConcern(oneClosed, destination, 'u-dev', epic, 'one more', at).ok).toBe(true);
  });

  it('are answered or closed by the owner or the lead only, and a closed one stays closed', () => {
    const open = raised();
    expect(respondToConcern(open, destination, 'u-dev', 'C-1', { answer: 'me too', close: false }, at)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const answered = respondToConcern(open, destination, 'u-lead', 'C-1', { answer: 'It is the vendor API.', close: false }, at);
    expect(answered).toMatchObject({ ok: true, value: [{ state: 'answered', answer: { text: 'It is the vendor API.', by: 'u-lead' } }] });
    if (!answered.ok) return;
    const closed = respondToConcern(answered.value, destination, 'u-owner', 'C-1', { close: true }, at);
    // Closing without a new answer keeps the lead's answer for the author to read.
    expect(closed).toMatchObject({ ok: true, value: [{ state: 'closed', answer: { by: 'u-lead' } }] });
    if (!closed.ok) return;
    expect(respondToConcern(closed.value, destination, 'u-owner', 'C-1', { answer: 'again', close: false }, at)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(respondToConcern(open, destination, 'u-owner', 'C-9', { close: true }, at)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(respondToConcern(open, destination, 'u-owner', 'C-1', { close: false }, at)).toMatchObject({ ok: false, error: { field: 'answer' } });
  });

  it("show the epic's key and summary only to viewers who may browse it", () => {
    const [concern] = raised();
    expect(concernView(concern!, () => true).epic).toEqual({ key: 'PAY-1', summary: 'Payout engine' });
    const hidden = concernView(concern!, () => false);
    expect(hidden.epic).toBeNull();
    expect(JSON.stringify(hidden)).not.toContain('PAY-1');
    expect(JSON.stringify(hidden)).not.toContain('Payout engine');
    expect(JSON.stringify(hidden)).not.toContain('10001');
  });
});
