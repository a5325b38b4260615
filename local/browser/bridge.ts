/// <reference lib="dom" />
/**
 * The `window.__bridge` Jira gives a Custom UI iframe, rebuilt against the local server. The server writes
 * `window.__forgeLocalFrame` (which surface, which user, which issue) and then this script, both before the
 * app's bundle, because `@forge/bridge` looks for `__bridge` as soon as it is imported.
 *
 * Calls that need the backend or Jira go to the server's bridge endpoints; calls that belong to the host
 * page (submit, close, navigate, resize, flags, events) are posted to the shell, as Jira's host does.
 */
import type {
  ColorMode,
  FetchProductBody,
  FetchProductResult,
  FlagOptions,
  FrameSpec,
  FrameToShell,
  InvokeBody,
  ModalRequest,
  ModalSize,
  NavigateLocation,
  ShellToFrame,
  SubmitBody,
} from './protocol';
import { isRecord } from '../types';
import { ModalHost, modalUrl } from './modal-host';

// Duplicated from protocol.ts on purpose: this file is bundled alone and imports types only.
const ENDPOINTS = {
  context: '/__forge/bridge/context',
  invoke: '/__forge/bridge/invoke',
  fetchProduct: '/__forge/bridge/fetch-product',
  submit: '/__forge/bridge/submit',
  themeCss: '/__forge/tokens.css',
};

interface LocalWindow {
  __forgeLocalFrame?: FrameSpec;
  __bridge?: { callBridge: (name: string, payload?: unknown) => Promise<unknown> };
}

const win = window as unknown as Window & LocalWindow;
const frameSpec = win.__forgeLocalFrame;
if (!frameSpec) throw new Error('forge-local: window.__forgeLocalFrame must be set before the bridge script');
const frame: FrameSpec = frameSpec;

/** A surface opened on its own (no shell) has itself as parent: it hosts its own modals. */
const hasHost = window.parent !== window;

function postToShell(message: FrameToShell): void {
  if (hasHost) window.parent.postMessage(message, '*');
}

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const message = isRecord(data) && isRecord(data.error) && typeof data.error.message === 'string' ? data.error.message : `HTTP ${res.status}`;
    throw new Error(message);
  }
  return data as T;
}

// ---- theme ---------------------------------------------------------------------------------------------

let colorMode: ColorMode = frame.colorMode;
let themingEnabled = false;

function applyTheme(): void {
  const root = document.documentElement;
  // The same attributes Atlaskit's setGlobalTheme writes; the token CSS keys its variables on them.
  root.setAttribute('data-theme', 'dark:dark light:light spacing:spacing typography:typography shape:shape');
  root.setAttribute('data-color-mode', colorMode);
  root.style.colorScheme = colorMode;
}

function enableTheming(): Promise<void> {
  themingEnabled = true;
  applyTheme();
  if (document.querySelector('link[data-forge-local-tokens]')) return Promise.resolve();
  return new Promise((resolve) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = ENDPOINTS.themeCss;
    link.setAttribute('data-forge-local-tokens', '');
    // Resolve either way: a missing stylesheet must not keep the app from mounting.
    link.onload = () => resolve();
    link.onerror = () => resolve();
    document.head.appendChild(link);
  });
}

// ---- events between frames -----------------------------------------------------------------------------

type Listener = (payload: unknown) => unknown;
const listeners = new Map<string, Set<Listener>>();

function subscribe(payload: unknown): { unsubscribe: () => void } {
  if (!isRecord(payload) || typeof payload.event !== 'string' || typeof payload.callback !== 'function') {
    throw new Error('events.on needs an event name and a callback');
  }
  const event = payload.event;
  const callback = payload.callback as Listener;
  const set = listeners.get(event) ?? new Set<Listener>();
  set.add(callback);
  listeners.set(event, set);
  return { unsubscribe: () => set.delete(callback) };
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const data = e.data;
  if (!isRecord(data) || data.source !== 'forge-local-shell') return;
  const message = data as unknown as ShellToFrame;
  switch (message.type) {
    case 'theme':
      colorMode = message.colorMode;
      // Jira re-themes only apps that called view.theme.enable().
      if (themingEnabled) applyTheme();
      break;
    case 'event':
      for (const l of listeners.get(message.event) ?? []) l(message.payload);
      break;
    case 'modal-closed':
      modalClosed(message.modalId, message.payload);
      break;
  }
});

