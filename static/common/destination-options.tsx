/**
 * The destinations a person may choose for an epic, and how each reads in a menu: one home for the field
 * edit and the panel, so both offer the same choices and show the same owner and target date.
 */
import type { FormatOptionLabelMeta } from '@atlaskit/select';
import { token } from '@atlaskit/tokens';
import type { DestinationView } from '../../src/contract';
import { formatDate } from './format';

export interface DestinationOption {
  value: string;
  label: string;
  /** Absent for a value that is not among the choices (a current value kept visible). */
  destination?: DestinationView;
}

/** Active destinations, in priority order. */
export function destinationOptions(list: readonly DestinationView[]): DestinationOption[] {
  return list
    .filter((d) => d.status === 'active')
    .sort((a, b) => a.priority - b.priority)
    .map((d) => ({ value: d.id, label: d.name, destination: d }));
}

/** `formatOptionLabel` for an Atlaskit Select of destinations: in the menu, the name over target date and owner. */
export function formatDestinationOption(option: DestinationOption, meta: FormatOptionLabelMeta<DestinationOption>): React.ReactNode {
  const d = option.destination;
  if (meta.context !== 'menu' || !d) return option.label;
  return (
    <div>
      <div>{d.name}</div>
      <div style={{ font: token('font.body.small'), color: token('color.text.subtlest') }}>
        Target {formatDate(d.targetDate)} · {d.businessOwnerName}
      </div>
    </div>
  );
}
