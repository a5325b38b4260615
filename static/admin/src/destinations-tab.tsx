/** Destinations: ranked list, create/edit, reorder, archive/restore, delete. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import Button from '@atlaskit/button/new';
import DynamicTable from '@atlaskit/dynamic-table';
import Modal, { ModalBody, ModalFooter, ModalHeader, ModalTitle, ModalTransition } from '@atlaskit/modal-dialog';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { DestinationView, Warning } from '../../../src/contract';
import { call, toFailure, type ApiFailure } from '../../common/api';
import { ErrorMessage, Loading, StatusLozenge, subtle } from '../../common/components';
import { formatDate } from '../../common/format';
import { DestinationForm } from './destination-form';

type Confirm = { kind: 'archive' | 'restore' | 'delete'; destination: DestinationView };
type Notice = { appearance: 'success' | 'warning' | 'error'; title: string; lines: string[] };

export function DestinationsTab() {
  const [list, setList] = useState<DestinationView[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [editing, setEditing] = useState<DestinationView | 'new' | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [confirmFailure, setConfirmFailure] = useState<ApiFailure | null>(null);
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

  const runConfirm = async () => {
    if (!confirm) return;
    const { kind, destination: d } = confirm;
    setBusy(true);
    setConfirmFailure(null);
    try {
      if (kind === 'archive') await call('destinations/archive', { id: d.id, version: d.version });
      if (kind === 'delete') await call('destinations/delete', { id: d.id, version: d.version });
      let warnings: Warning[] = [];
      if (kind === 'restore') warnings = (await call('destinations/restore', { id: d.id, version: d.version })).warnings;
      setConfirm(null);
      setNotice({
        appearance: warnings.length ? 'warning' : 'success',
        title: `${d.name} ${kind === 'archive' ? 'archived' : kind === 'restore' ? 'restored' : 'deleted'}`,
        lines: warnings.map((w) => w.message),
      });
      load();
    } catch (e) {
      setConfirmFailure(toFailure(e));
    } finally {
      setBusy(false);
    }
  };

  const onSaved = (d: DestinationView, warnings: Warning[], created: boolean) => {
    setEditing(null);
    setNotice({
      appearance: warnings.length ? 'warning' : 'success',
      title: `${d.name} ${created ? 'created' : 'saved'}`,
      lines: warnings.map((w) => w.message),
    });
    load();
  };

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
            <Button spacing="compact" onClick={() => setEditing(d)} aria-label={`Edit ${d.name}`}>Edit</Button>
            <Button spacing="compact" isDisabled={busy || d.status === 'archived' || liveIds.indexOf(d.id) === 0} onClick={() => void move(d, -1)} aria-label={`Move ${d.name} up`}>↑</Button>
            <Button spacing="compact" isDisabled={busy || d.status === 'archived' || liveIds.indexOf(d.id) === liveIds.length - 1} onClick={() => void move(d, 1)} aria-label={`Move ${d.name} down`}>↓</Button>
            {d.status === 'archived' ? (
              <Button spacing="compact" onClick={() => { setConfirmFailure(null); setConfirm({ kind: 'restore', destination: d }); }} aria-label={`Restore ${d.name}`}>Restore</Button>
            ) : (
              <Button spacing="compact" onClick={() => { setConfirmFailure(null); setConfirm({ kind: 'archive', destination: d }); }} aria-label={`Archive ${d.name}`}>Archive</Button>
            )}
            <Button spacing="compact" appearance="subtle" onClick={() => { setConfirmFailure(null); setConfirm({ kind: 'delete', destination: d }); }} aria-label={`Delete ${d.name}`}>Delete</Button>
          </div>
        ),
      },
    ],
  }));

  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: token('space.150') }}>
      <div style={{ display: 'flex', gap: token('space.100'), alignItems: 'center', flexWrap: 'wrap' }}>
        <Button appearance="primary" onClick={() => setEditing('new')}>Create destination</Button>
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

      <ModalTransition>
        {editing && (
          <DestinationForm
            destination={editing === 'new' ? null : editing}
            onClose={() => setEditing(null)}
            onSaved={onSaved}
          />
        )}
      </ModalTransition>
      <ModalTransition>
        {confirm && (
          <Modal onClose={() => setConfirm(null)} width="small">
            <ModalHeader>
              <ModalTitle appearance={confirm.kind === 'delete' ? 'danger' : undefined}>
                {confirm.kind === 'archive' ? 'Archive' : confirm.kind === 'restore' ? 'Restore' : 'Delete'} {confirm.destination.name}?
              </ModalTitle>
            </ModalHeader>
            <ModalBody>
              {confirm.kind === 'archive' && <p>Epics aligned to it will be reported as pointing at an archived destination. You can restore it later.</p>}
              {confirm.kind === 'restore' && <p>It comes back with its previous status and appears in the portfolio again.</p>}
              {confirm.kind === 'delete' && <p>Deleting is only possible for a destination that no epic ever pointed at. Otherwise, archive it.</p>}
              {confirmFailure && (
                <SectionMessage appearance="error" title={confirm.kind === 'delete' ? 'Not deleted' : 'Not changed'}>
                  <p>{confirmFailure.message}</p>
                </SectionMessage>
              )}
            </ModalBody>
            <ModalFooter>
              <Button appearance="subtle" onClick={() => setConfirm(null)}>Cancel</Button>
              <Button appearance={confirm.kind === 'delete' ? 'danger' : 'primary'} isLoading={busy} onClick={() => void runConfirm()} autoFocus>
                {confirm.kind === 'archive' ? 'Archive' : confirm.kind === 'restore' ? 'Restore' : 'Delete'}
              </Button>
            </ModalFooter>
          </Modal>
        )}
      </ModalTransition>
    </div>
  );
}
