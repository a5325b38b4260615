/**
 * Create or edit a destination, rendered inside Forge's modal (see modal.ts). Errors from the backend show
 * inline on the field they name (`error.field`); a stale edit (CONFLICT) keeps every typed value and offers
 * Reload, which fetches the current version and shows it next to the form so the user can re-apply their
 * changes and save again. Saving closes the modal and tells the admin page what happened.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import Button from '@atlaskit/button/new';
import { DatePicker } from '@atlaskit/datetime-picker';
import { ErrorMessage as FieldError, HelperMessage, Label, RequiredAsterisk } from '@atlaskit/form';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textarea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { DESCRIPTION_MAX, LIVE_STATUSES, MEASURE_NAME_MAX, MEASURE_UNIT_MAX, NAME_MAX, type DestinationDraft, type DestinationView, type SuccessMeasure } from '../../../src/contract';
import { call, fieldOf, toFailure, type ApiFailure } from '../../common/api';
import { useResolver } from '../../common/use-resolver';
import { ErrorMessage, Loading } from '../../common/components';
import { formatDate, getLocale, parseTypedDate } from '../../common/format';
import { STATUS_LABEL } from '../../common/labels';
import { DialogLayout } from './dialog-layout';
import { closeDialog } from './modal';
import { UserPicker, type UserOption } from './user-picker';

type EditableStatus = NonNullable<DestinationDraft['status']>;
const STATUS_OPTIONS: Array<{ value: EditableStatus; label: string }> = LIVE_STATUSES.map((value) => ({ value, label: STATUS_LABEL[value] }));

interface Values {
  name: string;
  description: string;
  businessOwner: UserOption | null;
  deliveryLead: UserOption | null;
  targetDate: string;
  startDate: string;
  status: EditableStatus;
  /** The optional success measure, as typed: all empty means none. */
  measureName: string;
  measureUnit: string;
  measureBaseline: string;
  measureTarget: string;
}

const valuesOf = (d: DestinationView | null): Values => ({
  name: d?.name ?? '',
  description: d?.description ?? '',
  businessOwner: d ? { value: d.businessOwner, label: d.businessOwnerName } : null,
  deliveryLead: d?.deliveryLead ? { value: d.deliveryLead, label: d.deliveryLeadName ?? d.deliveryLead } : null,
  targetDate: d?.targetDate ?? '',
  startDate: d?.startDate ?? '',
  status: d && d.status !== 'archived' ? d.status : 'active',
  measureName: d?.successMeasure?.name ?? '',
  measureUnit: d?.successMeasure?.unit ?? '',
  measureBaseline: d?.successMeasure ? String(d.successMeasure.baseline) : '',
  measureTarget: d?.successMeasure ? String(d.successMeasure.target) : '',
});

/** The backend names a measure's fields `successMeasure.name` and so on; the form, `measureName`. */
const MEASURE_FIELDS: Record<string, keyof Values> = {
  'successMeasure.name': 'measureName',
  'successMeasure.unit': 'measureUnit',
  'successMeasure.baseline': 'measureBaseline',
  'successMeasure.target': 'measureTarget',
  successMeasure: 'measureName',
};

/** A typed number, or `null` when the text is not one (`Number('')` would read as 0). */
function numberOf(text: string): number | null {
  if (!text.trim()) return null;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : null;
}

type Errors = Partial<Record<keyof Values, string>>;
type DateKey = 'targetDate' | 'startDate';
/** What was typed into a date input and not (yet) taken by the picker: '' when nothing is pending. */
type Typed = Record<DateKey, string>;

export const INVALID_DATE = 'Enter a valid date, such as 2027-03-31.';

const isoOf = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/**
 * The date a field holds: the picked one, or the typed text when it reads as a date (the picker only takes
 * it on Enter). `null` when the typed text is not a date, so the form can say so rather than "choose one".
 */
export function dateValue(picked: string, typed: string): string | null {
  if (!typed.trim()) return picked;
  const parsed = parseTypedDate(typed);
  return Number.isNaN(parsed.getTime()) ? null : isoOf(parsed);
}

const length = (s: string): number => [...s].length;

/** Checks before anything is sent; the limits are the backend's own (`NAME_MAX`, `DESCRIPTION_MAX`). */
export function validate(v: Values, typed: Typed): { errors: Errors; dates: Record<DateKey, string>; measure: SuccessMeasure | undefined } {
  const e: Errors = {};
  const target = dateValue(v.targetDate, typed.targetDate);
  const start = dateValue(v.startDate, typed.startDate);
  if (!v.name.trim()) e.name = 'Give the destination a name.';
  else if (length(v.name.trim()) > NAME_MAX) e.name = `Keep the name to ${NAME_MAX} characters or fewer.`;
  if (length(v.description) > DESCRIPTION_MAX) e.description = `Keep the description to ${DESCRIPTION_MAX} characters or fewer.`;
  if (!v.businessOwner) e.businessOwner = 'Choose the business owner.';
  if (target === null) e.targetDate = INVALID_DATE;
  else if (!target) e.targetDate = 'Choose a target date.';
  if (start === null) e.startDate = INVALID_DATE;
  else if (start && target && start > target) e.startDate = 'The start date must be on or before the target date.';
  const measure = measureOf(v, e);
  return { errors: e, dates: { targetDate: target ?? '', startDate: start ?? '' }, measure };
}

