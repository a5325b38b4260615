/// <reference lib="dom" />
/**
 * The shell: plays the Jira host around the app's surfaces. It picks the user and theme, lays out the
 * portfolio page, an epic's issue view (field + panel) and the admin page, and answers what the bridge
 * in each frame posts (resize, submit, close, navigate, flags, events).
 */
import type { ColorMode, FrameToShell, ModalRequest, ShellToFrame } from '../../browser/protocol';
import { ModalHost, modalUrl } from '../../browser/modal-host';

interface User {
  accountId: string;
  displayName: string;
  admin: boolean;
}
interface Epic {
  key: string;
  summary: string;
  projectKey: string;
}
interface SurfaceInfo {
  moduleKey: string;
  type: string;
  title: string;
  resourceKey?: string;
  /** A dashboard gadget's `edit.resource`. */
  editResourceKey?: string;
}
interface DashboardInfo {
  id: string;
  gadgets: Array<{ id: string; moduleKey: string; configured: boolean }>;
}
interface IssueView {
  key: string;
  summary: string;
  type: string;
  status: string;
  statusCategory: string;
  project: { key: string };
  fieldValue: unknown;
  fieldText: string;
  /** Issue view modules whose display conditions hold on this issue (evaluated by the server). */
  shownModules: string[];
}

type Role = 'page' | 'panel' | 'field' | 'create-field' | 'modal' | 'gadget' | 'gadget-edit';
interface FrameEntry {
  iframe: HTMLIFrameElement;
  role: Role;
}

const state = {
  users: [] as User[],
  surfaces: [] as SurfaceInfo[],
  user: localStorage.getItem('forge-local:user') ?? '',
  theme: (localStorage.getItem('forge-local:theme') === 'dark' ? 'dark' : 'light') as ColorMode,
  frames: new Map<string, FrameEntry>(),
  frameSeq: 0,
};

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`shell: #${id} missing`);
  return el as T;
};
const main = $('main');
const modals = new ModalHost(document);

