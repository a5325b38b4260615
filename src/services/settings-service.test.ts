import { DEFAULT_SETTINGS } from '../domain/types';
import { settingsService } from './settings-service';
import { inMemoryAppJira, inMemorySettingsStore } from '../../test/helpers/in-memory-ports';

const projects = [{ id: '1', key: 'ALPHA', name: 'Alpha' }, { id: '2', key: 'BETA', name: 'Beta' }];

function setup(stored = { ...DEFAULT_SETTINGS, onTrackChance: 80, atRiskChance: 40, checkInCadenceWeeks: 5, version: 3 }) {
  const store = inMemorySettingsStore(stored);
  let recalculations = 0;
  const service = settingsService({ store, jira: inMemoryAppJira({ projects }), onEstimateChanged: async () => void (recalculations += 1) });
  return { store, service, recalculations: () => recalculations };
}

describe('settingsService', () => {
  it('keeps the stored thresholds and check-in cadence when the caller leaves them out', async () => {
    const { service, store } = setup();
    const saved = await service.save({ projectKeys: ['ALPHA'], estimateField: { kind: 'auto' }, throughputWeeks: 8 }, 3);
    expect(saved.ok).toBe(true);
    expect(store.current()).toEqual({ projectKeys: ['ALPHA'], estimateField: { kind: 'auto' }, throughputWeeks: 8, onTrackChance: 80, atRiskChance: 40, checkInCadenceWeeks: 5, version: 4 });
  });

  it('refuses a save based on a stale version as a CONFLICT and keeps what is stored', async () => {
    const { service, store } = setup();
    const saved = await service.save({ projectKeys: [], estimateField: { kind: 'auto' }, throughputWeeks: 6 }, 2);
    expect(saved.ok ? null : saved.error.code).toBe('CONFLICT');
    expect(store.current().throughputWeeks).toBe(DEFAULT_SETTINGS.throughputWeeks);
    expect(store.current().version).toBe(3);
  });

  it('asks for a recalculation when the estimate measure changes, and only then', async () => {
    const { service, recalculations } = setup();
    await service.save({ projectKeys: [], estimateField: { kind: 'auto' }, throughputWeeks: 10 }, 3);
    expect(recalculations()).toBe(0);
    await service.save({ projectKeys: [], estimateField: { kind: 'originalEstimate' }, throughputWeeks: 10 }, 4);
    expect(recalculations()).toBe(1);
  });

  it('does not ask for a recalculation when the save is refused', async () => {
    const { service, recalculations } = setup();
    const saved = await service.save({ projectKeys: [], estimateField: { kind: 'originalEstimate' }, throughputWeeks: 10 }, 1);
    expect(saved.ok).toBe(false);
    expect(recalculations()).toBe(0);
  });

  it('refuses a project the site does not have, naming it and the field', async () => {
    const { service, store } = setup();
    const saved = await service.save({ projectKeys: ['ALPHA', 'GAMMA'], estimateField: { kind: 'auto' }, throughputWeeks: 12 }, 3);
    expect(saved).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'No project with key GAMMA exists on this site (or the app cannot see it).', field: 'projectKeys' } });
    expect(store.current().version).toBe(3);
  });

  it('refuses a points field that is not a story points field on the site', async () => {
    const { service } = setup();
    const saved = await service.save({ projectKeys: [], estimateField: { kind: 'points', fieldId: 'customfield_99999' }, throughputWeeks: 12 }, 3);
    expect(saved.ok ? null : saved.error).toEqual({ code: 'INVALID_INPUT', message: 'Field customfield_99999 is not a story points field on this site.', field: 'estimateField' });
  });

  it('answers the stored settings with what auto resolves to and the projects of the site', async () => {
    const { service } = setup();
    const view = await service.get();
    expect(view.effectiveEstimate).toEqual({ kind: 'points', fieldId: 'customfield_10016', name: 'Story points' });
    expect(view.projects).toEqual([{ key: 'ALPHA', name: 'Alpha' }, { key: 'BETA', name: 'Beta' }]);
    expect(view.settings.version).toBe(3);
  });
});