// ---- modals --------------------------------------------------------------------------------------------

const modalCallbacks = new Map<string, (payload: unknown) => unknown>();
let modalSeq = 0;

function modalClosed(modalId: string, payload: unknown): void {
  const onClose = modalCallbacks.get(modalId);
  modalCallbacks.delete(modalId);
  onClose?.(payload);
}

const NAMED_SIZES = ['small', 'medium', 'large', 'xlarge', 'max', 'fullscreen'];

function modalSize(size: unknown): ModalSize {
  if (typeof size === 'string' && NAMED_SIZES.includes(size)) return size as ModalSize;
  if (isRecord(size) && typeof size.width === 'string') return { width: size.width, ...(typeof size.height === 'string' ? { height: size.height } : {}) };
  // `resizable` and anything else: Forge's default.
  return 'medium';
}

// Only used when this page is its own host (opened outside the shell).
let ownHost: ModalHost | null = null;

function openModal(payload: unknown): boolean {
  const p = isRecord(payload) ? payload : {};
  const resourceKey = typeof p.resource === 'string' && p.resource ? p.resource : frame.resourceKey;
  if (!resourceKey) throw new Error('forge-local: this frame does not know its resource, so it cannot open a modal');
  modalSeq += 1;
  const request: ModalRequest = {
    modalId: `${frame.frameId}-modal${modalSeq}`,
    opener: frame,
    resourceKey,
    size: modalSize(p.size),
    context: p.context ?? {},
    closeOnEscape: p.closeOnEscape !== false,
    closeOnOverlayClick: p.closeOnOverlayClick !== false,
    title: typeof p.title === 'string' ? p.title : '',
  };
  if (typeof p.onClose === 'function') modalCallbacks.set(request.modalId, p.onClose as (payload: unknown) => unknown);
  if (hasHost) {
    postToShell({ source: 'forge-local', type: 'open-modal', frameId: frame.frameId, request });
  } else {
    ownHost ??= new ModalHost(document);
    const frameId = request.modalId;
    ownHost.show(request, frameId, modalUrl(request, frameId, colorMode), (closePayload) => modalClosed(request.modalId, closePayload));
  }
  return true;
}

// As its own host, this page hears its modal frames the way the shell would.
window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const data = e.data;
  if (!ownHost || !isRecord(data) || data.source !== 'forge-local') return;
  const message = data as unknown as FrameToShell;
  const host = ownHost;
  if (!host.has(message.frameId)) return;
  const reply = (m: ShellToFrame) => (e.source as Window | null)?.postMessage(m, '*');
  // Other host duties (resize, flags, navigation) have no page to act on here.
  if (message.type === 'close') host.close(message.frameId, message.payload);
  else if (message.type === 'modal-escape') host.escape(message.frameId);
  else if (message.type === 'ready') reply({ source: 'forge-local-shell', type: 'theme', colorMode });
});

// In a modal, Escape that the app did not use (a select closing its menu uses it) asks the host to close.
if (frame.modal) {
  window.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) postToShell({ source: 'forge-local', type: 'modal-escape', frameId: frame.frameId });
  });
}

// ---- history (full-page modules) -----------------------------------------------------------------------

interface LocationDescriptor {
  pathname: string;
  search: string;
  hash: string;
  state?: unknown;
}

function createHistory(): unknown {
  const entries: LocationDescriptor[] = [{ pathname: '/', search: '', hash: '' }];
  let index = 0;
  const historyListeners = new Set<(location: LocationDescriptor, action: string) => void>();
  const toLocation = (to: unknown, state?: unknown): LocationDescriptor => {
    if (typeof to === 'string') {
      const u = new URL(to, 'http://app.local/');
      return { pathname: u.pathname, search: u.search, hash: u.hash, state };
    }
    const r = isRecord(to) ? to : {};
    return { pathname: typeof r.pathname === 'string' ? r.pathname : '/', search: typeof r.search === 'string' ? r.search : '', hash: typeof r.hash === 'string' ? r.hash : '', state: r.state };
  };
  const history = {
    action: 'POP',
    location: entries[0],
    push(to: unknown, state?: unknown) {
      entries.splice(index + 1, entries.length, toLocation(to, state));
      index += 1;
      notify('PUSH');
    },
    replace(to: unknown, state?: unknown) {
      entries[index] = toLocation(to, state);
      notify('REPLACE');
    },
    go(n: number) {
      index = Math.max(0, Math.min(entries.length - 1, index + n));
      notify('POP');
    },
    goBack() {
      history.go(-1);
    },
    goForward() {
      history.go(1);
    },
    listen(listener: (location: LocationDescriptor, action: string) => void) {
      historyListeners.add(listener);
      return () => historyListeners.delete(listener);
    },
  };
  function notify(action: string): void {
    history.action = action;
    const location = entries[index] ?? { pathname: '/', search: '', hash: '' };
    for (const l of historyListeners) l(location, action);
  }
  return history;
}

