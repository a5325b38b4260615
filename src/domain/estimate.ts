/**
 * The estimate measure: what the setting (`auto` included) means on this site right now, and the measure as a
 * string, so figures built with another one are recognised as stale.
 */
import type { EffectiveEstimate, EstimateFieldSetting } from './types';

/** What `auto` (or a stale choice) means on a site with these story points fields (best candidate first). */
export function effectiveEstimate(setting: EstimateFieldSetting, site: { pointsFields: ReadonlyArray<{ id: string; name: string }> }): EffectiveEstimate {
  switch (setting.kind) {
    case 'auto': {
      const first = site.pointsFields[0];
      return first ? { kind: 'points', fieldId: first.id, name: first.name } : { kind: 'originalEstimate' };
    }
    case 'points': {
      const field = site.pointsFields.find((f) => f.id === setting.fieldId);
      // A field removed since it was chosen: estimates are shown as missing rather than guessed.
      return field ? { kind: 'points', fieldId: field.id, name: field.name } : { kind: 'none' };
    }
    case 'originalEstimate':
      return { kind: 'originalEstimate' };
    case 'none':
      return { kind: 'none' };
  }
}

/** The estimate measure as a string, e.g. `points:customfield_10016`. */
export function estimateKeyOf(estimate: EffectiveEstimate): string {
  return estimate.kind === 'points' ? `points:${estimate.fieldId}` : estimate.kind;
}
