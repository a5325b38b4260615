/**
 * The admin page's dialogs open through Forge's own modal (`Modal` from `@forge/bridge`), which Jira draws
 * over the whole page, so a dialog is never clipped by the admin page's iframe. The modal renders this same
 * resource: `main.tsx` sees `extension.modal` in the context and renders the dialog instead of the page.
 * What the page passes in (`DialogContext`) and what the dialog hands back through `view.close(result)`
 * (`DialogResult`) are defined here, and both are checked where they arrive: they cross frames.
 */
import { Modal, view, type FullContext } from '@forge/bridge';

export type ConfirmAction = 'archive' | 'restore' | 'delete';

/** What a dialog needs to know, passed as the modal's `context`. */
export type DialogContext =
  | { dialog: 'destination-form'; destinationId: string | null }
  | { dialog: 'confirm'; action: ConfirmAction; destinationId: string; name: string; version: number };

/** What a dialog answers when it closes after a change; closing without one means nothing changed. */
export interface DialogResult {
  /** The sentence the page shows, e.g. "Faster checkout created". */
  title: string;
  warnings: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ACTIONS: readonly ConfirmAction[] = ['archive', 'restore', 'delete'];

/** The dialog this frame should render, or null when it is the admin page itself. */
export function dialogOf(context: Pick<FullContext, 'extension'>): DialogContext | null {
  const m: unknown = (context.extension as Record<string, unknown> | undefined)?.modal;
  if (!isRecord(m)) return null;
  if (m.dialog === 'destination-form' && (m.destinationId === null || typeof m.destinationId === 'string')) {
    return { dialog: 'destination-form', destinationId: m.destinationId };
  }
  if (
    m.dialog === 'confirm' &&
    ACTIONS.includes(m.action as ConfirmAction) &&
    typeof m.destinationId === 'string' &&
    typeof m.name === 'string' &&
    typeof m.version === 'number'
  ) {
    return { dialog: 'confirm', action: m.action as ConfirmAction, destinationId: m.destinationId, name: m.name, version: m.version };
  }
  return null;
}

function resultOf(payload: unknown): DialogResult | null {
  if (!isRecord(payload) || typeof payload.title !== 'string' || !Array.isArray(payload.warnings)) return null;
  return { title: payload.title, warnings: payload.warnings.filter((w): w is string => typeof w === 'string') };
}

/** Size of each dialog in Forge's named sizes: the form needs room for every field without scrolling. */
const SIZES = { 'destination-form': 'large', confirm: 'small' } as const;

/** Open a dialog over the page; `onChanged` runs when it closes after a change. */
export function openDialog(context: DialogContext, onChanged: (result: DialogResult) => void): Promise<void> {
  const modal = new Modal({
    size: SIZES[context.dialog],
    context,
    onClose: (payload: unknown) => {
      const result = resultOf(payload);
      if (result) onChanged(result);
    },
  });
  return modal.open();
}

/** Close the dialog this frame renders, telling the page what changed (nothing when omitted). */
export function closeDialog(result?: DialogResult): Promise<void> {
  return view.close(result);
}
