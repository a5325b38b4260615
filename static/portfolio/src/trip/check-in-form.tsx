/** The owner's or the lead's check-in: a status, a short note and, when the destination names one, the measure's value. */
import { useState, type FormEvent } from 'react';
import Button from '@atlaskit/button/new';
import { ErrorMessage as FieldError, HelperMessage, Label } from '@atlaskit/form';
import SectionMessage from '@atlaskit/section-message';
import Textarea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { CHECK_IN_STATUSES, MAX_CHECK_IN_NOTE, type CheckInRole, type CheckInStatus, type SuccessMeasure, type TripVoices } from '../../../../src/contract';
import { call, fieldOf, toFailure, type ApiFailure } from '../../../common/api';
import { CHECK_IN_STATUS_LABEL, ROLE_LABEL } from '../../../common/labels';
import { STATUS_COLOR } from '../../../common/charts/colors';

type Field = 'status' | 'note' | 'measure';

export function CheckInForm({ destinationId, role, measure, onSaved }: {
  destinationId: string;
  role: CheckInRole;
  measure: SuccessMeasure | null;
  onSaved: (voices: TripVoices) => void;
}) {
  const [status, setStatus] = useState<CheckInStatus | null>(null);
  const [note, setNote] = useState('');
  const [value, setValue] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  // A field's error goes once the field is changed; the others stay until the next try.
  const clear = (field: Field) => setErrors((prev) => {
    if (!prev[field]) return prev;
    const next = { ...prev };
    delete next[field];
    return next;
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<Field, string>> = {};
    if (status === null) found.status = 'Choose how the trip looks to you.';
    const number = value.trim() === '' ? undefined : Number(value);
    if (number !== undefined && !Number.isFinite(number)) found.measure = 'Enter a number, such as 42 or 3.5.';
    setErrors(found);
    setFailure(null);
    setSaved(false);
    if (Object.keys(found).length > 0 || status === null) return;
    setSaving(true);
    try {
      const voices = await call('trip/check-in', { destinationId, status, note, ...(number !== undefined ? { measure: number } : {}) });
      setNote('');
      setValue('');
      setStatus(null);
      setSaved(true);
      onSaved(voices);
    } catch (err) {
      const f = toFailure(err);
      const field = fieldOf(f);
      if (field === 'status' || field === 'note' || field === 'measure') setErrors({ [field]: f.message });
      else setFailure(f);
    } finally {
      setSaving(false);
    }
  };

  const left = MAX_CHECK_IN_NOTE - note.length;
  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Check in" data-testid="check-in-form" style={{ display: 'flex', flexDirection: 'column', gap: token('space.150'), maxWidth: 560 }}>
      <p style={{ margin: 0 }}>You check in as the {ROLE_LABEL[role].toLowerCase()}. A new check-in replaces yours of the same week.</p>
      {failure && (
        <SectionMessage appearance="error" title="Not checked in">
          <p>{failure.message}</p>
        </SectionMessage>
      )}
      {saved && <p role="status" style={{ margin: 0, color: token('color.text.success') }}>Checked in.</p>}
      <fieldset style={{ border: 'none', margin: 0, padding: 0 }} aria-invalid={!!errors.status} aria-describedby={errors.status ? 'check-in-status-error' : undefined}>
        <legend style={{ font: token('font.body.small'), fontWeight: token('font.weight.semibold'), color: token('color.text.subtle'), marginBottom: token('space.050') }}>
          How does the trip look?
        </legend>
        <div style={{ display: 'flex', gap: token('space.200'), flexWrap: 'wrap' }}>
          {CHECK_IN_STATUSES.map((s) => (
            <label key={s} style={{ display: 'inline-flex', alignItems: 'center', gap: token('space.075'), cursor: 'pointer' }}>
              <input type="radio" name="check-in-status" value={s} checked={status === s} onChange={() => {
                setStatus(s);
                clear('status');
              }} />
              <span aria-hidden="true" style={{ width: 10, height: 10, borderRadius: 5, background: STATUS_COLOR[s], display: 'inline-block' }} />
              {CHECK_IN_STATUS_LABEL[s]}
            </label>
          ))}
        </div>
        {errors.status && <FieldError testId="error-status"><span id="check-in-status-error">{errors.status}</span></FieldError>}
      </fieldset>
      <div>
        <Label htmlFor="check-in-note">Note</Label>
        <Textarea id="check-in-note" name="note" value={note} maxLength={MAX_CHECK_IN_NOTE} minimumRows={3} isInvalid={!!errors.note} onChange={(e) => {
          setNote(e.currentTarget.value);
          clear('note');
        }} aria-describedby="check-in-note-count" />
        {errors.note ? (
          <FieldError testId="error-note">{errors.note}</FieldError>
        ) : (
          <HelperMessage>
            <span id="check-in-note-count" data-testid="note-counter">{`${note.length} of ${MAX_CHECK_IN_NOTE} characters${left <= 50 ? ` (${left} left)` : ''}`}</span>
          </HelperMessage>
        )}
      </div>
      {measure && (
        <div>
          <Label htmlFor="check-in-measure">{`${measure.name}${measure.unit ? ` (${measure.unit})` : ''}`}</Label>
          <Textfield id="check-in-measure" name="measure" inputMode="decimal" value={value} isInvalid={!!errors.measure} onChange={(e) => {
            setValue(e.currentTarget.value);
            clear('measure');
          }} />
          {errors.measure ? (
            <FieldError testId="error-measure">{errors.measure}</FieldError>
          ) : (
            <HelperMessage>{`Optional. Baseline ${measure.baseline}, target ${measure.target}.`}</HelperMessage>
          )}
        </div>
      )}
      <div>
        <Button type="submit" appearance="primary" isLoading={saving}>Check in</Button>
      </div>
    </form>
  );
}
