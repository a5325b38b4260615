/**
 * Settings: projects in scope, the estimate measure, the throughput window, the chance thresholds of the
 * verdict. Saved only by admins (checked
 * by the resolver), validated by the domain and against the site (projects and fields must exist).
 */
import type { SettingsView } from '../contract';
import { fail, ok, type Result } from '../domain/errors';
import { validateSettings } from '../domain/settings-rules';
import type { EstimateFieldSetting, Settings } from '../domain/types';
import type { AppJira, EffectiveEstimate, SettingsStore, SiteMeta } from './ports';

/** What `auto` (or a stale choice) means on this site right now. */
export function effectiveEstimate(setting: EstimateFieldSetting, meta: SiteMeta): EffectiveEstimate {
  switch (setting.kind) {
    case 'auto': {
      const first = meta.pointsFields[0];
      return first ? { kind: 'points', fieldId: first.id, name: first.name } : { kind: 'originalEstimate' };
    }
    case 'points': {
      const field = meta.pointsFields.find((f) => f.id === setting.fieldId);
      // A field removed since it was chosen: estimates are shown as missing rather than guessed.
      return field ? { kind: 'points', fieldId: field.id, name: field.name } : { kind: 'none' };
    }
    case 'originalEstimate':
      return { kind: 'originalEstimate' };
    case 'none':
      return { kind: 'none' };
  }
}

export interface SettingsDeps {
  store: SettingsStore;
  jira: AppJira;
  /** Stored estimate figures are in the old measure after the estimate setting changes: rebuild them. */
  onEstimateChanged?: () => Promise<void>;
}

export function settingsService({ store, jira, onEstimateChanged }: SettingsDeps) {
  async function view(settings: Settings): Promise<SettingsView> {
    const [meta, projects] = await Promise.all([jira.siteMeta(), jira.projects()]);
    return {
      settings,
      estimateFields: meta.pointsFields,
      effectiveEstimate: effectiveEstimate(settings.estimateField, meta),
      projects: projects.map((p) => ({ key: p.key, name: p.name })),
    };
  }

  return {
    async get(): Promise<SettingsView> {
      return view(await store.get());
    },

    async save(input: unknown, version: number): Promise<Result<SettingsView>> {
      const previous = await store.get();
      // A threshold the caller leaves out keeps its current value rather than falling back to a default.
      const thresholds = { onTrackChance: previous.onTrackChance, atRiskChance: previous.atRiskChance };
      const valid = validateSettings(isRecord(input) ? { ...thresholds, ...withoutUndefined(input) } : input);
      if (!valid.ok) return valid;
      const [meta, projects] = await Promise.all([jira.siteMeta(), jira.projects()]);
      const known = new Set(projects.map((p) => p.key));
      const unknown = valid.value.projectKeys.filter((k) => !known.has(k));
      if (unknown.length > 0) {
        return fail('INVALID_INPUT', `No project with key ${unknown.join(', ')} exists on this site (or the app cannot see it).`, 'projectKeys');
      }
      const estimate = valid.value.estimateField;
      if (estimate.kind === 'points' && !meta.pointsFields.some((f) => f.id === estimate.fieldId)) {
        return fail('INVALID_INPUT', `Field ${estimate.fieldId} is not a story points field on this site.`, 'estimateField');
      }
      const saved = await store.save({ ...valid.value, version }, version);
      if (!saved.ok) return saved;
      if (JSON.stringify(previous.estimateField) !== JSON.stringify(saved.value.estimateField)) await onEstimateChanged?.();
      return ok(await view(saved.value));
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

export type SettingsService = ReturnType<typeof settingsService>;
