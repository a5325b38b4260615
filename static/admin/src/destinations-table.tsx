/** The destinations as the admin ranks them: one row each, with its actions. */
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import { token } from '@atlaskit/tokens';
import type { DestinationView } from '../../../src/contract';
import { StatusLozenge } from '../../common/components';
import { formatDate } from '../../common/format';
import type { ConfirmAction } from './modal';

const head = {
  cells: [
    { key: 'priority', content: 'Priority', width: 7 },
    { key: 'name', content: 'Name', width: 25 },
    { key: 'owner', content: 'Business owner', width: 15 },
    { key: 'target', content: 'Target date', width: 11 },
    { key: 'status', content: 'Status', width: 9 },
    { key: 'epics', content: 'Epics', width: 5 },
    { key: 'actions', content: 'Actions', width: 28 },
  ],
};

export function DestinationsTable({ shown, liveIds, busy, onEdit, onMove, onConfirm }: {
  shown: DestinationView[];
  /** The live destinations' ids by rank: the first cannot move up, the last cannot move down. */
  liveIds: string[];
  busy: boolean;
  onEdit: (d: DestinationView) => void;
  onMove: (d: DestinationView, by: -1 | 1) => void;
  onConfirm: (action: ConfirmAction, d: DestinationView) => void;
}) {
  const rows = shown.map((d) => ({
    key: d.id,
    cells: [
      { key: 'priority', content: d.priority },
      { key: 'name', content: <span>{d.name}</span> },
      { key: 'owner', content: d.businessOwnerName },
      { key: 'target', content: formatDate(d.targetDate) },
      { key: 'status', content: <StatusLozenge status={d.status} /> },
      // Unknown until the first background calculation has stored the epics.
      { key: 'epics', content: d.epicCount ?? '–' },
      {
        key: 'actions',
        content: (
          <div style={{ display: 'flex', gap: token('space.050'), flexWrap: 'wrap' }}>
            <Button spacing="compact" onClick={() => onEdit(d)} aria-label={`Edit ${d.name}`}>Edit</Button>
            <Button spacing="compact" isDisabled={busy || d.status === 'archived' || liveIds.indexOf(d.id) === 0} onClick={() => onMove(d, -1)} aria-label={`Move ${d.name} up`}>↑</Button>
            <Button spacing="compact" isDisabled={busy || d.status === 'archived' || liveIds.indexOf(d.id) === liveIds.length - 1} onClick={() => onMove(d, 1)} aria-label={`Move ${d.name} down`}>↓</Button>
            {d.status === 'archived' ? (
              <Button spacing="compact" onClick={() => onConfirm('restore', d)} aria-label={`Restore ${d.name}`}>Restore</Button>
            ) : (
              <Button spacing="compact" onClick={() => onConfirm('archive', d)} aria-label={`Archive ${d.name}`}>Archive</Button>
            )}
            <Button spacing="compact" appearance="subtle" onClick={() => onConfirm('delete', d)} aria-label={`Delete ${d.name}`}>Delete</Button>
          </div>
        ),
      },
    ],
  }));
  return (
    <DynamicTable
      caption="Destinations by priority (1 is the most important)"
      head={head}
      rows={rows}
      rowsPerPage={50}
      emptyView={<p>No destinations yet. Create the first one.</p>}
    />
  );
}
