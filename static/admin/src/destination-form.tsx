/**
 * Create or edit a destination in a modal. Errors from the backend show inline on the field they name
 * (`error.field`); a stale edit (CONFLICT) keeps every typed value and offers Reload, which fetches the
 * current version and shows it next to the form so the user can re-apply their changes and save again.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import { DatePicker } from '@atlaskit/datetime-picker';
import { ErrorMessage as FieldError, HelperMessage, Label, RequiredAsterisk } from '@atlaskit/form';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle } from '@atlaskit/modal-dialog';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textarea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import type { DestinationDraft, DestinationView, Warning } from '../../../src/contract';
import { call, fieldOf, toFailure, type ApiFailure } from '../../common/api';
import { formatDate, getLocale, parseTypedDate } from '../../common/format';
import { UserPicker, type UserOption } from './user-picker';

type EditableStatus = NonNullable<DestinationDraft['status']>;
const STATUS_OPTIONS: Array<{ value: EditableStatus; label: string }> = [
  { value: 'draft', label: 'Draft' },
  { value: 'active', label: 'Active' },
  { value: 'achieved', label: 'Achieved' },
];

interface Values {
  name: string;
  description: string;
  businessOwner: UserOption | null;
  deliveryLead: UserOption | null;
  targetDate: string;
  startDate: string;
  status: EditableStatus;
}

const valuesOf = (d: DestinationView | null): Values => ({
  name: d?.name ?? '',
  description: d?.description ?? '',
  businessOwner: d ? { value: d.businessOwner, label: d.businessOwnerName } : null,
  deliveryLead: d?.deliveryLead ? { value: d.deliveryLead, label: d.deliveryLeadName ?? d.deliveryLead } : null,
  targetDate: d?.targetDate ?? '',
  startDate: d?.startDate ?? '',
  status: d && d.status !== 'archived' ? d.status : 'active',
});

type Errors = Partial<Record<keyof Values, string>>;

function validate(v: Values): Errors {
  const e: Errors = {};
  if (!v.name.trim()) e.name = 'Give the destination a name.';
  else if (v.name.trim().length > 120) e.name = 'Keep the name to 120 characters or fewer.';
  if (v.description.length > 2000) e.description = 'Keep the description to 2000 characters or fewer.';
  if (!v.businessOwner) e.businessOwner = 'Choose the business owner.';
  if (!v.targetDate) e.targetDate = 'Choose a target date.';
  if (v.startDate && v.targetDate && v.startDate > v.targetDate) e.startDate = 'The start date must be on or before the target date.';
  return e;
}

export function DestinationForm({
  destination,
  onClose,
  onSaved,
}: {
  destination: DestinationView | null;
  onClose: () => void;
  onSaved: (d: DestinationView, warnings: Warning[], created: boolean) => void;
}) {
  const [values, setValues] = useState<Values>(() => valuesOf(destination));
  const [version, setVersion] = useState(destination?.version ?? 0);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [conflict, setConflict] = useState(false);
  const [theirs, setTheirs] = useState<DestinationView | null>(null);
  const [saving, setSaving] = useState(false);
  const [reloading, setReloading] = useState(false);

  const set = <K extends keyof Values>(k: K, v: Values[K]) => {
    setValues((prev) => ({ ...prev, [k]: v }));
    setErrors((prev) => ({ ...prev, [k]: undefined }));
  };

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const local = validate(values);
    setErrors(local);
    if (Object.values(local).some(Boolean)) return;
    const draft: DestinationDraft = {
      name: values.name.trim(),
      description: values.description,
      businessOwner: values.businessOwner!.value,
      targetDate: values.targetDate,
      status: values.status,
      ...(values.deliveryLead ? { deliveryLead: values.deliveryLead.value } : {}),
      ...(values.startDate ? { startDate: values.startDate } : {}),
    };
    setSaving(true);
    setFailure(null);
    try {
      const result = destination
        ? await call('destinations/update', { id: destination.id, version, draft })
        : await call('destinations/create', { draft });
      onSaved(result.destination, result.warnings, !destination);
    } catch (err) {
      const f = toFailure(err);
      const field = fieldOf(f) as keyof Values | undefined;
      if (f.code === 'CONFLICT') {
        setConflict(true);
        setTheirs(null);
      } else if (field && field in values) {
        setErrors((prev) => ({ ...prev, [field]: f.message }));
      } else {
        setFailure(f);
      }
    } finally {
      setSaving(false);
    }
  };

  const reload = async () => {
    if (!destination) return;
    setReloading(true);
    try {
      const latest = await call('destinations/get', { id: destination.id });
      setTheirs(latest);
      setVersion(latest.version);
      setConflict(false);
    } catch (err) {
      setFailure(toFailure(err));
    } finally {
      setReloading(false);
    }
  };

  const field = (id: keyof Values, label: string, control: ReactNode, opts: { required?: boolean; help?: string } = {}) => (
    <div style={{ marginBottom: token('space.150') }}>
      <Label htmlFor={`dest-${id}`}>
        {label}
        {opts.required && <RequiredAsterisk />}
      </Label>
      {control}
      {errors[id] ? <FieldError testId={`error-${id}`}>{errors[id]}</FieldError> : opts.help ? <HelperMessage>{opts.help}</HelperMessage> : null}
    </div>
  );

  return (
    <Modal onClose={onClose} width="medium" shouldScrollInViewport label={destination ? `Edit ${destination.name}` : 'Create destination'}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <ModalHeader>
          <ModalTitle>{destination ? 'Edit destination' : 'Create destination'}</ModalTitle>
        </ModalHeader>
        <ModalBody>
          {conflict && (
            <div style={{ marginBottom: token('space.150') }}>
              <SectionMessage
                appearance="warning"
                title="This destination was changed by someone else"
                actions={[
                  <SectionMessageAction key="reload" onClick={() => void reload()}>
                    {reloading ? 'Reloading…' : 'Reload'}
                  </SectionMessageAction>,
                ]}
              >
                <p>Your changes are kept below. Reload to see the current version, then save again.</p>
              </SectionMessage>
            </div>
          )}
          {theirs && (
            <div style={{ marginBottom: token('space.150') }}>
              <SectionMessage appearance="information" title="The current version (saved by someone else)">
                <p>
                  Name: {theirs.name} · Owner: {theirs.businessOwnerName} · Target: {formatDate(theirs.targetDate)} · Status:{' '}
                  {theirs.status}
                  {theirs.startDate ? ` · Start: ${formatDate(theirs.startDate)}` : ''}
                </p>
                <p>Your values below are unchanged. Adjust them if needed and save to apply them on top.</p>
              </SectionMessage>
            </div>
          )}
          {failure && (
            <div style={{ marginBottom: token('space.150') }}>
              <SectionMessage appearance="error" title="Not saved">
                <p>{failure.message}</p>
              </SectionMessage>
            </div>
          )}
          {field('name', 'Name', <Textfield id="dest-name" name="name" value={values.name} isInvalid={!!errors.name} onChange={(e) => set('name', e.currentTarget.value)} autoFocus maxLength={200} />, { required: true })}
          {field('description', 'Description', <Textarea id="dest-description" name="description" value={values.description} isInvalid={!!errors.description} onChange={(e) => set('description', e.currentTarget.value)} minimumRows={2} />)}
          {field('businessOwner', 'Business owner', <UserPicker inputId="dest-businessOwner" value={values.businessOwner} isInvalid={!!errors.businessOwner} onChange={(v) => set('businessOwner', v)} />, { required: true })}
          {field('deliveryLead', 'Delivery lead', <UserPicker inputId="dest-deliveryLead" value={values.deliveryLead} isClearable onChange={(v) => set('deliveryLead', v)} isInvalid={!!errors.deliveryLead} />)}
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: token('space.150') }}>
            {field('startDate', 'Start date', <DatePicker id="dest-startDate" label="Start date" placeholder="Optional" value={values.startDate} locale={getLocale()} parseInputValue={parseTypedDate} isInvalid={!!errors.startDate} onChange={(v) => set('startDate', v)} />)}
            {field('targetDate', 'Target date', <DatePicker id="dest-targetDate" label="Target date" placeholder="Choose a date" value={values.targetDate} locale={getLocale()} parseInputValue={parseTypedDate} isInvalid={!!errors.targetDate} onChange={(v) => set('targetDate', v)} />, { required: true })}
          </div>
          {field('status', 'Status', (
            <Select
              inputId="dest-status"
              options={STATUS_OPTIONS}
              value={STATUS_OPTIONS.find((o) => o.value === values.status) ?? null}
              onChange={(o) => o && set('status', o.value)}
              menuPortalTarget={document.body}
              styles={{ menuPortal: (base) => ({ ...base, zIndex: 9999 }) }}
            />
          ))}
        </ModalBody>
        <ModalFooter>
          <Button appearance="subtle" onClick={onClose}>Cancel</Button>
          <Button appearance="primary" type="submit" isLoading={saving} isDisabled={conflict}>
            {destination ? 'Save' : 'Create'}
          </Button>
        </ModalFooter>
      </form>
    </Modal>
  );
}
