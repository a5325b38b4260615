/**
 * Hostile text and oversize, over-deep or unknown calls get a typed refusal (never a 500, a stack trace or a
 * log line), through the platform and through the local server's HTTP endpoints, and change nothing stored.
 */
import { smallSite } from '../../local/jira/testing/small-site';
import { LocalError, MAX_INVOKE_REQUEST_BYTES, MAX_PAYLOAD_DEPTH } from '../../local/platform';
import { startServer, type RunningServer } from '../../local/server/server';
import { MODULE_KEYS, type ResolverKey } from '../../src/contract';
import { startTestApp, type TestApp } from '../helpers/local-app';

const draft = { businessOwner: 'u-leader', targetDate: '2027-01-01' };

function nested(depth: number): unknown {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
}

let app: TestApp;
let consoleError: jest.SpyInstance;
beforeEach(async () => {
  app = await startTestApp(smallSite());
  consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(async () => {
  consoleError.mockRestore();
  await app.close();
});

describe('text fields', () => {
  it.each([
    ['a NUL', 'Pay\u0000outs', 'name'],
    ['an ESC', '\u001b[31mPayouts', 'name'],
    ['a C1 control', 'Pay\u0085outs', 'name'],
    ['a line break', 'Pay\nouts', 'name'],
    ['only a zero-width space', '\u200B', 'name'],
    ['only a byte-order mark and a word joiner', '\uFEFF\u2060', 'name'],
  ])('refuses a name with %s, on the name field, and stores nothing', async (_what, name, field) => {
    const before = app.platform.kvs.snapshot();
    const answer = await app.call('admin', 'destinations/create', { draft: { ...draft, name } }, 'u-admin');
    expect(answer).toEqual({ ok: false, error: { code: 'INVALID_INPUT', field, message: expect.any(String) } });
    expect(app.platform.kvs.snapshot()).toEqual(before);
  });

  it('refuses control characters in a description but keeps its line breaks and tabs', async () => {
    const refused = await app.call('admin', 'destinations/create', { draft: { ...draft, name: 'Ok', description: 'a\u001bb' } }, 'u-admin');
    expect(refused.ok || refused.error.field).toBe('description');
    const saved = await app.data('admin', 'destinations/create', { draft: { ...draft, name: 'Ok', description: 'line 1\n\tline 2' } }, 'u-admin');
    expect(saved.destination.description).toBe('line 1\n\tline 2');
  });

  it('refuses a user search with control characters or only invisible characters', async () => {
    for (const query of ['ad\u0000', '\u200B\u200B']) {
      const answer = await app.call('admin', 'users/search', { query }, 'u-admin');
      expect(answer.ok || answer.error).toMatchObject({ code: 'INVALID_INPUT', field: 'query' });
    }
  });
});

describe('calls Forge or the app cannot take', () => {
  it('answers an unknown resolver key with NOT_FOUND, on every surface, without a log line', async () => {
    for (const surface of Object.keys(MODULE_KEYS).filter((k) => ['field', 'panel', 'portfolio', 'admin'].includes(k)) as Array<'field' | 'panel' | 'portfolio' | 'admin'>) {
      for (const key of ['nope', 'toString', '__proto__', 'constructor', 'settings/save ']) {
        const answer = await app.call(surface, key as ResolverKey, {} as never, 'u-admin');
        expect(answer).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) } });
      }
    }
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('refuses a payload over 500 KB with a typed 413 before the resolver runs', async () => {
    const call = app.call('admin', 'users/search', { query: 'x'.repeat(MAX_INVOKE_REQUEST_BYTES) }, 'u-admin');
    await expect(call).rejects.toBeInstanceOf(LocalError);
    await expect(call).rejects.toMatchObject({ status: 413, code: 'INVALID_INPUT' });
  });

  it('refuses a payload nested 5,000 deep with a typed 400, and no stack overflow', async () => {
    const before = app.platform.kvs.snapshot();
    const call = app.call('admin', 'settings/save', { settings: { projectKeys: [], estimateField: nested(5000), throughputWeeks: 4 }, version: 1 } as never, 'u-admin');
    await expect(call).rejects.toMatchObject({ status: 400, code: 'INVALID_INPUT', message: `The request nests deeper than ${MAX_PAYLOAD_DEPTH} levels.` });
    expect(app.platform.kvs.snapshot()).toEqual(before);
    expect(consoleError).not.toHaveBeenCalled();
  });
});

describe('the local server', () => {
  let server: RunningServer;
  beforeEach(async () => {
    server = await startServer({ platform: app.platform, jira: app.jira, root: process.cwd(), port: 0, host: '127.0.0.1' });
  });
  afterEach(() => server.close());

  async function post(path: string, body: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, body: await res.json() };
  }
  const invoke = (key: string, payload: string): Promise<{ status: number; body: unknown }> =>
    post('/api/invoke', `{"moduleKey":"${MODULE_KEYS.admin}","key":${JSON.stringify(key)},"accountId":"u-admin","payload":${payload}}`);
  const bridgeInvoke = (payload: string): Promise<{ status: number; body: unknown }> =>
    post('/__forge/bridge/invoke', `{"frame":{"moduleKey":"${MODULE_KEYS.admin}","accountId":"u-admin","frameId":"f"},"functionKey":"users/search","payload":${payload}}`);
  const typed = (status: number, code: string) => ({ status, body: { ok: false, error: { code, message: expect.not.stringMatching(/\n\s+at /) } } });

  it('answers a request over 500 KB with 413 in the envelope, on /api/invoke and on the bridge', async () => {
    const big = JSON.stringify({ query: 'x'.repeat(600 * 1024) });
    expect(await invoke('users/search', big)).toEqual(typed(413, 'INVALID_INPUT'));
    expect(await bridgeInvoke(big)).toEqual(typed(413, 'INVALID_INPUT'));
  });

  it('answers a payload nested 5,000 deep with 400 in the envelope, and logs nothing', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    expect(await invoke('settings/save', deep)).toEqual(typed(400, 'INVALID_INPUT'));
    expect(await bridgeInvoke(deep)).toEqual(typed(400, 'INVALID_INPUT'));
    expect(consoleError).not.toHaveBeenCalled();
  });

  it('answers an unknown resolver key with a typed NOT_FOUND, and an unknown module with 404', async () => {
    expect(await invoke('no/such-key', '{}')).toEqual({ status: 200, body: { ok: false, error: { code: 'NOT_FOUND', message: expect.any(String) } } });
    expect(await post('/api/invoke', '{"moduleKey":"nope","key":"x","accountId":"u-admin"}')).toEqual(typed(404, 'NOT_FOUND'));
    expect(await post('/api/invoke', '{"functionKey":"nope","key":"x","accountId":"u-admin"}')).toEqual(typed(404, 'NOT_FOUND'));
    expect(consoleError).not.toHaveBeenCalled();
  });
});