// ---- the bridge ----------------------------------------------------------------------------------------

let contextPromise: Promise<Record<string, unknown>> | null = null;

async function getContext(): Promise<Record<string, unknown>> {
  // Jira computes the context once per frame load; only the theme follows the host afterwards.
  contextPromise ??= post<Record<string, unknown>>(ENDPOINTS.context, { frame });
  const context = await contextPromise;
  return { ...context, theme: { colorMode } };
}

async function fetchProduct(payload: unknown): Promise<FetchProductResult> {
  if (!isRecord(payload) || typeof payload.restPath !== 'string') throw new Error('requestJira needs a REST path');
  const init = isRecord(payload.fetchRequestInit) ? payload.fetchRequestInit : {};
  const headers = Array.isArray(init.headers) ? (init.headers as Array<[string, string]>) : [];
  const body: FetchProductBody = {
    frame,
    product: typeof payload.product === 'string' ? payload.product : 'jira',
    restPath: payload.restPath,
    method: typeof init.method === 'string' ? init.method.toUpperCase() : 'GET',
    headers,
    body: typeof init.body === 'string' ? init.body : null,
  };
  return post<FetchProductResult>(ENDPOINTS.fetchProduct, body);
}

async function submit(value: unknown): Promise<boolean> {
  const body: SubmitBody = { frame, value };
  await post<unknown>(ENDPOINTS.submit, body);
  postToShell({ source: 'forge-local', type: 'submit', frameId: frame.frameId, value });
  return true;
}

function shellUrl(location: unknown): string {
  const origin = window.location.origin;
  if (typeof location === 'string') return location;
  const l = isRecord(location) ? location : {};
  if (l.target === 'issue' && typeof l.issueKey === 'string') return `${origin}/#/issue/${encodeURIComponent(l.issueKey)}`;
  if (l.target === 'module' && typeof l.moduleKey === 'string') return `${origin}/#/module/${encodeURIComponent(l.moduleKey)}`;
  return `${origin}/`;
}

// Jira lets a custom field's editor and a modal close themselves; other views are not closable.
const isClosable = (): boolean => frame.surfaceType === 'jira:customField' || frame.modal !== undefined;

const handlers: Record<string, (payload: unknown) => unknown> = {
  getContext: () => getContext(),
  invoke: async (payload) => {
    if (!isRecord(payload) || typeof payload.functionKey !== 'string') throw new Error('invoke needs a function key');
    const body: InvokeBody = { frame, functionKey: payload.functionKey, payload: payload.payload ?? {} };
    const result = await post<unknown>(ENDPOINTS.invoke, body);
    // With metadata the real bridge wraps the answer; without it, the resolver's value comes back as is.
    return payload.metadata === undefined ? result : { body: result, metadata: payload.metadata };
  },
  fetchProduct: (payload) => fetchProduct(payload),
  submit: (payload) => submit(payload),
  close: (payload) => {
    postToShell({ source: 'forge-local', type: 'close', frameId: frame.frameId, payload });
    return isClosable();
  },
  onClose: () => isClosable(),
  open: () => false,
  openModal: (payload) => openModal(payload),
  refresh: () => {
    postToShell({ source: 'forge-local', type: 'refresh', frameId: frame.frameId });
    return true;
  },
  navigate: (payload) => {
    const location = (isRecord(payload) ? payload : {}) as NavigateLocation;
    postToShell({ source: 'forge-local', type: 'navigate', frameId: frame.frameId, location });
    return undefined;
  },
  getUrl: (payload) => shellUrl(payload),
  reload: () => {
    postToShell({ source: 'forge-local', type: 'reload', frameId: frame.frameId });
    return undefined;
  },
  enableTheming: () => enableTheming(),
  createHistory: () => createHistory(),
  changeWindowTitle: (payload) => {
    postToShell({ source: 'forge-local', type: 'title', frameId: frame.frameId, title: String(payload) });
    return undefined;
  },
  showFlag: (payload) => {
    postToShell({ source: 'forge-local', type: 'flag', frameId: frame.frameId, options: payload as FlagOptions });
    return undefined;
  },
  closeFlag: (payload) => {
    const id = isRecord(payload) ? String(payload.id) : '';
    postToShell({ source: 'forge-local', type: 'close-flag', frameId: frame.frameId, id });
    return undefined;
  },
  emit: (payload) => {
    const p = isRecord(payload) ? payload : {};
    postToShell({ source: 'forge-local', type: 'event', frameId: frame.frameId, event: String(p.event), payload: p.payload ?? null });
    return undefined;
  },
  emitPublic: (payload) => handlers.emit?.(payload),
  on: (payload) => subscribe(payload),
  onPublic: (payload) => subscribe(payload),
  emitReadyEvent: () => undefined,
};