/** The success measure the form holds: `undefined` when every field is empty; problems go into `e`. */
function measureOf(v: Values, e: Errors): SuccessMeasure | undefined {
  const any = [v.measureName, v.measureUnit, v.measureBaseline, v.measureTarget].some((t) => t.trim() !== '');
  if (!any) return undefined;
  const name = v.measureName.trim();
  const unit = v.measureUnit.trim();
  const baseline = numberOf(v.measureBaseline);
  const target = numberOf(v.measureTarget);
  if (!name) e.measureName = 'Name what the business will see, or clear the measure\'s fields.';
  else if (length(name) > MEASURE_NAME_MAX) e.measureName = `Keep the name to ${MEASURE_NAME_MAX} characters or fewer.`;
  if (length(unit) > MEASURE_UNIT_MAX) e.measureUnit = `Keep the unit to ${MEASURE_UNIT_MAX} characters or fewer.`;
  if (baseline === null) e.measureBaseline = 'Enter the value today, as a number.';
  if (target === null) e.measureTarget = 'Enter the value to reach, as a number.';
  else if (baseline !== null && baseline === target) e.measureTarget = 'The target must differ from the baseline.';
  return baseline === null || target === null ? undefined : { name, unit, baseline, target };
}

/** The form in its modal: loads the destination to edit (by id), then renders the form. */
export function DestinationDialog({ destinationId }: { destinationId: string | null }) {
  const { data: destination, failure, reload } = useResolver('destinations/get', destinationId ? { id: destinationId } : null);
  if (!destinationId) return <DestinationForm destination={null} />;
  if (destination) return <DestinationForm destination={destination} />;
  return (
    <DialogLayout title="Edit destination" footer={<Button appearance="subtle" onClick={() => void closeDialog()}>Cancel</Button>}>
      {failure ? <ErrorMessage failure={failure} title="The destination could not be loaded" onRetry={reload} /> : <Loading label="Loading the destination" />}
    </DialogLayout>
  );
}