function h(tag: string, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c);
  return el;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const body: unknown = await res.json();
  if (!res.ok) {
    const err = body as { error?: { message?: string } };
    throw new Error(err.error?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}

function surfaceOfType(type: string): SurfaceInfo | undefined {
  return state.surfaces.find((s) => s.type === type);
}

/** A Custom UI iframe for a module, registered so its messages can be matched to it. */
function surfaceFrame(moduleKey: string, role: Role, params: Record<string, string>, resourceKey?: string): HTMLIFrameElement {
  state.frameSeq += 1;
  const frameId = `f${state.frameSeq}`;
  const q = new URLSearchParams({ user: state.user, theme: state.theme, frame: frameId, ...params });
  // Another resource of the module (a gadget's edit resource) is served from its own folder.
  const base = resourceKey ? `/modal/${encodeURIComponent(moduleKey)}/${encodeURIComponent(resourceKey)}/` : `/surface/${encodeURIComponent(moduleKey)}/`;
  const iframe = h('iframe', {
    class: `surface${role === 'page' ? ' page' : ''}`,
    src: `${base}?${q.toString()}`,
    title: moduleKey,
    'data-frame-id': frameId,
    'data-role': role,
  }) as HTMLIFrameElement;
  state.frames.set(frameId, { iframe, role });
  return iframe;
}

/** A Forge modal over the whole page; its close payload goes back to the frame that opened it. */
function openModal(request: ModalRequest, openerFrameId: string): void {
  state.frameSeq += 1;
  const frameId = `f${state.frameSeq}`;
  const iframe = modals.show(request, frameId, modalUrl(request, frameId, state.theme), (payload) => {
    state.frames.delete(frameId);
    const message: ShellToFrame = { source: 'forge-local-shell', type: 'modal-closed', modalId: request.modalId, payload };
    state.frames.get(openerFrameId)?.iframe.contentWindow?.postMessage(message, '*');
  });
  state.frames.set(frameId, { iframe, role: 'modal' });
}

function forgetDetachedFrames(): void {
  for (const [id, f] of state.frames) if (!f.iframe.isConnected) state.frames.delete(id);
}

function toFrames(message: ShellToFrame, except?: string): void {
  for (const [id, f] of state.frames) if (id !== except) f.iframe.contentWindow?.postMessage(message, '*');
}

function applyTheme(): void {
  document.documentElement.setAttribute('data-color-mode', state.theme);
  document.documentElement.style.colorScheme = state.theme;
  toFrames({ source: 'forge-local-shell', type: 'theme', colorMode: state.theme });
}

function showFlag(id: string, title: string, description: string): void {
  const flag = h('div', { class: 'flag', 'data-flag-id': id, role: 'status' }, h('strong', {}, title), description);
  $('flags').append(flag);
  setTimeout(() => flag.remove(), 6000);
}

function errorBox(message: string): HTMLElement {
  return h('div', { class: 'error', role: 'alert' }, message);
}

function markNav(which: string): void {
  for (const a of Array.from(document.querySelectorAll<HTMLElement>('[data-nav]'))) {
    if (a.dataset.nav === which) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ---- pages ---------------------------------------------------------------------------------------------

function renderPortfolio(): void {
  markNav('portfolio');
  const s = surfaceOfType('jira:globalPage');
  main.replaceChildren(
    h('div', { class: 'breadcrumbs' }, 'Apps'),
    h('h1', {}, s?.title ?? 'Global page'),
    s ? surfaceFrame(s.moduleKey, 'page', {}) : errorBox('The manifest has no jira:globalPage.'),
  );
}

function renderAdmin(): void {
  markNav('admin');
  const s = surfaceOfType('jira:adminPage');
  main.replaceChildren(
    h(
      'div',
      { class: 'layout-admin' },
      h(
        'nav',
        { class: 'sidebar', 'aria-label': 'Apps settings' },
        h('div', { class: 'group' }, 'Apps'),
        h('a', { href: '#/admin' }, 'Find new apps'),
        h('div', { class: 'group' }, 'Manage apps'),
        h('a', { href: '#/admin', class: 'selected' }, s?.title ?? 'Admin page'),
      ),
      h(
        'section',
        {},
        h('div', { class: 'breadcrumbs' }, 'Settings / Apps / Manage apps'),
        h('h1', {}, s?.title ?? 'Admin page'),
        s ? surfaceFrame(s.moduleKey, 'page', {}) : errorBox('The manifest has no jira:adminPage.'),
      ),
    ),
  );
}

/** Gadgets whose edit view is open (Jira opens a gadget that was never configured in its edit view). */
const editingGadgets = new Set<string>();

/** Jira's dashboard: each gadget in a frame with its title and an Edit action that shows its edit resource. */
async function renderDashboard(): Promise<void> {
  markNav('dashboard');
  let board: DashboardInfo;
  try {
    board = await getJson<DashboardInfo>('/api/site/dashboard');
  } catch (e) {
    main.replaceChildren(h('h1', {}, 'Dashboard'), errorBox(e instanceof Error ? e.message : String(e)));
    return;
  }
  const boxes = board.gadgets.map((g) => {
    const surface = state.surfaces.find((s) => s.moduleKey === g.moduleKey);
    const title = surface?.title ?? g.moduleKey;
    const editing = editingGadgets.has(g.id) || (!g.configured && surface?.editResourceKey !== undefined);
    const edit = h('button', { class: 'button', type: 'button', 'data-testid': 'gadget-edit' }, editing ? 'Cancel' : 'Edit');
    edit.addEventListener('click', () => {
      if (editing) editingGadgets.delete(g.id);
      else editingGadgets.add(g.id);
      // A gadget never configured stays in its edit view until it is saved, as on Jira.
      void render();
    });
    const frame = editing && surface?.editResourceKey
      ? surfaceFrame(g.moduleKey, 'gadget-edit', { gadget: g.id, entryPoint: 'edit' }, surface.editResourceKey)
      : surfaceFrame(g.moduleKey, 'gadget', { gadget: g.id });
    frame.dataset.gadgetId = g.id;
    return h(
      'section',
      { class: 'gadget', 'data-testid': 'dashboard-gadget', 'data-gadget-id': g.id, 'aria-label': title },
      h('div', { class: 'gadget-header' }, h('h2', {}, title), surface?.editResourceKey && (editing ? g.configured : true) ? edit : ''),
      frame,
    );
  });
  main.replaceChildren(
    h('div', { class: 'breadcrumbs' }, 'Dashboards'),
    h('h1', {}, 'Default dashboard'),
    boxes.length > 0 ? h('div', { class: 'dashboard' }, ...boxes) : errorBox('The manifest has no jira:dashboardGadget.'),
  );
}

let currentIssue: IssueView | null = null;

async function renderIssue(key: string | undefined): Promise<void> {
  markNav('issue');
  const epicKey = key ?? (await firstEpic())?.key;
  if (!epicKey) {
    main.replaceChildren(h('h1', {}, 'Issues'), h('p', { class: 'none' }, 'This user can see no epics.'));
    return;
  }
  ($('epic-picker') as HTMLInputElement).value = epicKey;
  let issue: IssueView;
  try {
    issue = await getJson<IssueView>(`/api/site/issue?key=${encodeURIComponent(epicKey)}&user=${encodeURIComponent(state.user)}`);
  } catch (e) {
    main.replaceChildren(h('h1', {}, epicKey), errorBox(e instanceof Error ? e.message : String(e)));
    return;
  }
  currentIssue = issue;
  const panel = surfaceOfType('jira:issuePanel');
  const left = h(
    'section',
    {},
    h('div', { class: 'breadcrumbs' }, `Projects / ${issue.project.key} / ${issue.key}`),
    h('h1', { 'data-testid': 'issue-summary' }, issue.summary),
    h('h2', {}, 'Description'),
    h('p', { class: 'none' }, 'Add a description...'),
  );
  // The panel's displayConditions decide, as Jira's issue view does (client side only).
  if (panel && issue.shownModules.includes(panel.moduleKey)) {
    left.append(
      h(
        'div',
        { class: 'panel', 'data-testid': 'issue-panel' },
        h('div', { class: 'panel-title' }, panel.title),
        surfaceFrame(panel.moduleKey, 'panel', { issue: issue.key }),
      ),
    );
  }
  main.replaceChildren(h('div', { class: 'issue' }, left, h('aside', {}, detailsOf(issue))));
}

/** The issue view's Details box: status, type and the app's field as the formatter's text. */
function detailsOf(issue: IssueView): HTMLElement {
  const field = surfaceOfType('jira:customField');
  const details = h('section', { class: 'details' }, h('h2', {}, 'Details'));
  details.append(
    h('div', { class: 'field' }, h('div', { class: 'field-label' }, 'Status'), h('div', { class: 'field-value' }, h('span', { class: `lozenge ${issue.statusCategory}` }, issue.status))),
    h('div', { class: 'field' }, h('div', { class: 'field-label' }, 'Issue type'), h('div', { class: 'field-value' }, issue.type)),
  );
  if (field && issue.shownModules.includes(field.moduleKey)) details.append(fieldRow(field, issue));
  return details;
}

/**
 * `view.refresh()` on the issue view: Jira fetches the issue again and re-renders its fields, without
 * reloading the page or the app frames (the panel that asked keeps its state). Elsewhere: render again.
 */
async function refreshIssueView(): Promise<void> {
  const details = main.querySelector('section.details');
  if (!currentIssue || !window.location.hash.startsWith('#/issue') || !details) return render();
  const key = currentIssue.key;
  try {
    const issue = await getJson<IssueView>(`/api/site/issue?key=${encodeURIComponent(key)}&user=${encodeURIComponent(state.user)}`);
    // The user may have moved on while the issue was read.
    if (currentIssue.key !== key || !details.isConnected) return;
    currentIssue = issue;
    details.replaceWith(detailsOf(issue));
    forgetDetachedFrames();
  } catch (e) {
    showFlag('refresh', 'The issue could not be refreshed', e instanceof Error ? e.message : String(e));
  }
}

function fieldRow(field: SurfaceInfo, issue: IssueView): HTMLElement {
  const value = h('div', { class: 'field-value editable', tabindex: '0', role: 'button', 'data-testid': 'field-value' });
  const showText = (): void => {
    value.className = 'field-value editable';
    value.replaceChildren(issue.fieldText ? issue.fieldText : h('span', { class: 'none' }, 'None'));
  };
  const edit = (): void => {
    if (value.querySelector('iframe')) return;
    value.className = 'field-value editing';
    value.replaceChildren(surfaceFrame(field.moduleKey, 'field', { issue: issue.key, experience: 'issue-view' }));
  };
  value.addEventListener('click', edit);
  value.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') edit();
  });
  showText();
  return h('div', { class: 'field', 'data-testid': 'destination-field' }, h('div', { class: 'field-label' }, field.title), value);
}

async function renderCreate(projectKey: string | undefined): Promise<void> {
  markNav('');
  const field = surfaceOfType('jira:customField');
  const project = projectKey ?? currentIssue?.project.key ?? (await firstEpic())?.projectKey ?? '';
  const result = h('p', { class: 'muted', 'data-testid': 'create-value' }, 'Submitted value: none yet');
  main.replaceChildren(
    h('h1', {}, 'Create issue'),
    h('p', { class: 'muted' }, `Project ${project}, issue type Epic. The field's value is kept by the form, as on Jira's create screen.`),
    h(
      'div',
      { class: 'details' },
      h(
        'div',
        { class: 'field' },
        h('div', { class: 'field-label' }, field?.title ?? 'Field'),
        field ? surfaceFrame(field.moduleKey, 'create-field', { project, experience: 'issue-create' }) : errorBox('No custom field module.'),
      ),
    ),
    result,
  );
}

interface SearchAnswer {
  issues?: Array<{ key: string; summary: string; type: string; status: string; statusCategory: string; parent: string | null }>;
  truncated?: boolean;
  error?: string;
}

/** Jira's issue navigator, reduced to a list: where the apps' JQL links land. */
async function renderSearch(jql: string): Promise<void> {
  markNav('');
  const input = h('input', { type: 'text', value: jql, 'aria-label': 'JQL', style: 'width: 100%; font: inherit; padding: 6px 8px' }) as HTMLInputElement;
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') window.location.hash = `#/issues?jql=${encodeURIComponent(input.value)}`;
  });
  const out = h('div', { 'data-testid': 'search-results' }, h('p', { class: 'muted' }, 'Searching...'));
  main.replaceChildren(h('h1', {}, 'Search issues'), input, out);
  const answer = await getJson<SearchAnswer>(`/api/site/search?user=${encodeURIComponent(state.user)}&jql=${encodeURIComponent(jql)}`);
  if (answer.error !== undefined || !answer.issues) {
    out.replaceChildren(errorBox(`Jira refused the query: ${answer.error ?? 'no answer'}`));
    return;
  }
  const rows = answer.issues.map((i) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/issue/${encodeURIComponent(i.key)}` }, i.key)),
      h('td', {}, i.summary),
      h('td', {}, i.type),
      h('td', {}, h('span', { class: `lozenge ${i.statusCategory}` }, i.status)),
      h('td', {}, i.parent ?? ''),
    ),
  );
  out.replaceChildren(
    h('p', { class: 'muted' }, `${answer.issues.length}${answer.truncated ? '+' : ''} issues you can see`),
    h(
      'table',
      { class: 'results' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Summary'), h('th', {}, 'Type'), h('th', {}, 'Status'), h('th', {}, 'Parent'))),
      h('tbody', {}, ...rows),
    ),
  );
}

/** Where a Jira URL an app navigates to lands in the shell, or null when the shell has no such page. */
function shellRouteFor(url: string): string | null {
  const u = new URL(url, window.location.origin);
  if (u.origin !== window.location.origin && !u.hostname.endsWith('.atlassian.net')) return null;
  const browse = /^\/browse\/([^/]+)$/.exec(u.pathname);
  if (browse?.[1]) return `#/issue/${browse[1]}`;
  if (/^\/issues\/?$/.test(u.pathname)) return `#/issues?jql=${encodeURIComponent(u.searchParams.get('jql') ?? '')}`;
  return null;
}

