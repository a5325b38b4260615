/**
 * What people say about the epic's destination, in the panel: the owner's and the lead's latest check-ins,
 * how many concerns are open, a form to raise one ("say something"), and the caller's own concerns with the
 * owner's answers. Its own lazy chunk (the form's textarea is not part of the panel's first paint).
 */
import { useEffect, useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge, { type ThemeAppearance } from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import Textarea from '@atlaskit/textarea';
import { token } from '@atlaskit/tokens';
import { type CheckInView, type ConcernItem, type ConcernState, type EpicVoices } from '../../../src/contract';
import { call, toFailure, type ApiFailure } from '../../common/api';
import { ErrorMessage, subtle } from '../../common/components';
import { formatDate, formatNumber } from '../../common/format';
import { CheckInLozenge } from './disagreement-flag';
import { concernCount } from './trip-text';

const CONCERN_APPEARANCE: Record<ConcernState, ThemeAppearance> = { open: 'inprogress', answered: 'success', closed: 'default' };
const CONCERN_LABEL: Record<ConcernState, string> = { open: 'Open', answered: 'Answered', closed: 'Closed' };

export function VoicesPart({ voices, issueKey, onChange }: { voices: EpicVoices; issueKey: string; onChange: (next: EpicVoices) => void }) {
  const open = voices.openConcerns;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: token('space.150') }}>
      <section aria-label="Check-ins" style={{ display: 'flex', flexDirection: 'column', gap: token('space.075') }}>
        <Heading size="xsmall" as="h3">Latest check-ins</Heading>
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: token('space.100') }}>
          <CheckInRow role="Business owner" checkIn={voices.latest.owner} />
          <CheckInRow role="Delivery lead" checkIn={voices.latest.lead} />
        </ul>
      </section>
      <section aria-label="Concerns" style={{ display: 'flex', flexDirection: 'column', gap: token('space.075') }}>
        <Heading size="xsmall" as="h3">Concerns</Heading>
        <p style={{ margin: 0 }} data-testid="open-concerns">
          {open === 0 ? 'No open concerns on this destination.' : `${formatNumber(open, 0)} open ${open === 1 ? 'concern' : 'concerns'} on this destination.`}
        </p>
        {voices.canRaise ? (
          <RaiseConcern issueKey={issueKey} onRaised={onChange} />
        ) : (
          <p style={{ ...subtle, margin: 0 }}>You cannot raise a concern from this epic.</p>
        )}
        {voices.mine.length > 0 && <MyConcerns concerns={voices.mine} />}
      </section>
    </div>
  );
}

function CheckInRow({ role, checkIn }: { role: string; checkIn: CheckInView | null }) {
  if (!checkIn) {
    return (
      <li>
        <span style={subtle}>{role}:</span> no check-in yet.
      </li>
    );
  }
  return (
    <li style={{ display: 'flex', flexDirection: 'column', gap: token('space.025') }}>
      <span style={{ display: 'inline-flex', gap: token('space.075'), alignItems: 'center', flexWrap: 'wrap' }}>
        <CheckInLozenge status={checkIn.status} />
        <span>{checkIn.byName}</span>
        <span style={subtle}>
          {role}, {formatDate(checkIn.at)}
        </span>
      </span>
      {checkIn.note && <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{checkIn.note}</span>}
    </li>
  );
}

function RaiseConcern({ issueKey, onRaised }: { issueKey: string; onRaised: (next: EpicVoices) => void }) {
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [raised, setRaised] = useState(false);
  const mounted = useRef(true);
  useEffect(() => () => { mounted.current = false; }, []);
  const { length, over, label } = concernCount(text);

  const submit = async () => {
    setSaving(true);
    setFailure(null);
    setRaised(false);
    try {
      const next = await call('concern/raise', { issueKey, text: text.trim() });
      if (!mounted.current) return;
      setText('');
      setRaised(true);
      onRaised(next);
    } catch (e) {
      if (mounted.current) setFailure(toFailure(e));
    } finally {
      if (mounted.current) setSaving(false);
    }
  };

  return (
    <form
      aria-label="Raise a concern"
      style={{ display: 'flex', flexDirection: 'column', gap: token('space.075') }}
      onSubmit={(e) => {
        e.preventDefault();
        if (length > 0 && !over) void submit();
      }}
    >
      {raised && (
        <div role="status">
          <SectionMessage appearance="success">
            <p>Your concern was raised. The destination's owner and delivery lead see it; their answer shows below.</p>
          </SectionMessage>
        </div>
      )}
      {failure && <ErrorMessage failure={failure} title="The concern was not raised" />}
      <label htmlFor="panel-concern-text" style={{ font: token('font.body.small'), color: token('color.text.subtle') }}>
        Raise a concern about this destination
      </label>
      <Textarea
        id="panel-concern-text"
        name="concern"
        value={text}
        minimumRows={2}
        isInvalid={over || failure?.field === 'text'}
        aria-describedby="panel-concern-count"
        onChange={(e) => { setText(e.currentTarget.value); setRaised(false); }}
      />
      <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', gap: token('space.100') }}>
        <span
          id="panel-concern-count"
          data-testid="concern-count"
          style={{ ...subtle, color: over ? token('color.text.danger') : token('color.text.subtle') }}
        >
          {label}
        </span>
        <Button appearance="primary" type="submit" isLoading={saving} isDisabled={length === 0 || over}>
          Raise concern
        </Button>
      </div>
    </form>
  );
}

function MyConcerns({ concerns }: { concerns: ConcernItem[] }) {
  return (
    <div>
      <Heading size="xxsmall" as="h4">Your concerns</Heading>
      <ul aria-label="Your concerns" style={{ listStyle: 'none', margin: `${token('space.075')} 0 0`, padding: 0, display: 'flex', flexDirection: 'column', gap: token('space.100') }}>
        {concerns.map((c) => (
          <li key={c.id} data-testid="my-concern" style={{ display: 'flex', flexDirection: 'column', gap: token('space.025') }}>
            <span style={{ display: 'inline-flex', gap: token('space.075'), alignItems: 'center', flexWrap: 'wrap' }}>
              <Lozenge appearance={CONCERN_APPEARANCE[c.state]}>{CONCERN_LABEL[c.state]}</Lozenge>
              <span style={subtle}>
                {formatDate(c.at)}
                {c.epic ? `, from ${c.epic.key}` : ''}
              </span>
            </span>
            <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{c.text}</span>
            {c.answer && (
              <span style={{ paddingLeft: token('space.100'), borderLeft: `2px solid ${token('color.border')}`, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                <span style={subtle}>
                  {c.answer.byName} answered, {formatDate(c.answer.at)}:
                </span>{' '}
                {c.answer.text}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
