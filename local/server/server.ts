/**
 * The local Forge host over HTTP (Node's own `http`): surfaces with the bridge injected, the bridge's
 * endpoints, a direct `/api/invoke` for scripts and tests, the shell, and site data for the shell.
 */
import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { isRecord, type JiraEmulator } from '../types';
import { SETTLE_HORIZON_SECONDS } from '../app/boot';
import type { ColorMode, Experience, FetchProductBody, FetchProductResult, FrameSpec, InvokeBody, SubmitBody } from '../browser/protocol';
import { BRIDGE_ENDPOINTS } from '../browser/protocol';
import { readManifest, type Manifest, type Surface } from '../platform/manifest';
import { buildContext, type Dashboard, modulesShownOn, readIssue, surfaceOf, type SiteInfo } from './context';
import { contentTypeOf, readFileIfExists, resolveInside } from './static-files';
import { bundleBridge, bundleShell, tokensCss } from './assets';
import { SHELL_HTML } from './shell/page';
import { jsonTextDepthExceeds, MAX_INVOKE_REQUEST_BYTES, MAX_PAYLOAD_DEPTH, tooDeep, tooLarge } from '../platform/invoke-limits';
import { LocalError } from '../errors';
import { fieldValueText } from '../../src/contract';

/** What the server needs from the local platform (`local/platform`'s `LocalPlatform` fits). */
export interface PlatformPort {
  invoke(
    functionKey: string,
    resolverKey: string,
    payload: unknown,
    ctx: { accountId: string; moduleKey?: string; extension?: Record<string, unknown>; localId?: string },
  ): Promise<unknown>;
  /** Waits for triggers fired by a change to finish, so the next read sees fresh rollups. */
  settle?(horizonSeconds?: number): Promise<void>;
}

export interface ServerOptions {
  platform: PlatformPort;
  jira: JiraEmulator;
  /** Project root: `manifest.yml` and the resources' build folders are read from here. */
  root: string;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  cloudId?: string;
  siteUrl?: string;
  environmentId?: string;
  locale?: string;
  timezone?: string;
  /** Boots the site afresh (as loaded, storage as seeded); given, the server answers `POST /api/reset`. */
  reset?: () => Promise<{ platform: PlatformPort; jira: JiraEmulator }>;
}

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY = 5 * 1024 * 1024;
// An invoke body carries the payload (held to Forge's 500 KB by the platform) plus the key and the frame.
const MAX_INVOKE_BODY = MAX_INVOKE_REQUEST_BYTES + 16 * 1024;
// The body wraps the payload in one object (two for the bridge's frame): allow for them.
const MAX_BODY_DEPTH = MAX_PAYLOAD_DEPTH + 2;

interface EpicRow {
  key: string;
  summary: string;
  projectKey: string;
}

/** How many epics the picker asks for at a time: a screenful, never the site. */
export const EPIC_SEARCH_DEFAULT_LIMIT = 20;
export const EPIC_SEARCH_MAX_LIMIT = 50;

function epicLimit(url: URL): number {
  const raw = url.searchParams.get('limit');
  if (raw === null) return EPIC_SEARCH_DEFAULT_LIMIT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > EPIC_SEARCH_MAX_LIMIT) {
    throw new LocalError(400, 'INVALID_INPUT', `limit must be a whole number from 1 to ${EPIC_SEARCH_MAX_LIMIT}, not "${raw.slice(0, 20)}".`);
  }
  return n;
}

interface SearchRow {
  key: string;
  summary: string;
  type: string;
  status: string;
  statusCategory: string;
  parent: string | null;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

/** Errors in the app's envelope shape, so a caller reads every refusal the same way. */
function sendError(res: http.ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } });
}