async function render(): Promise<void> {
  // Jira closes an app's modal when the page under it changes.
  modals.closeAll();
  forgetDetachedFrames();
  if (window.location.hash.startsWith('#/issues?')) {
    return renderSearch(new URLSearchParams(window.location.hash.slice('#/issues?'.length)).get('jql') ?? '');
  }
  const [, page, arg] = window.location.hash.split('/');
  switch (page) {
    case 'issue':
      return renderIssue(arg ? decodeURIComponent(arg) : undefined);
    case 'admin':
      return renderAdmin();
    case 'dashboard':
      return renderDashboard();
    case 'create':
      return renderCreate(arg ? decodeURIComponent(arg) : undefined);
    case 'module': {
      const s = state.surfaces.find((x) => x.moduleKey === (arg ? decodeURIComponent(arg) : ''));
      if (s?.type === 'jira:adminPage') return renderAdmin();
      return renderPortfolio();
    }
    case undefined:
    default:
      return renderPortfolio();
  }
}

// ---- what the frames say -------------------------------------------------------------------------------

function onFrameMessage(message: FrameToShell): void {
  const entry = state.frames.get(message.frameId);
  switch (message.type) {
    case 'ready': {
      const theme: ShellToFrame = { source: 'forge-local-shell', type: 'theme', colorMode: state.theme };
      entry?.iframe.contentWindow?.postMessage(theme, '*');
      break;
    }
    case 'resize':
      // A modal frame has its dialog's size; it does not grow with its content.
      if (entry && entry.role !== 'modal') entry.iframe.style.height = `${message.height}px`;
      break;
    case 'submit':
      if (entry?.role === 'gadget-edit') {
        // Jira keeps the configuration (the server did) and shows the gadget's view with it.
        const id = entry.iframe.dataset.gadgetId;
        if (id) editingGadgets.delete(id);
        void render();
      } else if (entry?.role === 'create-field') {
        const out = document.querySelector('[data-testid="create-value"]');
        if (out) out.textContent = `Submitted value: ${JSON.stringify(message.value)}`;
      } else {
        // Jira saves the value, closes the inline editor and shows the formatter's text again.
        void render();
      }
      break;
    case 'close':
      if (entry?.role === 'modal') modals.close(message.frameId, message.payload);
      else if (entry?.role === 'field') void render();
      break;
    case 'open-modal':
      if (entry) openModal(message.request, message.frameId);
      break;
    case 'modal-escape':
      modals.escape(message.frameId);
      break;
    case 'refresh':
      void refreshIssueView();
      break;
    case 'reload':
      window.location.reload();
      break;
    case 'navigate': {
      const l = message.location;
      if (l.target === 'issue' && typeof l.issueKey === 'string') window.location.hash = `#/issue/${encodeURIComponent(l.issueKey)}`;
      else if (l.target === 'module' && typeof l.moduleKey === 'string') window.location.hash = `#/module/${encodeURIComponent(l.moduleKey)}`;
      else if (typeof l.url === 'string') {
        const inShell = shellRouteFor(l.url);
        if (inShell) window.location.hash = inShell;
        else if (l.type === 'new-tab') window.open(l.url, '_blank', 'noopener');
        else window.location.href = l.url;
      } else showFlag('navigate', 'Navigation not available locally', JSON.stringify(l));
      break;
    }
    case 'flag':
      showFlag(String(message.options.id), String(message.options.title ?? ''), String(message.options.description ?? ''));
      break;
    case 'close-flag':
      document.querySelector(`[data-flag-id="${CSS.escape(message.id)}"]`)?.remove();
      break;
    case 'title':
      document.title = message.title;
      break;
    case 'event':
      toFrames({ source: 'forge-local-shell', type: 'event', event: message.event, payload: message.payload }, message.frameId);
      break;
  }
}

