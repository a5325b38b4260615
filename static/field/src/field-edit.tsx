/**
 * Edit for the Business destination custom field: a select of active destinations, saved with
 * `view.submit({id, name} | null)`. Keyboard: the select has focus on load, Enter saves (when the menu is
 * closed), Escape cancels. In issue create there is no save step: each change is submitted at once.
 */
import { useState, type KeyboardEvent } from 'react';
import { view, type FullContext } from '@forge/bridge';
import Select from '@atlaskit/select';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import { fieldValueText, unknownDestinationText, type DestinationFieldValue, type DestinationView } from '../../../src/contract';
import { useResolver } from '../../common/use-resolver';
import type { Preloaded } from '../../common/preload';
import { ErrorMessage } from '../../common/components';
import { destinationOptions, formatDestinationOption, type DestinationOption as Option } from '../../common/destination-options';

/** What the field holds: what the app writes, or an id alone (then the field reads as an unknown destination). */
type StoredValue = DestinationFieldValue | { id: string; name?: undefined };

const toValue = (raw: unknown): StoredValue | null => {
  if (typeof raw !== 'object' || raw === null) return null;
  const { id, name } = raw as { id?: unknown; name?: unknown };
  if (typeof id !== 'string') return null;
  return typeof name === 'string' ? { id, name } : { id };
};

/** How the current value reads when it is not among the choices: not active, or no destination at all. */
function currentLabel(value: StoredValue, all: readonly DestinationView[]): string {
  const known = all.find((d) => d.id === value.id);
  return known ? `${known.name} (not active)` : unknownDestinationText(value.id);
}

export function FieldEdit({ context, first }: { context: FullContext; first?: Preloaded<'destinations/list'> }) {
  const extension = context.extension as { fieldValue?: unknown; renderContext?: string };
  const isCreate = extension.renderContext === 'issue-create';
  const initial = toValue(extension.fieldValue);
  const [selected, setSelected] = useState<StoredValue | null>(initial);
  // Every destination, archived ones included, so a current value can be told apart from an unknown id.
  const { data: all, failure, reload } = useResolver('destinations/list', { includeArchived: true }, undefined, first);
  const [menuOpen, setMenuOpen] = useState(false);
  const [saving, setSaving] = useState(false);

  const options = all ? destinationOptions(all) : null;
  // Keep a current value that is not a choice (archived, achieved, or no destination at all) visible rather than dropping it.
  const allOptions: Option[] =
    all && options && initial && !options.some((o) => o.value === initial.id)
      ? [{ value: initial.id, label: currentLabel(initial, all) }, ...options]
      : (options ?? []);
  const value = selected ? (allOptions.find((o) => o.value === selected.id) ?? { value: selected.id, label: fieldValueText(selected) }) : null;

  const save = async (next: StoredValue | null = selected) => {
    setSaving(true);
    try {
      await view.submit(next);
    } finally {
      setSaving(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (menuOpen || isCreate) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      void view.close();
    }
  };

  return (
    <div style={{ padding: token('space.050') }} onKeyDown={onKeyDown}>
      {failure && <ErrorMessage failure={failure} title="Destinations could not be loaded" onRetry={reload} />}
      <Select<Option>
        inputId="business-destination-select"
        aria-label="Business destination"
        autoFocus
        openMenuOnFocus={false}
        isClearable
        isLoading={options === null && !failure}
        options={allOptions}
        value={value}
        placeholder="Choose a destination"
        noOptionsMessage={() => 'No active destination matches'}
        onMenuOpen={() => setMenuOpen(true)}
        onMenuClose={() => setMenuOpen(false)}
        onChange={(opt) => {
          const next = opt ? { id: opt.value, name: opt.destination?.name ?? opt.label } : null;
          setSelected(next);
          if (isCreate) void save(next);
        }}
        formatOptionLabel={formatDestinationOption}
        menuPortalTarget={document.body}
        styles={{ menuPortal: (base) => ({ ...base, zIndex: 9999 }) }}
      />
      {!isCreate && (
        <div style={{ display: 'flex', justifyContent: 'flex-end', flexWrap: 'wrap', gap: token('space.100'), marginTop: token('space.100') }}>
          <Button appearance="subtle" onClick={() => void view.close()}>
            Cancel
          </Button>
          <Button appearance="primary" isLoading={saving} onClick={() => void save()}>
            Save
          </Button>
        </div>
      )}
    </div>
  );
}
