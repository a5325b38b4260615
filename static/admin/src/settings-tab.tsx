/**
 * Settings: projects in scope, estimate field, throughput window, the chances a verdict is read from, the
 * check-in cadence. Saved with the version it was read at.
 */
import { useRef, useState } from 'react';
import Button from '@atlaskit/button/new';
import { ErrorMessage as FieldError, HelperMessage, Label } from '@atlaskit/form';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import { SETTINGS_LIMITS, type EstimateFieldSetting, type SettingsView } from '../../../src/contract';
import { call, fieldOf, toFailure, type ApiFailure } from '../../common/api';
import { ErrorMessage, Loading } from '../../common/components';
import { useResolver } from '../../common/use-resolver';

interface Option {
  value: string;
  label: string;
}

const estimateKey = (s: EstimateFieldSetting): string => (s.kind === 'points' ? `points:${s.fieldId}` : s.kind);
const estimateOf = (key: string): EstimateFieldSetting =>
  key.startsWith('points:') ? { kind: 'points', fieldId: key.slice('points:'.length) } : key === 'originalEstimate' ? { kind: 'originalEstimate' } : key === 'none' ? { kind: 'none' } : { kind: 'auto' };

function autoLabel(view: SettingsView): string {
  const e = view.effectiveEstimate;
  switch (e.kind) {
    case 'points':
      return `Automatic (now: ${e.name})`;
    case 'originalEstimate':
      return 'Automatic (now: original estimate)';
    case 'none':
      return 'Automatic (now: none found, counts only)';
  }
}

export function validateWeeks(text: string, { min, max }: { min: number; max: number } = SETTINGS_LIMITS.throughputWeeks): string | undefined {
  if (!/^\d+$/.test(text.trim())) return 'Enter a whole number of weeks.';
  const n = Number(text);
  return n < min || n > max ? `Choose between ${min} and ${max} weeks.` : undefined;
}

/** The two chance thresholds as typed: each a whole percent within its limits, "at risk" below "on track". */
export function validateChances(onTrack: string, atRisk: string): { onTrack?: string; atRisk?: string } {
  const check = (text: string, { min, max }: { min: number; max: number }): string | undefined =>
    !/^\d+$/.test(text.trim()) ? 'Enter a whole percent.' : Number(text) < min || Number(text) > max ? `Choose between ${min}% and ${max}%.` : undefined;
  const errors = { onTrack: check(onTrack, SETTINGS_LIMITS.onTrackChance), atRisk: check(atRisk, SETTINGS_LIMITS.atRiskChance) };
  if (!errors.onTrack && !errors.atRisk && Number(atRisk) >= Number(onTrack)) errors.atRisk = `Choose less than the on-track chance (${Number(onTrack)}%).`;
  return errors;
}