window.addEventListener('message', (e: MessageEvent<unknown>) => {
  const d = e.data;
  if (typeof d === 'object' && d !== null && (d as { source?: unknown }).source === 'forge-local') onFrameMessage(d as FrameToShell);
});

// ---- start ---------------------------------------------------------------------------------------------

/** Epics the user may browse whose key or summary holds `query`: a few, from the server, as the user types. */
function searchEpics(query: string, limit = 20): Promise<Epic[]> {
  return getJson<Epic[]>(`/api/site/epics?user=${encodeURIComponent(state.user)}&q=${encodeURIComponent(query)}&limit=${limit}`);
}

async function firstEpic(): Promise<Epic | undefined> {
  return (await searchEpics('', 1))[0];
}

/**
 * The epic picker is a search box: nothing is fetched until it is used, so the surfaces' frames never wait
 * for the site's epic list (5,000 epics were 296 KB and 640 ms before the first frame on a big site).
 */
function startEpicPicker(): void {
  const picker = $('epic-picker') as HTMLInputElement;
  const options = $('epic-options');
  let asked = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const suggest = (): void => {
    asked += 1;
    const mine = asked;
    searchEpics(picker.value)
      .then((epics) => {
        // An older answer arriving late must not replace a newer one.
        if (mine === asked) options.replaceChildren(...epics.map((e) => h('option', { value: e.key, label: `${e.key} ${e.summary}` }, `${e.key} ${e.summary}`)));
      })
      .catch((e: unknown) => showFlag('epics', 'Epics could not be searched', e instanceof Error ? e.message : String(e)));
  };
  picker.addEventListener('focus', suggest);
  picker.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 150);
  });
  const open = (): void => {
    const key = picker.value.trim().split(/\s+/)[0] ?? '';
    if (key) window.location.hash = `#/issue/${encodeURIComponent(key.toUpperCase())}`;
  };
  // A suggestion picked from the list, or a key typed and Enter.
  picker.addEventListener('change', open);
  picker.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') open();
  });
}

