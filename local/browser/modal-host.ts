/// <reference lib="dom" />
/**
 * Hosts Forge modals (`new Modal(options).open()` in `@forge/bridge`) the way Jira does: the modal's resource
 * in its own frame, in a dialog over the whole host page, sized by Forge's named sizes, closed by
 * `view.close(payload)` in the modal (the payload goes to the opener's `onClose`), by Escape or by a click
 * on the blanket unless the opener turned those off. The shell uses it; so does the bridge of a surface
 * opened on its own page, where that page is the host.
 */
import { MODAL_SIZES, type ModalRequest, type ModalSize } from './protocol';

/** The URL of a modal frame: the resource under the opener's module, as the opener's user. */
export function modalUrl(request: ModalRequest, frameId: string, colorMode: string): string {
  const o = request.opener;
  const q = new URLSearchParams({ user: o.accountId, theme: colorMode, frame: frameId, modal: request.modalId, modalContext: JSON.stringify(request.context ?? {}) });
  if (o.issueKey) q.set('issue', o.issueKey);
  if (o.projectKey) q.set('project', o.projectKey);
  if (o.experience) q.set('experience', o.experience);
  return `/modal/${encodeURIComponent(o.moduleKey)}/${encodeURIComponent(request.resourceKey)}/?${q.toString()}`;
}

interface OpenModal {
  request: ModalRequest;
  frameId: string;
  overlay: HTMLElement;
  iframe: HTMLIFrameElement;
  returnFocus: Element | null;
  onClosed: (payload: unknown) => void;
}

/** Jira keeps a dialog 60px from the top and bottom of the window; `max`/`fullscreen` fill it. */
function dialogStyle(size: ModalSize): string {
  if (typeof size === 'object') {
    return `width: min(${size.width}, 100vw); height: ${size.height ?? 'auto'}; max-height: 100vh; margin: auto;`;
  }
  const s = MODAL_SIZES[size];
  if (size === 'fullscreen') return 'width: 100vw; height: 100vh;';
  if (size === 'max') return 'width: calc(100vw - 120px); height: calc(100vh - 120px); margin-top: 60px;';
  const minHeight = s.minHeight ? `min-height: min(${s.minHeight}, calc(100vh - 120px));` : '';
  return `width: min(${s.width}, calc(100vw - 24px)); height: ${s.height}; ${minHeight} max-height: calc(100vh - 120px); margin-top: 60px;`;
}

export class ModalHost {
  private readonly open: OpenModal[] = [];

  constructor(private readonly doc: Document) {}

  /** Show the modal and return its frame; `onClosed` runs once, with the close payload (if any). */
  show(request: ModalRequest, frameId: string, src: string, onClosed: (payload: unknown) => void): HTMLIFrameElement {
    const doc = this.doc;
    const overlay = doc.createElement('div');
    overlay.setAttribute('data-forge-modal-overlay', request.modalId);
    overlay.setAttribute(
      'style',
      'position: fixed; inset: 0; z-index: 1000; display: flex; justify-content: center; align-items: flex-start; ' +
        'background: var(--ds-blanket, rgba(9, 30, 66, 0.54));',
    );
    const dialog = doc.createElement('div');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-label', request.title || 'Dialog');
    dialog.setAttribute('data-forge-modal', request.modalId);
    dialog.setAttribute('data-size', typeof request.size === 'string' ? request.size : 'custom');
    dialog.setAttribute(
      'style',
      `${dialogStyle(request.size)} display: flex; flex-direction: column; box-sizing: border-box; overflow: hidden; ` +
        'border-radius: 3px; background: var(--ds-surface-overlay, #fff); box-shadow: var(--ds-shadow-overlay, 0 8px 12px rgba(9, 30, 66, 0.15));',
    );
    if (request.title) {
      const header = doc.createElement('div');
      header.setAttribute('style', 'display: flex; align-items: center; gap: 8px; padding: 16px 24px 0;');
      const h = doc.createElement('h2');
      h.textContent = request.title;
      h.setAttribute('style', 'flex: 1; margin: 0; font-size: 20px; line-height: 24px; color: var(--ds-text, #172b4d);');
      const close = doc.createElement('button');
      close.type = 'button';
      close.textContent = '×';
      close.setAttribute('aria-label', 'Close');
      close.setAttribute('style', 'border: 0; background: transparent; font-size: 20px; cursor: pointer; color: var(--ds-icon, #44546f);');
      close.addEventListener('click', () => this.close(frameId, undefined));
      header.append(h, close);
      dialog.append(header);
    }
    const iframe = doc.createElement('iframe');
    iframe.src = src;
    iframe.title = request.title || 'Dialog';
    iframe.setAttribute('data-frame-id', frameId);
    iframe.setAttribute('data-role', 'modal');
    iframe.setAttribute('style', 'flex: 1 1 auto; width: 100%; min-height: 0; border: 0; display: block; background: transparent;');
    // Focus moves into the dialog, as Jira's modal takes it.
    iframe.addEventListener('load', () => iframe.focus());
    dialog.append(iframe);
    overlay.append(dialog);
    overlay.addEventListener('mousedown', (e) => {
      if (e.target === overlay && request.closeOnOverlayClick) this.close(frameId, undefined);
    });
    doc.body.append(overlay);
    this.open.push({ request, frameId, overlay, iframe, returnFocus: doc.activeElement, onClosed });
    return iframe;
  }

  has(frameId: string): boolean {
    return this.open.some((m) => m.frameId === frameId);
  }

  /** Close the modal shown in `frameId` and hand `payload` to its opener. */
  close(frameId: string, payload: unknown): void {
    const i = this.open.findIndex((m) => m.frameId === frameId);
    if (i < 0) return;
    const [m] = this.open.splice(i, 1);
    if (!m) return;
    m.overlay.remove();
    if (m.returnFocus instanceof HTMLElement) m.returnFocus.focus();
    m.onClosed(payload);
  }

  /** Escape in a modal frame closes it (no payload) unless its opener said `closeOnEscape: false`. */
  escape(frameId: string): void {
    const m = this.open.find((x) => x.frameId === frameId);
    if (m?.request.closeOnEscape) this.close(frameId, undefined);
  }

  /** Leaving the page closes every modal, without a payload. */
  closeAll(): void {
    for (const m of [...this.open].reverse()) this.close(m.frameId, undefined);
  }

  frames(): HTMLIFrameElement[] {
    return this.open.map((m) => m.iframe);
  }
}
