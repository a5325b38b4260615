/** The dialog a modal frame of the admin resource renders (chosen by `extension.modal`). */
import type { DialogContext } from './modal';
import { ConfirmDialog } from './confirm-dialog';
import { DestinationDialog } from './destination-form';

export function Dialog({ context }: { context: DialogContext }) {
  switch (context.dialog) {
    case 'destination-form':
      return <DestinationDialog destinationId={context.destinationId} />;
    case 'confirm':
      return <ConfirmDialog action={context.action} destinationId={context.destinationId} name={context.name} version={context.version} />;
  }
}
