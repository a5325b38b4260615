/**
 * What the injected bridge, the local server and the shell say to each other. Types only, so the browser
 * bundle and the server share them without sharing code.
 */

export type ColorMode = 'light' | 'dark';
export type Experience = 'issue-view' | 'issue-create';

/** Which surface a page is, and as whom it runs. The server writes it into the page before the bridge. */
export interface FrameSpec {
  frameId: string;
  moduleKey: string;
  accountId: string;
  /** The issue the surface is shown on (issue panel, field edit in issue-view). */
  issueKey: string | null;
  /** The project of the issue being created (field edit in issue-create). */
  projectKey: string | null;
  experience: Experience | null;
  colorMode: ColorMode;
  /** The module's type (`jira:customField`...), so host-only calls such as `close` answer as Jira does. */
  surfaceType?: string;
  /** The resource the frame renders (a modal may render another resource of the app). */
  resourceKey?: string;
  /** Set when the frame is a Forge modal: `context` is what the opener passed (`extension.modal`). */
  modal?: { id: string; context: unknown };
  /** Set when the frame is a dashboard gadget: which gadget on the dashboard, in its view or its edit view. */
  gadget?: { id: string; entryPoint: 'view' | 'edit' };
}

/** Forge's named modal sizes (`Modal` from `@forge/bridge`), as its documentation gives them. */
export const MODAL_SIZES = {
  small: { width: '400px', height: '20vh', minHeight: '320px' },
  medium: { width: '600px', height: '40vh', minHeight: '520px' },
  large: { width: '800px', height: '70vh', minHeight: '720px' },
  xlarge: { width: '968px', height: '90vh', minHeight: null },
  max: { width: '100%', height: '100%', minHeight: null },
  fullscreen: { width: '100vw', height: '100vh', minHeight: null },
} as const;
export type NamedModalSize = keyof typeof MODAL_SIZES;
export type ModalSize = NamedModalSize | { width: string; height?: string };

/** What a frame asks its host to open with `new Modal(options).open()`. */
export interface ModalRequest {
  modalId: string;
  /** The opener, whose module, user and issue the modal inherits. */
  opener: FrameSpec;
  /** The resource to render; the opener's own when the app gave none. */
  resourceKey: string;
  size: ModalSize;
  context: unknown;
  closeOnEscape: boolean;
  closeOnOverlayClick: boolean;
  title: string;
}

/** Bridge HTTP endpoints; every body carries the `frame` it acts for. */
export const BRIDGE_ENDPOINTS = {
  context: '/__forge/bridge/context',
  invoke: '/__forge/bridge/invoke',
  fetchProduct: '/__forge/bridge/fetch-product',
  submit: '/__forge/bridge/submit',
  script: '/__forge/bridge.js',
  themeCss: '/__forge/tokens.css',
} as const;

export interface InvokeBody {
  frame: FrameSpec;
  /** The resolver key: `@forge/bridge` calls it `functionKey`. */
  functionKey: string;
  payload: unknown;
}

export interface FetchProductBody {
  frame: FrameSpec;
  product: string;
  restPath: string;
  method: string;
  headers: Array<[string, string]>;
  body: string | null;
}

/** The shape `@forge/bridge`'s `requestJira` turns back into a `Response`. */
export interface FetchProductResult {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string | null;
  isAttachment: boolean;
}

export interface SubmitBody {
  frame: FrameSpec;
  value: unknown;
}

/** Error body of every bridge endpoint. */
export interface BridgeErrorBody {
  error: { code: string; message: string };
}

/** Messages a surface frame posts to the shell (its `window.parent`). */
export type FrameToShell =
  /** Sent as the bridge loads, so the shell can send state the frame may have missed while loading. */
  | { source: 'forge-local'; type: 'ready'; frameId: string }
  | { source: 'forge-local'; type: 'resize'; frameId: string; height: number }
  | { source: 'forge-local'; type: 'submit'; frameId: string; value: unknown }
  | { source: 'forge-local'; type: 'close'; frameId: string; payload: unknown }
  | { source: 'forge-local'; type: 'navigate'; frameId: string; location: NavigateLocation }
  | { source: 'forge-local'; type: 'refresh'; frameId: string }
  | { source: 'forge-local'; type: 'reload'; frameId: string }
  | { source: 'forge-local'; type: 'flag'; frameId: string; options: FlagOptions }
  | { source: 'forge-local'; type: 'close-flag'; frameId: string; id: string }
  | { source: 'forge-local'; type: 'title'; frameId: string; title: string }
  | { source: 'forge-local'; type: 'event'; frameId: string; event: string; payload: unknown }
  | { source: 'forge-local'; type: 'open-modal'; frameId: string; request: ModalRequest }
  /** Escape pressed in a modal frame and not handled by the app (a select closing its menu handles it). */
  | { source: 'forge-local'; type: 'modal-escape'; frameId: string };

/** Messages the shell posts into a surface frame. */
export type ShellToFrame =
  | { source: 'forge-local-shell'; type: 'theme'; colorMode: ColorMode }
  | { source: 'forge-local-shell'; type: 'event'; event: string; payload: unknown }
  /** A modal this frame opened has closed: `payload` is what `view.close(payload)` gave, if anything. */
  | { source: 'forge-local-shell'; type: 'modal-closed'; modalId: string; payload: unknown };

export interface NavigateLocation {
  type: 'same-tab' | 'new-tab';
  url?: string;
  target?: string;
  issueKey?: string;
  moduleKey?: string;
  [k: string]: unknown;
}

export interface FlagOptions {
  id: string | number;
  title?: string;
  description?: string;
  type?: string;
  [k: string]: unknown;
}