export function SettingsTab() {
  const [projects, setProjects] = useState<string[]>([]);
  const [estimate, setEstimate] = useState('auto');
  const [weeks, setWeeks] = useState('12');
  const [onTrack, setOnTrack] = useState('70');
  const [atRisk, setAtRisk] = useState('30');
  const [cadence, setCadence] = useState('2');
  const [version, setVersion] = useState(0);
  const [errors, setErrors] = useState<{ projects?: string; estimate?: string; weeks?: string; onTrack?: string; atRisk?: string; cadence?: string }>({});
  const [saveFailure, setSaveFailure] = useState<ApiFailure | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const adopt = (v: SettingsView, keepTyped: boolean) => {
    setVersion(v.settings.version);
    if (!keepTyped) {
      setProjects(v.settings.projectKeys);
      setEstimate(estimateKey(v.settings.estimateField));
      setWeeks(String(v.settings.throughputWeeks));
      setOnTrack(String(v.settings.onTrackChance));
      setAtRisk(String(v.settings.atRiskChance));
      setCadence(String(v.settings.checkInCadenceWeeks));
    }
  };

  // A reload after a conflict keeps what the admin typed and takes only the new version.
  const keepTyped = useRef(false);
  const { data: view, failure, reload, setData: setView } = useResolver('settings/get', {}, (v) => {
    adopt(v, keepTyped.current);
    setConflict(false);
  });
  const load = (keep: boolean) => {
    keepTyped.current = keep;
    reload();
  };

  if (failure) return <ErrorMessage failure={failure} title="Settings could not be loaded" onRetry={() => load(false)} />;
  if (!view) return <Loading label="Loading settings" />;

  const projectOptions: Option[] = view.projects.map((p) => ({ value: p.key, label: `${p.name} (${p.key})` }));
  const estimateOptions: Option[] = [
    { value: 'auto', label: autoLabel(view) },
    ...view.estimateFields.map((f) => ({ value: `points:${f.id}`, label: `Story points: ${f.name}` })),
    { value: 'originalEstimate', label: 'Original estimate (hours)' },
    { value: 'none', label: 'None (count issues only)' },
  ];
  const weeksError = errors.weeks ?? validateWeeks(weeks);
  const typedChances = validateChances(onTrack, atRisk);
  const onTrackError = errors.onTrack ?? typedChances.onTrack;
  const atRiskError = errors.atRisk ?? typedChances.atRisk;
  const cadenceError = errors.cadence ?? validateWeeks(cadence, SETTINGS_LIMITS.checkInCadenceWeeks);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const w = validateWeeks(weeks);
    const chances = validateChances(onTrack, atRisk);
    const c = validateWeeks(cadence, SETTINGS_LIMITS.checkInCadenceWeeks);
    setErrors({ weeks: w, ...chances, cadence: c });
    if (w || chances.onTrack || chances.atRisk || c) return;
    setSaving(true);
    setSaveFailure(null);
    try {
      const next = await call('settings/save', {
        settings: {
          projectKeys: projects,
          estimateField: estimateOf(estimate),
          throughputWeeks: Number(weeks),
          onTrackChance: Number(onTrack),
          atRiskChance: Number(atRisk),
          checkInCadenceWeeks: Number(cadence),
        },
        version,
      });
      setView(next);
      adopt(next, false);
      setSaved(true);
    } catch (err) {
      const f = toFailure(err);
      const field = fieldOf(f);
      if (f.code === 'CONFLICT') setConflict(true);
      else if (field === 'throughputWeeks') setErrors({ weeks: f.message });
      else if (field === 'onTrackChance') setErrors({ onTrack: f.message });
      else if (field === 'atRiskChance') setErrors({ atRisk: f.message });
      else if (field === 'checkInCadenceWeeks') setErrors({ cadence: f.message });
      else if (field === 'projectKeys') setErrors({ projects: f.message });
      else if (field === 'estimateField' || field === 'fieldId') setErrors({ estimate: f.message });
      else setSaveFailure(f);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={(e) => void save(e)} noValidate style={{ maxWidth: 560, display: 'flex', flexDirection: 'column', gap: token('space.200') }}>
      {conflict && (
        <SectionMessage
          appearance="warning"
          title="Settings were changed by someone else"
          actions={[<SectionMessageAction key="reload" onClick={() => load(true)}>Reload</SectionMessageAction>]}
        >
          <p>Your values are kept. Reload to take the current version, then save again to apply them.</p>
        </SectionMessage>
      )}
      {saveFailure && (
        <SectionMessage appearance="error" title="Settings not saved">
          <p>{saveFailure.message}</p>
        </SectionMessage>
      )}
      {saved && (
        <div role="status">
          <SectionMessage appearance="success" title="Settings saved">
            <p>Figures are recomputed with the new settings.</p>
          </SectionMessage>
        </div>
      )}
      <div>
        <Label htmlFor="settings-projects">Projects in scope</Label>
        <Select<Option, true>
          inputId="settings-projects"
          isMulti
          options={projectOptions}
          value={projectOptions.filter((o) => projects.includes(o.value))}
          onChange={(os) => setProjects(os.map((o) => o.value))}
          placeholder="All projects"
        />
        {errors.projects ? <FieldError>{errors.projects}</FieldError> : <HelperMessage>Leave empty to include every project.</HelperMessage>}
      </div>
      <div>
        <Label htmlFor="settings-estimate">Estimate field</Label>
        <Select<Option>
          inputId="settings-estimate"
          options={estimateOptions}
          value={estimateOptions.find((o) => o.value === estimate) ?? null}
          onChange={(o) => o && setEstimate(o.value)}
        />
        {errors.estimate ? <FieldError>{errors.estimate}</FieldError> : <HelperMessage>Progress by estimate uses this field; unestimated issues are always counted.</HelperMessage>}
      </div>
      <div>
        <Label htmlFor="settings-weeks">Throughput window (weeks)</Label>
        <Textfield
          id="settings-weeks"
          type="number"
          min={SETTINGS_LIMITS.throughputWeeks.min}
          max={SETTINGS_LIMITS.throughputWeeks.max}
          value={weeks}
          isInvalid={!!weeksError}
          aria-describedby="settings-weeks-message"
          onChange={(e) => {
            setWeeks(e.currentTarget.value);
            setErrors((prev) => ({ ...prev, weeks: undefined }));
          }}
          width="small"
        />
        <div id="settings-weeks-message">
          {weeksError ? <FieldError>{weeksError}</FieldError> : <HelperMessage>Forecasts use done work per week over this window ({SETTINGS_LIMITS.throughputWeeks.min} to {SETTINGS_LIMITS.throughputWeeks.max}).</HelperMessage>}
        </div>
      </div>
      <fieldset style={{ border: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: token('space.100') }}>
        <legend style={{ padding: 0, font: token('font.heading.xsmall') }}>On time? is read from the chance of arriving by the target date</legend>
        <ChanceField
          id="settings-on-track"
          label="On track from (% chance)"
          value={onTrack}
          limits={SETTINGS_LIMITS.onTrackChance}
          error={onTrackError}
          help="At or above this chance a destination is on track."
          onChange={(text) => {
            setOnTrack(text);
            setErrors((prev) => ({ ...prev, onTrack: undefined, atRisk: undefined }));
          }}
        />
        <ChanceField
          id="settings-at-risk"
          label="At risk from (% chance)"
          value={atRisk}
          limits={SETTINGS_LIMITS.atRiskChance}
          error={atRiskError}
          help="From this chance up to the on-track one a destination is at risk; below it, off track."
          onChange={(text) => {
            setAtRisk(text);
            setErrors((prev) => ({ ...prev, onTrack: undefined, atRisk: undefined }));
          }}
        />
      </fieldset>
      <div>
        <Label htmlFor="settings-cadence">Check-in cadence (weeks)</Label>
        <Textfield
          id="settings-cadence"
          type="number"
          min={SETTINGS_LIMITS.checkInCadenceWeeks.min}
          max={SETTINGS_LIMITS.checkInCadenceWeeks.max}
          value={cadence}
          isInvalid={!!cadenceError}
          aria-describedby="settings-cadence-message"
          onChange={(e) => {
            setCadence(e.currentTarget.value);
            setErrors((prev) => ({ ...prev, cadence: undefined }));
          }}
          width="small"
        />
        <div id="settings-cadence-message">
          {cadenceError ? <FieldError>{cadenceError}</FieldError> : <HelperMessage>A destination shows a check-in as due when its owner and lead have not checked in for this long ({SETTINGS_LIMITS.checkInCadenceWeeks.min} to {SETTINGS_LIMITS.checkInCadenceWeeks.max}).</HelperMessage>}
        </div>
      </div>
      <div>
        <Button appearance="primary" type="submit" isLoading={saving} isDisabled={conflict || !!weeksError || !!onTrackError || !!atRiskError || !!cadenceError}>
          Save settings
        </Button>
      </div>
    </form>
  );
}

function ChanceField(props: {
  id: string;
  label: string;
  value: string;
  limits: { min: number; max: number };
  error: string | undefined;
  help: string;
  onChange: (text: string) => void;
}) {
  return (
    <div>
      <Label htmlFor={props.id}>{props.label}</Label>
      <Textfield
        id={props.id}
        type="number"
        min={props.limits.min}
        max={props.limits.max}
        value={props.value}
        isInvalid={!!props.error}
        aria-describedby={`${props.id}-message`}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        width="small"
      />
      <div id={`${props.id}-message`}>{props.error ? <FieldError>{props.error}</FieldError> : <HelperMessage>{props.help}</HelperMessage>}</div>
    </div>
  );
}
