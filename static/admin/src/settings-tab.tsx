/** Settings: projects in scope, estimate field, throughput window. Saved with the version it was read at. */
import { useCallback, useEffect, useState } from 'react';
import Button from '@atlaskit/button/new';
import { ErrorMessage as FieldError, HelperMessage, Label } from '@atlaskit/form';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { token } from '@atlaskit/tokens';
import type { EstimateFieldSetting, SettingsView } from '../../../src/contract';
import { call, fieldOf, toFailure, type ApiFailure } from '../../common/api';
import { ErrorMessage, Loading } from '../../common/components';

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

export function validateWeeks(text: string): string | undefined {
  if (!/^\d+$/.test(text.trim())) return 'Enter a whole number of weeks.';
  const n = Number(text);
  return n < 1 || n > 52 ? 'Choose between 1 and 52 weeks.' : undefined;
}

export function SettingsTab() {
  const [view, setView] = useState<SettingsView | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [projects, setProjects] = useState<string[]>([]);
  const [estimate, setEstimate] = useState('auto');
  const [weeks, setWeeks] = useState('12');
  const [version, setVersion] = useState(0);
  const [errors, setErrors] = useState<{ projects?: string; estimate?: string; weeks?: string }>({});
  const [saveFailure, setSaveFailure] = useState<ApiFailure | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const adopt = (v: SettingsView, keepTyped: boolean) => {
    setView(v);
    setVersion(v.settings.version);
    if (!keepTyped) {
      setProjects(v.settings.projectKeys);
      setEstimate(estimateKey(v.settings.estimateField));
      setWeeks(String(v.settings.throughputWeeks));
    }
  };

  const load = useCallback((keepTyped = false) => {
    setFailure(null);
    call('settings/get', {})
      .then((v) => {
        adopt(v, keepTyped);
        setConflict(false);
      })
      .catch((e: unknown) => setFailure(toFailure(e)));
  }, []);
  useEffect(() => load(false), [load]);

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

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const w = validateWeeks(weeks);
    setErrors({ weeks: w });
    if (w) return;
    setSaving(true);
    setSaveFailure(null);
    try {
      const next = await call('settings/save', {
        settings: { projectKeys: projects, estimateField: estimateOf(estimate), throughputWeeks: Number(weeks) },
        version,
      });
      adopt(next, false);
      setSaved(true);
    } catch (err) {
      const f = toFailure(err);
      const field = fieldOf(f);
      if (f.code === 'CONFLICT') setConflict(true);
      else if (field === 'throughputWeeks') setErrors({ weeks: f.message });
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
          min={1}
          max={52}
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
          {weeksError ? <FieldError>{weeksError}</FieldError> : <HelperMessage>Forecasts use done work per week over this window (1 to 52).</HelperMessage>}
        </div>
      </div>
      <div>
        <Button appearance="primary" type="submit" isLoading={saving} isDisabled={conflict || !!weeksError}>
          Save settings
        </Button>
      </div>
    </form>
  );
}
