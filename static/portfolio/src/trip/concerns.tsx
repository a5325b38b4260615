/**
 * Concerns raised from the epics: open, answered, closed. The owner and the lead may answer one (it stays
 * answered until closed) or close it (`trip/respond`); everyone else reads them.
 */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import { ErrorMessage as FieldError, HelperMessage, Label } from '@atlaskit/form';
import Lozenge, { type ThemeAppearance } from '@atlaskit/lozenge';
import Textarea from '@atlaskit/textarea';
import { token } from '@atlaskit/tokens';
import { MAX_CONCERN_TEXT, type ConcernItem, type ConcernState, type TripVoices } from '../../../../src/contract';
import { call, toFailure } from '../../../common/api';
import { IssueLink, subtle } from '../../../common/components';
import { formatInstant } from '../../../common/format';

const STATE: Record<ConcernState, { label: string; appearance: ThemeAppearance }> = {
  open: { label: 'Open', appearance: 'moved' },
  answered: { label: 'Answered', appearance: 'inprogress' },
  closed: { label: 'Closed', appearance: 'default' },
};

export function Concerns({ voices, onChange }: { voices: TripVoices; onChange: (voices: TripVoices) => void }) {
  const { concerns } = voices;
  if (concerns.length === 0) return <p style={subtle}>No concern has been raised.</p>;
  return (
    <ul data-testid="concerns" style={{ listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: token('space.200') }}>
      {concerns.map((c) => (
        <li key={c.id} data-testid={`concern-${c.id}`} style={{ borderLeft: `2px solid ${token('color.border')}`, paddingLeft: token('space.150') }}>
          <div style={{ display: 'flex', gap: token('space.100'), alignItems: 'center', flexWrap: 'wrap' }}>
            <Lozenge appearance={STATE[c.state].appearance}>{STATE[c.state].label}</Lozenge>
            <span style={subtle}>
              {c.id} · {c.byName} · {formatInstant(c.at)}
              {c.epic ? <> · from <IssueLink issueKey={c.epic.key} /> {c.epic.summary}</> : ' · from an epic you cannot see'}
            </span>
          </div>
          <p style={{ margin: `${token('space.050')} 0`, whiteSpace: 'pre-wrap' }}>{c.text}</p>
          {c.answer && (
            <div style={{ background: token('color.background.neutral'), padding: token('space.100'), borderRadius: token('radius.medium') }}>
              <div style={subtle}>Answer by {c.answer.byName} · {formatInstant(c.answer.at)}</div>
              <p style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{c.answer.text}</p>
            </div>
          )}
          {voices.role !== null && c.state !== 'closed' && <Respond destinationId={voices.destinationId} concern={c} onChange={onChange} />}
        </li>
      ))}
    </ul>
  );
}

function Respond({ destinationId, concern, onChange }: { destinationId: string; concern: ConcernItem; onChange: (voices: TripVoices) => void }) {
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'answer' | 'close' | null>(null);
  const id = `answer-${concern.id}`;

  const respond = async (close: boolean) => {
    const text = answer.trim();
    if (!close && text === '') {
      setError('Write an answer, or close the concern.');
      return;
    }
    setBusy(close ? 'close' : 'answer');
    setError(null);
    try {
      const voices = await call('trip/respond', { destinationId, concernId: concern.id, close, ...(text ? { answer: text } : {}) });
      setAnswer('');
      onChange(voices);
    } catch (e) {
      setError(toFailure(e).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div style={{ marginTop: token('space.100'), display: 'flex', flexDirection: 'column', gap: token('space.075'), maxWidth: 560 }}>
      <Label htmlFor={id}>{concern.answer ? 'Answer again' : 'Answer'}</Label>
      <Textarea id={id} value={answer} minimumRows={2} maxLength={MAX_CONCERN_TEXT} isInvalid={!!error} onChange={(e) => setAnswer(e.currentTarget.value)} />
      {error ? <FieldError testId={`error-${id}`}>{error}</FieldError> : <HelperMessage>{`${answer.length} of ${MAX_CONCERN_TEXT} characters. Closing keeps the answer written here, if any.`}</HelperMessage>}
      <div style={{ display: 'flex', gap: token('space.100') }}>
        <Button appearance="primary" spacing="compact" isLoading={busy === 'answer'} isDisabled={busy !== null} onClick={() => void respond(false)}>
          Answer {concern.id}
        </Button>
        <Button appearance="subtle" spacing="compact" isLoading={busy === 'close'} isDisabled={busy !== null} onClick={() => void respond(true)}>
          Close {concern.id}
        </Button>
      </div>
    </div>
  );
}
