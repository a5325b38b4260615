/** Archive, restore or delete one destination, confirmed in Forge's modal (see modal.ts). */
import { useState } from 'react';
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import type { Warning } from '../../../src/contract';
import { call, toFailure, type ApiFailure } from '../../common/api';
import { DialogLayout } from './dialog-layout';
import { closeDialog, type ConfirmAction } from './modal';

const VERB: Record<ConfirmAction, { label: string; done: string }> = {
  archive: { label: 'Archive', done: 'archived' },
  restore: { label: 'Restore', done: 'restored' },
  delete: { label: 'Delete', done: 'deleted' },
};

export function ConfirmDialog({ action, destinationId, name, version }: { action: ConfirmAction; destinationId: string; name: string; version: number }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const verb = VERB[action];

  const run = async () => {
    setBusy(true);
    setFailure(null);
    try {
      let warnings: Warning[] = [];
      if (action === 'archive') await call('destinations/archive', { id: destinationId, version });
      if (action === 'delete') await call('destinations/delete', { id: destinationId, version });
      if (action === 'restore') warnings = (await call('destinations/restore', { id: destinationId, version })).warnings;
      await closeDialog({ title: `${name} ${verb.done}`, warnings: warnings.map((w) => w.message) });
    } catch (e) {
      setFailure(toFailure(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <DialogLayout
      title={`${verb.label} ${name}?`}
      footer={
        <>
          <Button appearance="subtle" onClick={() => void closeDialog()}>Cancel</Button>
          <Button appearance={action === 'delete' ? 'danger' : 'primary'} isLoading={busy} onClick={() => void run()} autoFocus>
            {verb.label}
          </Button>
        </>
      }
    >
      {action === 'archive' && <p>Epics aligned to it will be reported as pointing at an archived destination. You can restore it later.</p>}
      {action === 'restore' && <p>It comes back with its previous status and appears in the portfolio again.</p>}
      {action === 'delete' && <p>Deleting is only possible for a destination that no epic ever pointed at. Otherwise, archive it.</p>}
      {failure && (
        <SectionMessage appearance="error" title={action === 'delete' ? 'Not deleted' : 'Not changed'}>
          <p>{failure.message}</p>
        </SectionMessage>
      )}
    </DialogLayout>
  );
}
