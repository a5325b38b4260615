/** Destinations: ranked list, create/edit, reorder, archive/restore, delete. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { DestinationView } from '../../../src/contract';
import { call, toFailure, type ApiFailure } from '../../common/api';
import { ErrorMessage, Loading, StatusLozenge, subtle } from '../../common/components';
import { formatDate } from '../../common/format';
import { openDialog, type ConfirmAction, type DialogContext, type DialogResult } from './modal';

type Notice = { appearance: 'success' | 'warning' | 'error'; title: string; lines: string[] };

export function DestinationsTab() {
  const [list, setList] = useState<DestinationView[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [showArchived, setShowArchived] = useState(false);

  const load = useCallback(() => {
    setFailure(null);
    call('destinations/list', { includeArchived: true, withEpicCounts: true })
      .then(setList)
      .catch((e: unknown) => setFailure(toFailure(e)));
  }, []);
  useEffect(load, [load]);

  const ranked = useMemo(() => [...(list ?? [])].sort((a, b) => a.priority - b.priority), [list]);
  const shown = showArchived ? ranked : ranked.filter((d) => d.status !== 'archived');

  const move = async (d: DestinationView, by: -1 | 1) => {
    // Only live destinations are ranked by hand; archived ones keep their place at the end.
    const ids = ranked.filter((x) => x.status !== 'archived').map((x) => x.id);
    const i = ids.indexOf(d.id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= ids.length) return;
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    setBusy(true);
    setNotice(null);
    try {
      const live = await call('destinations/reorder', { orderedIds: ids });
      // The answer holds the live destinations; keep archived rows (reloaded below with their new ranks).
      setList((prev) => [...live, ...(prev ?? []).filter((x) => x.status === 'archived')]);
    } catch (e) {
      setNotice({ appearance: 'error', title: 'The order was not changed', lines: [toFailure(e).message] });
    } finally {
      load();
      setBusy(false);
    }
  };

  const onChanged = (result: DialogResult) => {
    setNotice({ appearance: result.warnings.length ? 'warning' : 'success', title: result.title, lines: result.warnings });
    load();
  };

  /** Every dialog opens in Forge's modal over the whole page, never inside this frame. */
  const open = (context: DialogContext) => {
    openDialog(context, onChanged).catch(() =>
      setNotice({ appearance: 'error', title: 'The dialog could not be opened', lines: ['Reload the page and try again.'] }),
    );
  };
  const edit = (d: DestinationView | null) => open({ dialog: 'destination-form', destinationId: d?.id ?? null });
  const confirm = (action: ConfirmAction, d: DestinationView) =>
    open({ dialog: 'confirm', action, destinationId: d.id, name: d.name, version: d.version });

  if (failure) return <ErrorMessage failure={failure} title="Destinations could not be loaded" onRetry={load} />;
  if (!list) return <Loading label="Loading destinations" />;

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
  const liveIds = ranked.filter((x) => x.status !== 'archived').map((x) => x.id);
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
            <Button spacing="compact" onClick={() => edit(d)} aria-label={`Edit ${d.name}`}>Edit</Button>
            <Button spacing="compact" isDisabled={busy || d.status === 'archived' || liveIds.indexOf(d.id) === 0} onClick={() => void move(d, -1)} aria-label={`Move ${d.name} up`}>↑</Button>
            <Button spacing="compact" isDisabled={busy || d.status === 'archived' || liveIds.indexOf(d.id) === liveIds.length - 1} onClick={() => void move(d, 1)} aria-label={`Move ${d.name} down`}>↓</Button>
            {d.status === 'archived' ? (
              <Button spacing="compact" onClick={() => confirm('restore', d)} aria-label={`Restore ${d.name}`}>Restore</Button>
            ) : (
              <Button spacing="compact" onClick={() => confirm('archive', d)} aria-label={`Archive ${d.name}`}>Archive</Button>
            )}
            <Button spacing="compact" appearance="subtle" onClick={() => confirm('delete', d)} aria-label={`Delete ${d.name}`}>Delete</Button>
          </div>
        ),
      },
    ],
  }));

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: token('space.150') }}>
      <div style={{ display: 'flex', gap: token('space.100'), alignItems: 'center', flexWrap: 'wrap' }}>
        <Button appearance="primary" onClick={() => edit(null)}>Create destination</Button>
        <Button appearance="subtle" isSelected={showArchived} aria-pressed={showArchived} onClick={() => setShowArchived(!showArchived)}>
          Show archived
        </Button>
      </div>
      {notice && (
        <div role="status">
          <SectionMessage appearance={notice.appearance} title={notice.title}>
            {notice.lines.map((l, i) => (
              <p key={i}>{l}</p>
            ))}
          </SectionMessage>
        </div>
      )}
      <DynamicTable
        caption="Destinations by priority (1 is the most important)"
        head={head}
        rows={rows}
        rowsPerPage={50}
        emptyView={<p>No destinations yet. Create the first one.</p>}
      />
      <p style={subtle}>Archived destinations keep their history; epics that point at them are reported, never dropped.</p>

    </div>
  );
}
