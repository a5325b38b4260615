import http from 'node:http';
import { rmSync } from 'node:fs';
import { injectBridge, startServer, type RunningServer } from './server';
import { ADMIN, DEV, FIELD_ID, fakeJira, fakePlatform, fakeRoot, type FakeJira } from './test-fakes';
import type { FrameSpec } from '../browser/protocol';

let server: RunningServer;
let jira: FakeJira;
let platform: ReturnType<typeof fakePlatform>;
let root: string;

beforeAll(async () => {
  root = fakeRoot();
  jira = fakeJira();
  platform = fakePlatform();
  server = await startServer({ platform, jira, root, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  platform.calls.length = 0;
  jira.requests.length = 0;
});

async function postJson(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A GET with the path sent byte for byte (fetch would normalise `..` away before it left). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function frame(over: Partial<FrameSpec> = {}): FrameSpec {
  return { frameId: 'f1', moduleKey: 'the-panel', accountId: ADMIN, issueKey: 'ALPHA-1', projectKey: null, experience: null, colorMode: 'light', ...over };
}

describe('POST /api/invoke', () => {
  it('runs the named function with the resolver key, payload and caller, and returns its JSON', async () => {
    const res = await postJson('/api/invoke', { functionKey: 'panel-fn', key: 'epic/alignment', payload: { issueKey: 'ALPHA-1' }, accountId: DEV });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, data: { functionKey: 'panel-fn', resolverKey: 'epic/alignment', payload: { issueKey: 'ALPHA-1' }, accountId: DEV } });
    expect(platform.calls[0]?.ctx).toEqual({ accountId: DEV });
  });

  it('finds the function from a module key and passes the extension on', async () => {
    const extension = { type: 'jira:issuePanel', issue: { key: 'ALPHA-1' } };
    const res = await postJson('/api/invoke', { moduleKey: 'the-page', key: 'portfolio/get', payload: {}, accountId: ADMIN, extension });
    expect(res.status).toBe(200);
    expect(platform.calls[0]).toMatchObject({ functionKey: 'page-fn', resolverKey: 'portfolio/get', ctx: { accountId: ADMIN, moduleKey: 'the-page', extension } });
  });

  it('refuses a body without a resolver key or caller', async () => {
    const res = await postJson('/api/invoke', { functionKey: 'panel-fn', payload: {} });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    expect(platform.calls).toHaveLength(0);
  });

  it('answers 404 for a module the manifest does not have', async () => {
    const res = await postJson('/api/invoke', { moduleKey: 'nope', key: 'x', accountId: ADMIN });
    expect(res.status).toBe(404);
  });

  it('turns a resolver that throws into a 500 with its message and no stack', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await postJson('/api/invoke', { functionKey: 'panel-fn', key: 'boom', accountId: ADMIN });
    spy.mockRestore();
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'resolver exploded' } });
  });
});