win.__bridge = {
  callBridge: async (name: string, payload?: unknown): Promise<unknown> => {
    const handler = handlers[name];
    if (!handler) {
      // Say which call, so a developer knows the gap is the local platform and not their code.
      throw new Error(`forge-local: the bridge call "${name}" is not supported by the local platform`);
    }
    return handler(payload);
  },
};

// The shell may have switched theme while this frame was loading; this asks it to say so again.
postToShell({ source: 'forge-local', type: 'ready', frameId: frame.frameId });

// ---- auto-size, like Jira's iframe resizer --------------------------------------------------------------
//
// Cheap by design: a measure reads three numbers the browser already has after layout (the body's height, its
// margins, the root's scroll height), never the style of every element (that walk cost 50-80 ms per call on
// the big portfolio). A ResizeObserver on the root and the body sees in-flow content grow and shrink; a
// MutationObserver sees popups mount, unmount, show and hide; the frame's own resize sees the host move it.

let lastHeight = -1;
let scheduled = false;
/** The last report grew the frame for positioned content that stuck out of it (a menu, a popup). */
let heldForOverflow = false;
let heldInFlow = -1;

function inFlowHeight(body: HTMLElement): number {
  const style = getComputedStyle(body);
  return body.offsetHeight + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
}

function measure(): number {
  const body = document.body;
  if (!body) return 0;
  const inFlow = inFlowHeight(body);
  // Absolutely positioned content (menus, popups) does not grow the body, but what sticks out below the frame
  // shows in the root's scroll height: grow to show it.
  const overflow = document.documentElement.scrollHeight;
  if (overflow > window.innerHeight + 1) {
    heldForOverflow = true;
    heldInFlow = inFlow;
    return Math.ceil(Math.max(inFlow, overflow));
  }
  // Nothing sticks out, but the frame may be tall only because of such content (then the scroll height cannot
  // tell whether it is still there): keep the height until the in-flow content changes or nodes go away.
  if (heldForOverflow && Math.abs(inFlow - heldInFlow) < 1 && lastHeight > 0) return lastHeight;
  heldForOverflow = false;
  return Math.ceil(inFlow);
}

function reportHeight(): void {
  scheduled = false;
  const height = measure();
  if (height === lastHeight) return;
  lastHeight = height;
  postToShell({ source: 'forge-local', type: 'resize', frameId: frame.frameId, height });
}

function scheduleReport(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(reportHeight);
}

function startResizer(): void {
  const resize = new ResizeObserver(scheduleReport);
  resize.observe(document.documentElement);
  resize.observe(document.body);
  new MutationObserver((records) => {
    // A removed node may be the popup the frame was held open for: measure afresh (if it is still there, it
    // sticks out of the smaller frame and the frame grows back).
    if (records.some((r) => r.removedNodes.length > 0)) heldForOverflow = false;
    scheduleReport();
  }).observe(document.body, { subtree: true, childList: true, attributes: true });
  window.addEventListener('resize', scheduleReport);
  window.addEventListener('load', scheduleReport);
  scheduleReport();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startResizer);
else startResizer();
