/**
 * Edit for the Business destination custom field: a select of active destinations, saved with
 * `view.submit({id, name} | null)`. Keyboard: the select has focus on load, Enter saves (when the menu is
 * closed), Escape cancels. In issue create there is no save step: each change is submitted at once.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { view, type FullContext } from '@forge/bridge';
import Select from '@atlaskit/select';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import type { DestinationFieldValue, DestinationView } from '../../../src/contract';
import { call, toFailure, type ApiFailure } from '../../common/api';
import { ErrorMessage } from '../../common/components';
import { formatDate } from '../../common/format';

interface Option {
  value: string;
  label: string;
  destination?: DestinationView;
}

const toValue = (raw: unknown): DestinationFieldValue | null => {
  if (typeof raw !== 'object' || raw === null) return null;
  const { id, name } = raw as { id?: unknown; name?: unknown };
  return typeof id === 'string' ? { id, name: typeof name === 'string' ? name : id } : null;
};

export function FieldEdit({ context }: { context: FullContext }) {
  const extension = context.extension as { fieldValue?: unknown; renderContext?: string };
  const isCreate = extension.renderContext === 'issue-create';
  const initial = toValue(extension.fieldValue);
  const [selected, setSelected] = useState<DestinationFieldValue | null>(initial);
  const [options, setOptions] = useState<Option[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const loadCount = useRef(0);

  const load = () => {
    const n = ++loadCount.current;
    setFailure(null);
    call('destinations/list', { includeArchived: false })
      .then((list) => {
        if (n !== loadCount.current) return;
        setOptions(
          list
            .filter((d) => d.status === 'active')
            .sort((a, b) => a.priority - b.priority)
            .map((d) => ({ value: d.id, label: d.name, destination: d })),
        );
      })
      .catch((e: unknown) => n === loadCount.current && setFailure(toFailure(e)));
  };
  useEffect(load, []);

  // Keep a current value that is no longer active (archived, achieved) visible rather than dropping it.
  const allOptions: Option[] =
    options && initial && !options.some((o) => o.value === initial.id)
      ? [{ value: initial.id, label: `${initial.name} (not active)` }, ...options]
      : (options ?? []);
  const value = selected ? (allOptions.find((o) => o.value === selected.id) ?? { value: selected.id, label: selected.name }) : null;

  const save = async (next: DestinationFieldValue | null = selected) => {
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
      {failure && <ErrorMessage failure={failure} title="Destinations could not be loaded" onRetry={load} />}
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
        formatOptionLabel={(opt, meta) =>
          meta.context === 'menu' && opt.destination ? (
            <div>
              <div>{opt.destination.name}</div>
              <div style={{ font: token('font.body.small'), color: token('color.text.subtlest') }}>
                Target {formatDate(opt.destination.targetDate)} · {opt.destination.businessOwnerName}
              </div>
            </div>
          ) : (
            opt.label
          )
        }
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