async function start(): Promise<void> {
  const [users, info] = await Promise.all([getJson<User[]>('/api/site/users'), getJson<{ surfaces: SurfaceInfo[] }>('/api/site/info')]);
  state.users = users;
  state.surfaces = info.surfaces;
  if (!users.some((u) => u.accountId === state.user)) state.user = (users.find((u) => u.admin) ?? users[0])?.accountId ?? '';
  const userPicker = $('user-picker') as HTMLSelectElement;
  userPicker.replaceChildren(...users.map((u) => h('option', { value: u.accountId }, `${u.displayName}${u.admin ? ' (admin)' : ''}`)));
  userPicker.value = state.user;
  userPicker.addEventListener('change', () => {
    state.user = userPicker.value;
    localStorage.setItem('forge-local:user', state.user);
    ($('epic-options')).replaceChildren();
    void render();
  });
  const themePicker = $('theme-picker') as HTMLSelectElement;
  themePicker.value = state.theme;
  themePicker.addEventListener('change', () => {
    state.theme = themePicker.value === 'dark' ? 'dark' : 'light';
    localStorage.setItem('forge-local:theme', state.theme);
    applyTheme();
  });
  startEpicPicker();
  $('create').addEventListener('click', () => {
    // Without an issue in view, the create page finds a project itself.
    window.location.hash = currentIssue ? `#/create/${encodeURIComponent(currentIssue.project.key)}` : '#/create';
  });
  window.addEventListener('hashchange', () => void render());
  applyTheme();
  // The surface's frame first: nothing else the shell shows is on its path.
  await render();
}

start().catch((e: unknown) => main.replaceChildren(errorBox(`The shell could not start: ${e instanceof Error ? e.message : String(e)}`)));
