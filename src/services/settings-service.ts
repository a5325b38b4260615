/**
 * Settings: projects in scope, the estimate measure, the throughput window, the chance thresholds of the
 * verdict. Saved only by admins (checked
 * by the resolver), validated by the domain and against the site (projects and fields must exist).
 */
import type { SettingsInput, SettingsView } from '../contract';
import { fail, ok, type Result } from '../domain/errors';
import { validateSettings } from '../domain/settings-rules';
import type { Settings } from '../domain/types';
import { effectiveEstimate } from '../domain/estimate';
import type { AppJira, SettingsStore } from './ports';

export interface SettingsDeps {
  store: SettingsStore;
  jira: AppJira;
  /** Stored estimate figures are in the old measure after the estimate setting changes: rebuild them. */
  onEstimateChanged?: () => Promise<void>;
  /** The projects in scope changed: so did the off-route work the `destinationWork` JQL function answers. */
  onScopeChanged?: () => Promise<void>;
}

export function settingsService({ store, jira, onEstimateChanged, onScopeChanged }: SettingsDeps) {
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

    async save(input: SettingsInput, version: number): Promise<Result<SettingsView>> {
      const previous = await store.get();
      // A threshold the caller leaves out keeps its current value rather than falling back to a default.
      const { onTrackChance = previous.onTrackChance, atRiskChance = previous.atRiskChance, checkInCadenceWeeks = previous.checkInCadenceWeeks, ...rest } = input;
      const valid = validateSettings({ ...rest, onTrackChance, atRiskChance, checkInCadenceWeeks });
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
      if (JSON.stringify(previous.projectKeys) !== JSON.stringify(saved.value.projectKeys)) await onScopeChanged?.();
      return ok(await view(saved.value));
    },
  };
}

export type SettingsService = ReturnType<typeof settingsService>;