describe('GET /surface/<moduleKey>/', () => {
  it('serves the resource index with the frame and bridge ahead of every bundle script', async () => {
    const res = await fetch(`${server.url}/surface/the-panel/?user=${DEV}&issue=ALPHA-1&theme=dark&frame=x7`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    const frameAt = html.indexOf('window.__forgeLocalFrame=');
    const bridgeAt = html.indexOf('<script src="/__forge/bridge.js"></script>');
    const bundleAt = html.indexOf('./assets/index-abc.js');
    expect(frameAt).toBeGreaterThan(-1);
    expect(bridgeAt).toBeGreaterThan(frameAt);
    expect(bundleAt).toBeGreaterThan(bridgeAt);
    const json = /window\.__forgeLocalFrame=(.*?);<\/script>/.exec(html)?.[1] ?? 'null';
    expect(JSON.parse(json)).toEqual({
      frameId: 'x7',
      moduleKey: 'the-panel',
      accountId: DEV,
      issueKey: 'ALPHA-1',
      projectKey: null,
      experience: null,
      colorMode: 'dark',
      surfaceType: 'jira:issuePanel',
      resourceKey: 'panel-res',
    });
  });

  it('redirects the folder without its slash, so relative asset URLs resolve inside it', async () => {
    const res = await fetch(`${server.url}/surface/the-panel?user=${DEV}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/surface/the-panel/?user=${DEV}`);
  });

  it('serves assets with their content types', async () => {
    const js = await fetch(`${server.url}/surface/the-panel/assets/index-abc.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await js.text()).toBe('console.log("panel")');
    const css = await fetch(`${server.url}/surface/the-panel/assets/index-abc.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const svg = await fetch(`${server.url}/surface/the-panel/icon.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers 404 for a missing asset and an unknown module', async () => {
    expect((await fetch(`${server.url}/surface/the-panel/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/surface/nope/`)).status).toBe(404);
  });

  it.each([
    '/surface/the-panel/..%2f..%2f..%2fsecret.txt',
    '/surface/the-panel/%2e%2e/%2e%2e/%2e%2e/secret.txt',
    '/surface/the-panel/../../../secret.txt',
    '/surface/the-panel/..%5c..%5c..%5csecret.txt',
    '/surface/the-panel/assets/..%2f..%2f..%2f..%2fmanifest.yml',
  ])('never serves a file outside the build folder: %s', async (p) => {
    const res = await rawGet(p);
    expect(res.body).not.toContain('do not serve me');
    expect(res.body).not.toContain('modules:');
    expect([403, 404]).toContain(res.status);
  });

  it('explains how to build when the resource folder is missing', async () => {
    const res = await fetch(`${server.url}/surface/the-page/`);
    expect(res.status).toBe(503);
    const html = await res.text();
    expect(html).toContain('npm run build:ui');
    expect(html).toContain('static/page/build/index.html');
  });
});

describe('GET /modal/<moduleKey>/<resourceKey>/ (a Forge modal)', () => {
  const frameIn = (html: string): Record<string, unknown> =>
    JSON.parse(/window\.__forgeLocalFrame=(.*?);<\/script>/.exec(html)?.[1] ?? 'null') as Record<string, unknown>;

  it("serves the named resource as a frame of the opener's module, carrying the modal's id and context", async () => {
    const context = encodeURIComponent(JSON.stringify({ dialog: 'confirm', id: 'D-1' }));
    const res = await fetch(`${server.url}/modal/the-panel/field-res/?user=${DEV}&issue=ALPHA-1&frame=m1&modal=mod-1&modalContext=${context}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    // The field's resource (its page loads ./main.js), under the panel's module, user and issue.
    expect(html).toContain('./main.js');
    expect(frameIn(html)).toMatchObject({
      frameId: 'm1',
      moduleKey: 'the-panel',
      accountId: DEV,
      issueKey: 'ALPHA-1',
      resourceKey: 'field-res',
      modal: { id: 'mod-1', context: { dialog: 'confirm', id: 'D-1' } },
    });
    const asset = await fetch(`${server.url}/modal/the-panel/panel-res/assets/index-abc.js`);
    expect(await asset.text()).toBe('console.log("panel")');
  });

  it('refuses a resource the manifest does not have, and a context that is not JSON', async () => {
    expect((await fetch(`${server.url}/modal/the-panel/nope/?user=${DEV}`)).status).toBe(404);
    expect((await fetch(`${server.url}/modal/the-panel/panel-res/?user=${DEV}&modal=m&modalContext=%7Bnot`)).status).toBe(400);
  });

  it("gives the modal frame its opener's extension plus `modal`, and its invocations carry it", async () => {
    const modal = { id: 'mod-2', context: { dialog: 'destination-form', destinationId: null } };
    const res = await postJson('/__forge/bridge/context', { frame: { ...frame({ frameId: 'mctx' }), resourceKey: 'panel-res', modal } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      moduleKey: 'the-panel',
      extension: { type: 'jira:issuePanel', issue: { key: 'ALPHA-1' }, modal: modal.context },
    });
    const inv = await postJson('/__forge/bridge/invoke', { frame: { ...frame({ frameId: 'mctx' }), modal }, functionKey: 'epic/alignment', payload: {} });
    expect(inv.status).toBe(200);
    expect(platform.calls.at(-1)?.ctx).toMatchObject({ moduleKey: 'the-panel', extension: { modal: modal.context } });
  });
});

describe('bridge endpoints', () => {
  it('gives an issue panel the issue and project Jira would, read as the viewing user', async () => {
    const res = await postJson('/__forge/bridge/context', { frame: frame({ accountId: DEV, frameId: 'ctx1' }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      accountId: DEV,
      moduleKey: 'the-panel',
      environmentType: 'DEVELOPMENT',
      theme: { colorMode: 'light' },
      extension: { type: 'jira:issuePanel', issue: { id: '10001', key: 'ALPHA-1', type: 'Epic', typeId: '10000' }, project: { id: '100', key: 'ALPHA', type: 'software' } },
    });
    expect(jira.requests[0]?.as).toEqual({ kind: 'user', accountId: DEV });
  });

  it('gives the field edit its value, field id and render context', async () => {
    const res = await postJson('/__forge/bridge/context', { frame: frame({ moduleKey: 'the-field', experience: 'issue-view', frameId: 'ctx2' }) });
    expect(res.body.extension).toMatchObject({
      type: 'jira:customField',
      renderContext: 'issue-view',
      fieldId: FIELD_ID,
      fieldValue: { id: 'D-1', name: 'Grow online sales' },
      fieldType: expect.stringMatching(/^ari:cloud:ecosystem::extension\/11111111-2222-4333-8444-555555555555\/.+\/static\/the-field$/) as unknown,
      issue: { key: 'ALPHA-1' },
    });
  });

  it('gives the field edit on the create screen the project and no value', async () => {
    const res = await postJson('/__forge/bridge/context', { frame: frame({ moduleKey: 'the-field', experience: 'issue-create', issueKey: null, projectKey: 'ALPHA', frameId: 'ctx4' }) });
    expect(res.status).toBe(200);
    expect(res.body.extension).toEqual(
      expect.objectContaining({ renderContext: 'issue-create', project: { id: '100', key: 'ALPHA', type: 'software' }, fieldValue: null }) as unknown,
    );
    expect(res.body.extension).not.toHaveProperty('issue');
    const denied = await postJson('/__forge/bridge/context', { frame: frame({ moduleKey: 'the-field', experience: 'issue-create', accountId: DEV, issueKey: null, projectKey: 'SECRET', frameId: 'ctx5' }) });
    expect(denied.status).toBe(404);
  });

  it('refuses the context of an issue the user may not browse', async () => {
    const res = await postJson('/__forge/bridge/context', { frame: frame({ accountId: DEV, issueKey: 'SECRET-1', frameId: 'ctx3' }) });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('invokes the surface own function with the frame extension', async () => {
    const res = await postJson('/__forge/bridge/invoke', { frame: frame({ frameId: 'inv1' }), functionKey: 'epic/alignment', payload: { issueKey: 'ALPHA-1' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, data: { functionKey: 'panel-fn', resolverKey: 'epic/alignment' } });
    expect(platform.calls[0]?.ctx).toMatchObject({ accountId: ADMIN, moduleKey: 'the-panel', extension: { type: 'jira:issuePanel', issue: { key: 'ALPHA-1' } } });
  });

  it('sends requestJira to the emulator as the frame user and returns status, headers and body', async () => {
    const res = await postJson('/__forge/bridge/fetch-product', {
      frame: frame({ accountId: DEV }),
      product: 'jira',
      restPath: '/rest/api/3/issue/SECRET-1',
      method: 'GET',
      headers: [['Accept', 'application/json']],
      body: null,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 404, statusText: 'Not Found', headers: { 'content-type': 'application/json' }, isAttachment: false });
    expect(jira.requests.at(-1)).toMatchObject({ method: 'GET', path: '/rest/api/3/issue/SECRET-1', as: { kind: 'user', accountId: DEV }, headers: { accept: 'application/json' } });
  });

  it('saves a submitted field value on the issue as the user, then lets triggers settle', async () => {
    const settledBefore = platform.settled;
    const value = { id: 'D-2', name: 'Cut churn' };
    const res = await postJson('/__forge/bridge/submit', { frame: frame({ moduleKey: 'the-field', experience: 'issue-view' }), value });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ saved: true });
    expect(jira.issues.get('ALPHA-1')?.value).toEqual(value);
    expect(jira.requests.at(-1)).toMatchObject({ method: 'PUT', path: '/rest/api/3/issue/ALPHA-1', as: { kind: 'user', accountId: ADMIN } });
    expect(JSON.parse(jira.requests.at(-1)?.body ?? '{}')).toEqual({ fields: { [FIELD_ID]: value } });
    expect(platform.settled).toBe(settledBefore + 1);
  });

  it('refuses submit from a surface that is not a field edit', async () => {
    const res = await postJson('/__forge/bridge/submit', { frame: frame(), value: 1 });
    expect(res.status).toBe(400);
  });

  it('passes Jira refusing a submit back to the page', async () => {
    const res = await postJson('/__forge/bridge/submit', { frame: frame({ moduleKey: 'the-field', accountId: DEV, issueKey: 'SECRET-1' }), value: null });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { message: expect.stringContaining('permission') as unknown } });
  });
});

describe('site data for the shell', () => {
  it('lists the users and only the epics the user may browse', async () => {
    expect(await (await fetch(`${server.url}/api/site/users`)).json()).toHaveLength(2);
    const devEpics = (await (await fetch(`${server.url}/api/site/epics?user=${DEV}`)).json()) as Array<{ key: string }>;
    expect(devEpics.map((e) => e.key)).toEqual(['ALPHA-1']);
    const adminEpics = (await (await fetch(`${server.url}/api/site/epics?user=${ADMIN}`)).json()) as Array<{ key: string }>;
    expect(adminEpics.map((e) => e.key)).toEqual(['ALPHA-1', 'SECRET-1']);
  });

  it('searches epics as the user types: a few matches by key or summary, an exact key first, never one the user may not browse', async () => {
    const epics = async (query: string): Promise<{ status: number; body: unknown }> => {
      const res = await fetch(`${server.url}/api/site/epics?${query}`);
      return { status: res.status, body: await res.json() };
    };
    // Add epics so the limit has something to cut.
    for (let i = 2; i <= 30; i += 1) jira.issues.set(`ALPHA-${i}`, { id: String(10100 + i), key: `ALPHA-${i}`, summary: i === 7 ? 'Berlin office' : `Epic ${i}`, type: 'Epic', project: 'ALPHA', value: null });
    try {
      const keys = (body: unknown): string[] => (body as Array<{ key: string }>).map((e) => e.key);
      expect(keys((await epics(`user=${ADMIN}&q=berlin`)).body)).toEqual(['ALPHA-7']);
      expect(await epics(`user=${ADMIN}&q=secret`)).toEqual({ status: 200, body: [{ key: 'SECRET-1', summary: 'Secret epic', projectKey: 'SECRET' }] });
      expect((await epics(`user=${DEV}&q=secret`)).body).toEqual([]);
      // No query: the first screenful, not every epic.
      expect(keys((await epics(`user=${ADMIN}`)).body)).toHaveLength(20);
      expect(keys((await epics(`user=${DEV}&q=alpha-1&limit=3`)).body)).toEqual(['ALPHA-1', 'ALPHA-10', 'ALPHA-11']);
      // The exact key comes first even when other matches precede it.
      expect(keys((await epics(`user=${ADMIN}&q=alpha-30&limit=1`)).body)).toEqual(['ALPHA-30']);
      for (const bad of ['0', '51', 'x', '2.5']) {
        const res = await epics(`user=${ADMIN}&limit=${bad}`);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: { code: 'INVALID_INPUT', message: expect.stringContaining('limit') as unknown } });
      }
      // Only as many issue reads as it takes to fill the answer, not one per epic on the site.
      jira.requests.length = 0;
      await epics(`user=${ADMIN}&limit=2`);
      expect(jira.requests).toHaveLength(2);
    } finally {
      for (let i = 2; i <= 30; i += 1) jira.issues.delete(`ALPHA-${i}`);
    }
  });

  it('searches as the user for the shell issue navigator, and passes JQL errors on', async () => {
    const dev = (await (await fetch(`${server.url}/api/site/search?user=${DEV}&jql=${encodeURIComponent('project = ALPHA')}`)).json()) as { issues: Array<{ key: string }> };
    expect(dev.issues.map((i) => i.key)).toEqual(['ALPHA-1']);
    expect(jira.requests.at(-1)).toMatchObject({ method: 'POST', path: '/rest/api/3/search/jql', as: { kind: 'user', accountId: DEV } });
    const bad = (await (await fetch(`${server.url}/api/site/search?user=${DEV}&jql=bad%20jql`)).json()) as { error: string };
    expect(bad.error).toContain('not a field');
  });

  it('serves the shell, its script, the bridge script and the token CSS', async () => {
    const shell = await fetch(`${server.url}/`);
    expect(await shell.text()).toContain('/__shell/shell.js');
    const bridge = await fetch(`${server.url}/__forge/bridge.js`);
    expect(bridge.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await bridge.text()).toContain('__bridge');
    const css = await (await fetch(`${server.url}/__forge/tokens.css`)).text();
    expect(css).toContain('html[data-color-mode="dark"]');
    expect(css).toContain('--ds-text:');
  });
});

describe('injectBridge', () => {
  const f = frame();
  it('adds a head when the page has none, still before the first script', () => {
    const out = injectBridge('<html><body><script src="./a.js"></script></body></html>', f);
    expect(out.indexOf('/__forge/bridge.js')).toBeLessThan(out.indexOf('./a.js'));
    expect(out.startsWith('<html><head><script>window.__forgeLocalFrame=')).toBe(true);
  });

  it('cannot be broken out of by a value holding </script>', () => {
    const out = injectBridge('<head></head>', frame({ issueKey: '</script><script>alert(1)</script>' }));
    expect(out).not.toContain('</script><script>alert(1)');
  });
});