export function DestinationForm({ destination }: { destination: DestinationView | null }) {
  const [values, setValues] = useState<Values>(() => valuesOf(destination));
  const [typed, setTyped] = useState<Typed>({ targetDate: '', startDate: '' });
  const [version, setVersion] = useState(destination?.version ?? 0);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [conflict, setConflict] = useState(false);
  const [theirs, setTheirs] = useState<DestinationView | null>(null);
  const [saving, setSaving] = useState(false);
  const [reloading, setReloading] = useState(false);
  const noticeRef = useRef<HTMLDivElement>(null);

  // A message at the top of the body must be seen in full, even when the body had scrolled down.
  useEffect(() => {
    if (conflict || failure || theirs) noticeRef.current?.scrollIntoView({ block: 'start' });
  }, [conflict, failure, theirs]);

  const set = <K extends keyof Values>(k: K, v: Values[K]) => {
    setValues((prev) => ({ ...prev, [k]: v }));
    setErrors((prev) => ({ ...prev, [k]: undefined }));
  };
  const setDate = (k: DateKey, v: string) => {
    set(k, v);
    setTyped((prev) => ({ ...prev, [k]: '' }));
  };
  const typeDate = (k: DateKey) => ({
    onInputChange: (text: string, meta: { action: string }) => {
      if (meta.action !== 'input-change') return;
      setTyped((prev) => ({ ...prev, [k]: text }));
      setErrors((prev) => ({ ...prev, [k]: undefined }));
    },
  });

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    const { errors: local, dates, measure } = validate(values, typed);
    setErrors(local);
    if (Object.values(local).some(Boolean)) return;
    const draft: DestinationDraft = {
      name: values.name.trim(),
      description: values.description,
      businessOwner: values.businessOwner!.value,
      targetDate: dates.targetDate,
      status: values.status,
      ...(values.deliveryLead ? { deliveryLead: values.deliveryLead.value } : {}),
      ...(dates.startDate ? { startDate: dates.startDate } : {}),
      ...(measure ? { successMeasure: measure } : {}),
    };
    setSaving(true);
    setFailure(null);
    try {
      const result = destination
        ? await call('destinations/update', { id: destination.id, version, draft })
        : await call('destinations/create', { draft });
      await closeDialog({
        title: `${result.destination.name} ${destination ? 'saved' : 'created'}`,
        warnings: result.warnings.map((w) => w.message),
      });
    } catch (err) {
      const f = toFailure(err);
      const named = fieldOf(f);
      const field = (named !== undefined && MEASURE_FIELDS[named] !== undefined ? MEASURE_FIELDS[named] : named) as keyof Values | undefined;
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

  const title = destination ? 'Edit destination' : 'Create destination';
  return (
    <DialogLayout
      title={title}
      onSubmit={(e) => void submit(e)}
      footer={
        <>
          <Button appearance="subtle" onClick={() => void closeDialog()}>Cancel</Button>
          <Button appearance="primary" type="submit" isLoading={saving} isDisabled={conflict}>
            {destination ? 'Save' : 'Create'}
          </Button>
        </>
      }
    >
      <div ref={noticeRef} style={{ scrollMarginTop: token('space.100') }} />
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
      {field('name', 'Name', <Textfield id="dest-name" name="name" value={values.name} isInvalid={!!errors.name} onChange={(e) => set('name', e.currentTarget.value)} autoFocus maxLength={NAME_MAX} />, { required: true, help: `Up to ${NAME_MAX} characters.` })}
      {field('description', 'Description', <Textarea id="dest-description" name="description" value={values.description} isInvalid={!!errors.description} onChange={(e) => set('description', e.currentTarget.value)} minimumRows={2} maxLength={DESCRIPTION_MAX} />)}
      {field('businessOwner', 'Business owner', <UserPicker inputId="dest-businessOwner" value={values.businessOwner} isInvalid={!!errors.businessOwner} onChange={(v) => set('businessOwner', v)} />, { required: true })}
      {field('deliveryLead', 'Delivery lead', <UserPicker inputId="dest-deliveryLead" value={values.deliveryLead} isClearable onChange={(v) => set('deliveryLead', v)} isInvalid={!!errors.deliveryLead} />)}
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: token('space.150') }}>
        {field('startDate', 'Start date', <DatePicker id="dest-startDate" label="Start date" placeholder="Optional" value={values.startDate} locale={getLocale()} parseInputValue={parseTypedDate} isInvalid={!!errors.startDate} onChange={(v) => setDate('startDate', v)} selectProps={typeDate('startDate')} />)}
        {field('targetDate', 'Target date', <DatePicker id="dest-targetDate" label="Target date" placeholder="Choose a date" value={values.targetDate} locale={getLocale()} parseInputValue={parseTypedDate} isInvalid={!!errors.targetDate} onChange={(v) => setDate('targetDate', v)} selectProps={typeDate('targetDate')} />, { required: true })}
      </div>
      {field('status', 'Status', (
        <Select
          inputId="dest-status"
          options={STATUS_OPTIONS}
          value={STATUS_OPTIONS.find((o) => o.value === values.status) ?? null}
          onChange={(o) => o && set('status', o.value)}
          menuPlacement="auto"
          menuPortalTarget={document.body}
          styles={{ menuPortal: (base) => ({ ...base, zIndex: 9999 }) }}
        />
      ))}
      <fieldset style={{ border: 'none', margin: 0, padding: 0, marginTop: token('space.200') }}>
        <legend style={{ font: token('font.heading.xsmall'), color: token('color.text'), marginBottom: token('space.050') }}>Success measure (optional)</legend>
        <p style={{ margin: `0 0 ${token('space.100')}`, color: token('color.text.subtlest'), font: token('font.body.small') }}>
          What the business will see when the destination is reached. Check-ins record its value over time.
        </p>
        {field('measureName', 'What the business will see', <Textfield id="dest-measureName" name="measureName" placeholder="Merchants paid within one minute" value={values.measureName} isInvalid={!!errors.measureName} onChange={(e) => set('measureName', e.currentTarget.value)} maxLength={MEASURE_NAME_MAX} />)}
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr 1fr', gap: token('space.150') }}>
          {field('measureUnit', 'Unit', <Textfield id="dest-measureUnit" name="measureUnit" placeholder="%" value={values.measureUnit} isInvalid={!!errors.measureUnit} onChange={(e) => set('measureUnit', e.currentTarget.value)} maxLength={MEASURE_UNIT_MAX} />)}
          {field('measureBaseline', 'Baseline', <Textfield id="dest-measureBaseline" name="measureBaseline" inputMode="decimal" value={values.measureBaseline} isInvalid={!!errors.measureBaseline} onChange={(e) => set('measureBaseline', e.currentTarget.value)} />)}
          {field('measureTarget', 'Target', <Textfield id="dest-measureTarget" name="measureTarget" inputMode="decimal" value={values.measureTarget} isInvalid={!!errors.measureTarget} onChange={(e) => set('measureTarget', e.currentTarget.value)} />)}
        </div>
      </fieldset>
    </DialogLayout>
  );
}
