/**
 * The app's settings: one entity, saved only if nobody saved since the caller read it.
 */
import { Filter, FilterConditions } from '@forge/kvs';
import { kvs } from './kvs-retry';
import { fail, ok } from '../../domain/errors';
import { DEFAULT_SETTINGS, type Settings } from '../../domain/types';
import type { SettingsStore } from '../../services/ports';
import { isConditionFailure } from './destination-store';
import { ENTITY, KEY } from './keys';
import { storageFailure } from './storage-errors';

export function createSettingsStore(): SettingsStore {
  return {
    async get() {
      try {
        // Settings saved before a setting existed read it as its default.
        const stored = await kvs.entity<Settings>(ENTITY.settings).get(KEY.settings);
        return stored ? { ...DEFAULT_SETTINGS, ...stored } : DEFAULT_SETTINGS;
      } catch (error) {
        throw storageFailure(error);
      }
    },
    async save(settings, expectedVersion) {
      const condition =
        expectedVersion === 0
          ? new Filter<Settings>().and('version', FilterConditions.notExists())
          : new Filter<Settings>().and('version', FilterConditions.equalTo(expectedVersion));
      const next: Settings = { ...settings, version: expectedVersion + 1 };
      try {
        await kvs.transact().set<Settings>(KEY.settings, next, { entityName: ENTITY.settings, conditions: condition }).execute();
        return ok(next);
      } catch (error) {
        if (isConditionFailure(error)) {
          return fail('CONFLICT', 'The settings were changed by someone else. Reload and try again.');
        }
        throw storageFailure(error);
      }
    },
  };
}