function sendText(res: http.ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  res.end(body);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Reads a JSON body of at most `limit` bytes. An oversize body is read to its end (up to 5 MB) before the
 * 413, so the client gets the answer rather than a reset connection. Depth is checked on the text, before
 * `JSON.parse`, so nothing recursive ever sees an over-deep body.
 */
async function readJson(req: http.IncomingMessage, limit = MAX_BODY): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw limit === MAX_BODY ? new LocalError(413, 'INVALID_INPUT', 'Request body over 5 MB.') : tooLarge(size);
    if (size <= limit) chunks.push(buf);
  }
  if (size > limit) throw tooLarge(size);
  const text = Buffer.concat(chunks).toString('utf8');
  if (jsonTextDepthExceeds(text, MAX_BODY_DEPTH)) throw tooDeep();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    throw new LocalError(400, 'INVALID_INPUT', 'Request body is not JSON.');
  }
  if (!isRecord(parsed)) throw new LocalError(400, 'INVALID_INPUT', 'Request body must be a JSON object.');
  return parsed;
}

/** Put the frame description and the bridge at the top of `<head>`, ahead of every bundle script. */
export function injectBridge(html: string, frame: FrameSpec, surfaceType?: string): string {
  // `<` escaped so a value can never close the script element.
  const json = JSON.stringify(frame).replace(/</g, '\\u003c');
  const tags =
    `<script>window.__forgeLocalFrame=${json};</script>` +
    `<script src="${BRIDGE_ENDPOINTS.script}"></script>` +
    (surfaceType ? `<meta name="forge-local-surface" content="${escapeHtml(surfaceType)}">` : '');
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + tags + html.slice(head.index + head[0].length);
  const htmlTag = /<html(\s[^>]*)?>/i.exec(html);
  if (htmlTag) return html.slice(0, htmlTag.index + htmlTag[0].length) + `<head>${tags}</head>` + html.slice(htmlTag.index + htmlTag[0].length);
  return tags + html;
}

function missingBuildPage(surface: Surface, root: string): string {
  const rel = path.relative(root, surface.resourceDir) || surface.resourceDir;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Build missing</title></head>
<body style="font-family: system-ui, sans-serif; padding: 16px">
<h1 style="font-size: 18px">The ${escapeHtml(surface.title)} UI is not built</h1>
<p><code>${escapeHtml(rel)}/index.html</code> does not exist. Run <code>npm run build:ui</code>, then reload.</p>
</body></html>`;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Parse the frame a bridge call acts for; the server trusts its shape, not its rights. */
function frameFrom(body: Record<string, unknown>, manifest: Manifest): FrameSpec {
  const f = body.frame;
  if (!isRecord(f)) throw new LocalError(400, 'INVALID_INPUT', 'Missing "frame".');
  const moduleKey = str(f.moduleKey);
  const accountId = str(f.accountId);
  if (!moduleKey || !accountId) throw new LocalError(400, 'INVALID_INPUT', '"frame" needs moduleKey and accountId.');
  const surface = manifest.surfaces.get(moduleKey);
  return {
    frameId: str(f.frameId) ?? 'frame',
    moduleKey,
    accountId,
    issueKey: str(f.issueKey),
    projectKey: str(f.projectKey),
    experience: f.experience === 'issue-create' ? 'issue-create' : f.experience === 'issue-view' ? 'issue-view' : null,
    colorMode: f.colorMode === 'dark' ? 'dark' : 'light',
    surfaceType: surface?.type,
    ...(str(f.resourceKey) ? { resourceKey: str(f.resourceKey) as string } : {}),
    ...(isRecord(f.modal) && str(f.modal.id) ? { modal: { id: str(f.modal.id) as string, context: f.modal.context ?? {} } } : {}),
    ...(isRecord(f.gadget) && str(f.gadget.id) ? { gadget: { id: str(f.gadget.id) as string, entryPoint: f.gadget.entryPoint === 'edit' ? 'edit' : 'view' } } : {}),
  };
}

/** The dashboard gadget a frame's page is (`?gadget=<id>&entryPoint=edit`), as the shell's dashboard frames it. */
function gadgetOf(url: URL): { gadget?: { id: string; entryPoint: 'view' | 'edit' } } {
  const id = url.searchParams.get('gadget');
  if (!id) return {};
  return { gadget: { id, entryPoint: url.searchParams.get('entryPoint') === 'edit' ? 'edit' : 'view' } };
}

/**
 * Jira keeps a gadget's configuration as a property of its dashboard item: a JSON object, at most 32 kB (an
 * entity property's limit). `refresh`, when given, is the auto-refresh interval in minutes: a positive integer.
 */
export const GADGET_CONFIGURATION_LIMIT = 32_768;
function gadgetConfiguration(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw new LocalError(400, 'INVALID_INPUT', 'A gadget\'s configuration must be a JSON object.');
  if (Buffer.byteLength(JSON.stringify(value), 'utf8') > GADGET_CONFIGURATION_LIMIT) {
    throw new LocalError(400, 'INVALID_INPUT', `A gadget's configuration may be at most ${GADGET_CONFIGURATION_LIMIT} bytes.`);
  }
  if (value.refresh !== undefined && !(typeof value.refresh === 'number' && Number.isInteger(value.refresh) && value.refresh > 0)) {
    throw new LocalError(400, 'INVALID_INPUT', 'A gadget\'s refresh must be a positive whole number of minutes.');
  }
  return value;
}

