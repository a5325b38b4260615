/**
 * The gadget's edit view: a destination, or the portfolio's headline, saved with `view.submit({destinationId})`.
 * Jira keeps it as the gadget's configuration and shows the view with it.
 */
import { useState } from 'react';
import { view } from '@forge/bridge';
import Button from '@atlaskit/button/new';
import { token } from '@atlaskit/tokens';
import { Select } from '../../common/lazy-select';
import { ErrorMessage } from '../../common/components';
import { useResolver } from '../../common/use-resolver';
import { destinationOptions, formatDestinationOption, type DestinationOption } from '../../common/destination-options';
import type { GadgetConfiguration } from './configuration';

/** The option that is no destination: the whole portfolio's headline. */
const HEADLINE: DestinationOption = { value: '', label: 'Portfolio headline' };

export function GadgetEdit({ configuration }: { configuration: GadgetConfiguration }) {
  const { data: all, failure, reload } = useResolver('destinations/list', { includeArchived: true });
  const [chosen, setChosen] = useState<string | null>(configuration.destinationId ?? null);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  const options = [HEADLINE, ...(all ? destinationOptions(all) : [])];
  // A configured destination that is no longer active stays visible, said as what it is now.
  if (all && chosen !== null && !options.some((o) => o.value === chosen)) {
    const known = all.find((d) => d.id === chosen);
    options.splice(1, 0, { value: chosen, label: known ? `${known.name} (${known.status})` : `Unknown destination (${chosen})` });
  }
  const value = options.find((o) => o.value === (chosen ?? '')) ?? HEADLINE;

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      await view.submit({ destinationId: chosen });
    } catch {
      setSaveError('The gadget could not be saved. Try again.');
      setSaving(false);
    }
  };

  return (
    <form
      style={{ padding: token('space.200'), display: 'grid', gap: token('space.150') }}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {failure && <ErrorMessage failure={failure} title="Destinations could not be loaded" onRetry={reload} />}
      <label htmlFor="gadget-destination-select" style={{ font: token('font.body.small'), fontWeight: 600, color: token('color.text.subtle') }}>
        Show
      </label>
      <Select<DestinationOption>
        inputId="gadget-destination-select"
        aria-label="Destination the gadget shows"
        isLoading={all === null && !failure}
        options={options}
        value={value}
        onChange={(opt) => setChosen(opt && opt.value !== '' ? opt.value : null)}
        formatOptionLabel={formatDestinationOption}
        menuPortalTarget={document.body}
        styles={{ menuPortal: (base) => ({ ...base, zIndex: 9999 }) }}
      />
      {saveError && (
        <div role="alert" style={{ color: token('color.text.danger'), font: token('font.body.small') }}>
          {saveError}
        </div>
      )}
      <div style={{ display: 'flex', justifyContent: 'flex-end' }}>
        <Button appearance="primary" type="submit" isLoading={saving}>
          Save
        </Button>
      </div>
    </form>
  );
}
