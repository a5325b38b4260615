/** Destinations: ranked list, create/edit, reorder, archive/restore, delete. */
import { useMemo, useState } from 'react';
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import { token } from '@atlaskit/tokens';
import type { DestinationView } from '../../../src/contract';
import { call, toFailure } from '../../common/api';
import { useResolver } from '../../common/use-resolver';
import { ErrorMessage, Loading, subtle } from '../../common/components';
import { DestinationsTable } from './destinations-table';
import { openDialog, type ConfirmAction, type DialogContext, type DialogResult } from './modal';

type Notice = { appearance: 'success' | 'warning' | 'error'; title: string; lines: string[] };

export function DestinationsTab() {
  const { data: list, failure, reload: load, setData: setList } = useResolver('destinations/list', { includeArchived: true, withEpicCounts: true });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [showArchived, setShowArchived] = useState(false);

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
      <DestinationsTable
        shown={shown}
        liveIds={ranked.filter((x) => x.status !== 'archived').map((x) => x.id)}
        busy={busy}
        onEdit={edit}
        onMove={(d, by) => void move(d, by)}
        onConfirm={confirm}
      />
      <p style={subtle}>Archived destinations keep their history; epics that point at them are reported, never dropped.</p>

    </div>
  );
}