/** The modal a frame's page is (`?modal=<id>&modalContext=<json>`), as the shell opens it. */
function modalOf(url: URL): { modal?: { id: string; context: unknown } } {
  const id = url.searchParams.get('modal');
  if (!id) return {};
  try {
    return { modal: { id, context: JSON.parse(url.searchParams.get('modalContext') ?? '{}') as unknown } };
  } catch {
    throw new LocalError(400, 'INVALID_INPUT', 'modalContext must be JSON.');
  }
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  let { platform, jira } = options;
  const root = path.resolve(options.root);
  const manifest = readManifest(root);
  const site: SiteInfo = {
    cloudId: options.cloudId ?? '00000000-0000-4000-8000-00000000c10d',
    siteUrl: options.siteUrl ?? 'https://local-site.atlassian.net',
    environmentId: options.environmentId ?? '00000000-0000-4000-8000-0000000e0001',
    locale: options.locale ?? 'en-US',
    timezone: options.timezone ?? 'UTC',
  };
  const [bridgeJs, shellJs, tokens] = await Promise.all([bundleBridge(), bundleShell(), tokensCss()]);

  // The one dashboard the shell shows: one gadget of each gadget module, each with the configuration Jira keeps for it.
  const gadgetItems = [...manifest.surfaces.values()]
    .filter((s) => s.type === 'jira:dashboardGadget')
    .map((s, i) => ({ id: String(10100 + i), moduleKey: s.moduleKey }));
  const gadgetConfigurations = new Map<string, Record<string, unknown>>(gadgetItems.map((g) => [g.id, {}]));
  const dashboard: Dashboard = {
    id: '10000',
    configurationOf: (gadgetId, moduleKey) =>
      gadgetItems.some((g) => g.id === gadgetId && g.moduleKey === moduleKey) ? { ...gadgetConfigurations.get(gadgetId) } : undefined,
  };

  function defaultUser(): string {
    const users = jira.users();
    const admin = users.find((u) => u.admin) ?? users[0];
    if (!admin) throw new LocalError(500, 'INTERNAL', 'The site has no users.');
    return admin.accountId;
  }

  /** A module's page, or (`resourceKey`) a modal of that module rendering one of the app's resources. */
  async function serveSurface(res: http.ServerResponse, url: URL, moduleKey: string, rest: string, resourceKey?: string): Promise<void> {
    const surface = manifest.surfaces.get(moduleKey);
    if (!surface) return sendError(res, 404, 'NOT_FOUND', `No Custom UI module ${moduleKey} in the manifest.`);
    const resourceDir = resourceKey === undefined ? surface.resourceDir : manifest.resources.get(resourceKey);
    if (!resourceDir) return sendError(res, 404, 'NOT_FOUND', `The manifest has no resource ${resourceKey ?? ''}.`);
    if (rest === '' || rest === 'index.html') {
      const gadget = gadgetOf(url).gadget;
      if (surface.type === 'jira:dashboardGadget') {
        // Jira frames a gadget's view with `resource` and its edit view with `edit.resource`, nothing else.
        if (!gadget) return sendError(res, 400, 'INVALID_INPUT', 'A dashboard gadget is framed on a dashboard: ?gadget=ID.');
        const wanted = gadget.entryPoint === 'edit' ? surface.editResourceKey : surface.resourceKey;
        if (!wanted) return sendError(res, 400, 'INVALID_INPUT', `Gadget ${moduleKey} has no edit resource.`);
        if ((resourceKey ?? surface.resourceKey) !== wanted) return sendError(res, 400, 'INVALID_INPUT', `Gadget ${moduleKey}'s ${gadget.entryPoint} is resource ${wanted}.`);
      }
      const html = await readFileIfExists(path.join(resourceDir, 'index.html'));
      if (!html) return sendText(res, 503, 'text/html; charset=utf-8', missingBuildPage(surface, root));
      const theme: ColorMode = url.searchParams.get('theme') === 'dark' ? 'dark' : 'light';
      const experienceParam = url.searchParams.get('experience');
      const experience: Experience | null =
        surface.type !== 'jira:customField' ? null : experienceParam === 'issue-create' ? 'issue-create' : 'issue-view';
      const frame: FrameSpec = {
        frameId: url.searchParams.get('frame') ?? randomUUID(),
        moduleKey,
        accountId: url.searchParams.get('user') ?? defaultUser(),
        issueKey: url.searchParams.get('issue'),
        projectKey: url.searchParams.get('project'),
        experience,
        colorMode: theme,
        surfaceType: surface.type,
        resourceKey: resourceKey ?? surface.resourceKey,
        ...modalOf(url),
        ...(surface.type === 'jira:dashboardGadget' && gadget ? { gadget } : {}),
      };
      return sendText(res, 200, 'text/html; charset=utf-8', injectBridge(html.toString('utf8'), frame, surface.type));
    }
    const file = resolveInside(resourceDir, rest);
    if (!file) return sendError(res, 403, 'FORBIDDEN', 'Path outside the resource folder.');
    const data = await readFileIfExists(file);
    if (!data) return sendError(res, 404, 'NOT_FOUND', `No file ${rest} in resource ${resourceKey ?? surface.resourceKey}.`);
    return sendText(res, 200, contentTypeOf(file), data);
  }

  async function invokeEndpoint(body: Record<string, unknown>): Promise<unknown> {
    const key = str(body.key);
    const accountId = str(body.accountId);
    if (!key || !accountId) throw new LocalError(400, 'INVALID_INPUT', 'Body needs "key" (resolver key) and "accountId".');
    let functionKey = str(body.functionKey);
    const moduleKey = str(body.moduleKey);
    if (!functionKey && moduleKey) functionKey = surfaceOf(manifest, moduleKey).functionKey;
    if (!functionKey) throw new LocalError(400, 'INVALID_INPUT', 'Body needs "functionKey" or the "moduleKey" of a module with a resolver.');
    const extension = isRecord(body.extension) ? body.extension : undefined;
    return platform.invoke(functionKey, key, body.payload ?? {}, {
      accountId,
      ...(moduleKey ? { moduleKey } : {}),
      ...(extension ? { extension } : {}),
      ...(str(body.localId) ? { localId: str(body.localId) as string } : {}),
    });
  }

  // Jira computes a frame's context once, when it loads; caching per frame also keeps the emulator's
  // request log free of reads the real Jira would not make on every invoke.
  const contexts = new Map<string, ReturnType<typeof buildContext>>();
  function contextFor(frame: FrameSpec): ReturnType<typeof buildContext> {
    const key = JSON.stringify([frame.frameId, frame.moduleKey, frame.accountId, frame.issueKey, frame.projectKey, frame.experience, frame.modal?.id, frame.gadget]);
    let entry = contexts.get(key);
    if (!entry) {
      entry = buildContext(jira, manifest, site, frame, dashboard);
      contexts.set(key, entry);
      // A failed read (issue not browsable, emulator fault) must not stick to the frame.
      void entry.catch(() => contexts.delete(key));
      if (contexts.size > 500) contexts.delete(contexts.keys().next().value as string);
    }
    return entry;
  }

  async function bridgeInvoke(body: InvokeBody): Promise<unknown> {
    const { context, extension, surface } = await contextFor(body.frame);
    if (!surface.functionKey) throw new LocalError(400, 'INVALID_INPUT', `Module ${surface.moduleKey} has no resolver function.`);
    return platform.invoke(surface.functionKey, body.functionKey, body.payload ?? {}, {
      accountId: body.frame.accountId,
      moduleKey: surface.moduleKey,
      extension,
      localId: String(context.localId),
    });
  }

  async function bridgeFetch(body: FetchProductBody): Promise<FetchProductResult> {
    if (body.product !== 'jira') throw new LocalError(400, 'INVALID_INPUT', `This local site is Jira; ${body.product} is not available.`);
    const headers: Record<string, string> = {};
    for (const pair of body.headers) if (Array.isArray(pair) && pair.length === 2) headers[String(pair[0]).toLowerCase()] = String(pair[1]);
    const answer = await jira.handle({
      method: body.method,
      path: body.restPath,
      headers,
      ...(body.body !== null && body.method !== 'GET' && body.method !== 'HEAD' ? { body: body.body } : {}),
      as: { kind: 'user', accountId: body.frame.accountId },
    });
    return { status: answer.status, statusText: http.STATUS_CODES[answer.status] ?? '', headers: answer.headers, body: answer.body, isAttachment: false };
  }

  async function bridgeSubmit(body: SubmitBody): Promise<{ saved: boolean }> {
    const surface = surfaceOf(manifest, body.frame.moduleKey);
    if (surface.type === 'jira:dashboardGadget') {
      // Only the edit view submits; Jira keeps the value as the gadget's configuration and shows the view with it.
      const gadget = body.frame.gadget;
      if (gadget?.entryPoint !== 'edit') throw new LocalError(400, 'INVALID_INPUT', "This resource's view is not submittable.");
      if (dashboard.configurationOf(gadget.id, surface.moduleKey) === undefined) throw new LocalError(404, 'NOT_FOUND', `The dashboard has no gadget ${gadget.id}.`);
      gadgetConfigurations.set(gadget.id, gadgetConfiguration(body.value));
      // Frames loaded from now on must get the new configuration: frame ids repeat across shell page loads.
      for (const key of [...contexts.keys()]) {
        const cached = (JSON.parse(key) as unknown[])[7] as { id?: string } | undefined;
        if (cached?.id === gadget.id) contexts.delete(key);
      }
      return { saved: true };
    }
    if (surface.type !== 'jira:customField') throw new LocalError(400, 'INVALID_INPUT', "This resource's view is not submittable.");
    // On the create screen the value waits for the issue to be created: Jira keeps it in the form.
    if (body.frame.experience === 'issue-create') return { saved: false };
    if (!body.frame.issueKey) throw new LocalError(400, 'INVALID_INPUT', 'No issue to save the field on.');
    const answer = await jira.handle({
      method: 'PUT',
      path: `/rest/api/3/issue/${encodeURIComponent(body.frame.issueKey)}`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ fields: { [jira.appFieldId]: body.value ?? null } }),
      as: { kind: 'user', accountId: body.frame.accountId },
    });
    if (answer.status >= 300) throw new LocalError(answer.status, 'JIRA_REJECTED', jiraMessage(answer.body) ?? `Jira refused the change (${answer.status}).`);
    // What the save set off (its event, a compaction): not background work due later (see SETTLE_HORIZON_SECONDS).
    await platform.settle?.(SETTLE_HORIZON_SECONDS);
    return { saved: true };
  }

  /**
   * The shell's epic picker, searched as the user types: at most `limit` epics whose key or summary holds
   * `query` (an exact key first), each checked through the emulator as the user, so the picker never offers one
   * they may not browse (as Jira's search would not). A few answers, never the whole site's list.
   */
  async function searchEpics(accountId: string, query: string, limit: number): Promise<EpicRow[]> {
    const q = query.trim().toLowerCase();
    const all = jira.epics();
    const exact = all.find((e) => e.key.toLowerCase() === q);
    const candidates = exact ? [exact, ...all.filter((e) => e !== exact)] : all;
    const visible: EpicRow[] = [];
    for (const epic of candidates) {
      if (visible.length >= limit) break;
      if (q && !epic.key.toLowerCase().includes(q) && !epic.summary.toLowerCase().includes(q)) continue;
      try {
        await readIssue(jira, accountId, epic.key);
        visible.push(epic);
      } catch (e) {
        // Not browsable by this user: not offered. Anything else (Jira down) is the caller's answer.
        if (!(e instanceof LocalError && e.status === 404)) throw e;
      }
    }
    return visible;
  }

  /** The shell's issue navigator: the JQL goes to the emulator as the user, as Jira's own search would. */
  async function search(accountId: string, jql: string): Promise<{ issues: SearchRow[]; truncated: boolean } | { error: string }> {
    const issues: SearchRow[] = [];
    let nextPageToken: string | undefined;
    do {
      const answer = await jira.handle({
        method: 'POST',
        path: '/rest/api/3/search/jql',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ jql, fields: ['summary', 'status', 'issuetype', 'parent'], maxResults: 100, ...(nextPageToken ? { nextPageToken } : {}) }),
        as: { kind: 'user', accountId },
      });
      if (answer.status !== 200 || answer.body === null) return { error: jiraMessage(answer.body) ?? `Jira answered ${answer.status}.` };
      const page: unknown = JSON.parse(answer.body);
      const r = isRecord(page) ? page : {};
      for (const issue of Array.isArray(r.issues) ? r.issues : []) {
        const i = isRecord(issue) ? issue : {};
        const f = isRecord(i.fields) ? i.fields : {};
        const status = isRecord(f.status) ? f.status : {};
        const category = isRecord(status.statusCategory) ? status.statusCategory : {};
        issues.push({
          key: String(i.key ?? ''),
          summary: String(f.summary ?? ''),
          type: String(isRecord(f.issuetype) ? (f.issuetype.name ?? '') : ''),
          status: String(status.name ?? ''),
          statusCategory: String(category.key ?? ''),
          parent: isRecord(f.parent) ? String(f.parent.key ?? '') : null,
        });
      }
      nextPageToken = typeof r.nextPageToken === 'string' && r.isLast !== true ? r.nextPageToken : undefined;
      // The navigator is for looking, not exporting: stop at a few pages.
    } while (nextPageToken && issues.length < 500);
    return { issues, truncated: nextPageToken !== undefined };
  }

  /** One route: a method and an exact path (matched on the parsed path) or a pattern (on the raw path). */
  type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL, params: string[]) => Promise<void> | void;
  const text = (contentType: string, body: string) => (_req: http.IncomingMessage, res: http.ServerResponse) => sendText(res, 200, contentType, body);
  const userOf = (url: URL): string => url.searchParams.get('user') ?? defaultUser();
  /** `/surface/<module>/` or `/modal/<module>/<resource>/`: the page must end in `/` so relative asset URLs resolve against the folder. */
  const framed = (prefix: string, modal: boolean): Handler => async (_req, res, url, params) => {
    const keys = params.slice(0, modal ? 2 : 1).map((k) => decodeURIComponent(k));
    const rest = params[modal ? 2 : 1];
    if (rest === undefined) {
      res.writeHead(302, { location: `/${prefix}/${keys.map(encodeURIComponent).join('/')}/${url.search}` });
      res.end();
      return;
    }
    return serveSurface(res, url, keys[0] ?? '', rest.slice(1), keys[1]);
  };
  const bridge = (limit: number, answer: (body: Record<string, unknown>, frame: FrameSpec) => Promise<unknown>): Handler => async (req, res) => {
    const body = await readJson(req, limit);
    sendJson(res, 200, await answer(body, frameFrom(body, manifest)));
  };

  const routes: Array<[method: string, path: string | RegExp, handler: Handler]> = [
    ['GET', '/', text('text/html; charset=utf-8', SHELL_HTML)],
    ['GET', '/index.html', text('text/html; charset=utf-8', SHELL_HTML)],
    // Browsers ask for it on every page; a 404 would be noise in every console.
    ['GET', '/favicon.ico', (_req, res) => void res.writeHead(204).end()],
    ['GET', '/__shell/shell.js', text('text/javascript; charset=utf-8', shellJs)],
    ['GET', BRIDGE_ENDPOINTS.script, text('text/javascript; charset=utf-8', bridgeJs)],
    ['GET', BRIDGE_ENDPOINTS.themeCss, text('text/css; charset=utf-8', tokens)],
    ['GET', /^\/surface\/([^/]+)(\/.*)?$/, framed('surface', false)],
    // A Forge modal: `/modal/<module>/<resource>/`, framed by the shell over the whole page.
    ['GET', /^\/modal\/([^/]+)\/([^/]+)(\/.*)?$/, framed('modal', true)],
    ['GET', '/api/site/users', (_req, res) => sendJson(res, 200, jira.users())],
    ['GET', '/api/site/epics', async (_req, res, url) => sendJson(res, 200, await searchEpics(userOf(url), url.searchParams.get('q') ?? '', epicLimit(url)))],
    ['GET', '/api/site/info', (_req, res) =>
      sendJson(res, 200, {
        siteUrl: site.siteUrl,
        today: jira.today,
        appFieldId: jira.appFieldId,
        surfaces: [...manifest.surfaces.values()].map((s) => ({
          moduleKey: s.moduleKey, type: s.type, title: s.title, experiences: s.experiences, resourceKey: s.resourceKey,
          ...(s.editResourceKey ? { editResourceKey: s.editResourceKey } : {}),
        })),
      })],
    // The shell's dashboard: its gadgets, and whether each has been configured (Jira opens an unconfigured one in edit).
    ['GET', '/api/site/dashboard', (_req, res) =>
      sendJson(res, 200, {
        id: dashboard.id,
        gadgets: gadgetItems.map((g) => ({ ...g, configured: Object.keys(gadgetConfigurations.get(g.id) ?? {}).length > 0 })),
      })],
    ['GET', '/api/site/issue', async (_req, res, url) => {
      const key = url.searchParams.get('key');
      if (!key) throw new LocalError(400, 'INVALID_INPUT', 'Query needs ?key=');
      const facts = await readIssue(jira, userOf(url), key);
      const value = facts.fields[jira.appFieldId] ?? null;
      sendJson(res, 200, {
        key: facts.issue.key,
        id: facts.issue.id,
        summary: facts.summary,
        type: facts.issue.type,
        status: facts.status,
        statusCategory: facts.statusCategory,
        project: facts.project,
        fieldValue: value,
        // Jira shows the manifest formatter's text: evaluated from the manifest (a test holds it to fieldValueText).
        fieldText: manifest.field ? manifest.field.format(value) : fieldValueText(value),
        // The issue view evaluates display conditions before it renders a module (client side, not security).
        shownModules: modulesShownOn(manifest, facts, userOf(url)),
      });
    }],
    ['GET', '/api/site/search', async (_req, res, url) => {
      const jql = url.searchParams.get('jql');
      if (!jql) throw new LocalError(400, 'INVALID_INPUT', 'Query needs ?jql=');
      sendJson(res, 200, await search(userOf(url), jql));
    }],
    ['POST', '/api/invoke', async (req, res) => sendJson(res, 200, await invokeEndpoint(await readJson(req, MAX_INVOKE_BODY)))],
    ['POST', BRIDGE_ENDPOINTS.context, bridge(MAX_BODY, async (_body, frame) => ({ ...(await contextFor(frame)).context, theme: { colorMode: frame.colorMode } }))],
    ['POST', BRIDGE_ENDPOINTS.invoke, bridge(MAX_INVOKE_BODY, (body, frame) => {
      const functionKey = str(body.functionKey);
      if (!functionKey) throw new LocalError(400, 'INVALID_INPUT', 'invoke needs "functionKey" (the resolver key).');
      return bridgeInvoke({ frame, functionKey, payload: body.payload });
    })],
    ['POST', BRIDGE_ENDPOINTS.fetchProduct, bridge(MAX_BODY, (body, frame) => {
      const restPath = str(body.restPath);
      if (!restPath || !restPath.startsWith('/')) throw new LocalError(400, 'INVALID_INPUT', 'requestJira needs a path starting with /.');
      return bridgeFetch({
        frame,
        product: str(body.product) ?? 'jira',
        restPath,
        method: (str(body.method) ?? 'GET').toUpperCase(),
        headers: Array.isArray(body.headers) ? (body.headers as Array<[string, string]>) : [],
        body: typeof body.body === 'string' ? body.body : null,
      });
    })],
    ['POST', BRIDGE_ENDPOINTS.submit, bridge(MAX_BODY, (body, frame) => bridgeSubmit({ frame, value: body.value }))],
  ];
  const { reset } = options;
  if (reset) {
    // Tests start each file from the loaded site: a fresh emulator and platform, seeded as at start.
    routes.push(['POST', '/api/reset', async (_req, res) => {
      ({ platform, jira } = await reset());
      contexts.clear();
      sendJson(res, 200, { ok: true });
    }]);
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    // Patterns see the raw path, not url.pathname: WHATWG URL parsing already folds some `..` forms away.
    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    for (const [m, path, handler] of routes) {
      if (m !== method) continue;
      if (typeof path === 'string' ? path === url.pathname : path.test(rawPath)) {
        const params = typeof path === 'string' ? [] : (path.exec(rawPath) ?? []).slice(1);
        return handler(req, res, url, params);
      }
    }
    sendError(res, 404, 'NOT_FOUND', `No route ${method} ${url.pathname}`);
  }

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.end();
        return;
      }
      if (err instanceof LocalError) {
        // A refused request: the caller's mistake, answered and not logged. Ask a client still sending to stop.
        if (!req.complete) res.setHeader('connection', 'close');
        return sendError(res, err.status, err.code, err.message);
      }
      // A resolver or emulator bug: say so plainly; the stack goes to the server's console only.
      console.error(err);
      sendError(res, 500, 'INTERNAL', err instanceof Error ? err.message : String(err));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function jiraMessage(body: string | null): string | null {
  if (!body) return null;
  try {
    const parsed: unknown = JSON.parse(body);
    if (!isRecord(parsed)) return null;
    const messages = Array.isArray(parsed.errorMessages) ? parsed.errorMessages.filter((m): m is string => typeof m === 'string') : [];
    const errors = isRecord(parsed.errors) ? Object.values(parsed.errors).filter((m): m is string => typeof m === 'string') : [];
    const all = [...messages, ...errors];
    return all.length ? all.join(' ') : null;
  } catch {
    return null;
  }
}
