/**
 * A preview server for the built UIs with a fake `window.__bridge` answering from `fixtures.ts`. It exists so
 * the UIs can be looked at (and screenshotted) before the real local platform is ready; the real e2e tests
 * run against `local/cli/start.ts`. Usage: `npx tsx test/e2e/mock/mock-server.ts --port 4020`.
 */
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { alignment, calculatingPortfolio, destinations, epicsOf, me, offRouteEpics, portfolio, portfolioExport, settings, users } from './fixtures';
import { tripAnswer, withVoices } from './trip-fixtures';

const ROOT = path.resolve(__dirname, '../../../static');
const MODULES: Record<string, string> = {
  'business-destination-field': 'field',
  'destination-panel': 'panel',
  'destinations-portfolio': 'portfolio',
  'destinations-admin': 'admin',
};
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml' };

/** `calculating`: how many `portfolio/get` answers of this page still say "calculating"; `call`: which one this is. */
function answer(key: string, payload: Record<string, unknown>, user: string, size: number, calculating = 0, call = 0): unknown {
  switch (key) {
    case 'me/get': return { ok: true, data: me(user) };
    case 'users/search': return { ok: true, data: users.filter((u) => u.displayName.toLowerCase().includes(String(payload.query ?? '').toLowerCase())) };
    case 'destinations/list': return { ok: true, data: payload.includeArchived ? destinations : destinations.filter((d) => d.status !== 'archived') };
    case 'destinations/get': return { ok: true, data: { ...destinations[0], name: 'Faster checkout (renamed)', version: 2 } };
    case 'destinations/update': return { ok: false, error: { code: 'CONFLICT', message: 'Changed by someone else.' } };
    case 'destinations/create': return { ok: false, error: { code: 'INVALID_INPUT', message: 'A destination with this name already exists.', field: 'draft.name' } };
    case 'destinations/delete': return { ok: false, error: { code: 'CONFLICT', message: 'Epics point at this destination: archive it instead.' } };
    case 'epic/alignment': return { ok: true, data: alignment(String(payload.issueKey)) };
    case 'epic/set-destination': return { ok: true, data: alignment(payload.destinationId ? 'PAY-1' : 'PAY-10') };
    case 'portfolio/get': {
      const data = withVoices(portfolio(size, typeof payload.page === 'number' ? payload.page : 1));
      return { ok: true, data: call < calculating ? calculatingPortfolio(data, (call + 1) / (calculating + 1)) : data };
    }
    case 'portfolio/epics': {
      const page = epicsOf(size, String(payload.destinationId), Number(payload.offset ?? 0), Number(payload.limit ?? 50));
      return page ? { ok: true, data: page } : { ok: false, error: { code: 'NOT_FOUND', message: `Destination ${String(payload.destinationId)} is not in the portfolio.` } };
    }
    case 'portfolio/off-route': return { ok: true, data: offRouteEpics };
    case 'portfolio/jql': return { ok: true, data: { jql: 'issue in destinationWork("D-1")' } };
    case 'portfolio/export': return { ok: true, data: portfolioExport(size) };
    case 'settings/get': return { ok: true, data: settings };
    default: return tripAnswer(key, payload, user) ?? { ok: false, error: { code: 'INTERNAL', message: `mock: no answer for ${key}` } };
  }
}

function bridgeScript(context: unknown): string {
  return `<script>
window.__mock = { calls: [] };
window.__bridge = { callBridge: async (name, payload) => {
  window.__mock.calls.push({ name, payload });
  const ctx = ${JSON.stringify(context)};
  if (name === 'getContext') return ctx;
  if (name === 'enableTheming') { document.documentElement.setAttribute('data-color-mode', ctx.theme.colorMode); return; }
  if (name === 'invoke') {
    const n = window.__mock.calls.filter((c) => c.name === 'invoke' && c.payload.functionKey === payload.functionKey).length - 1;
    const r = await fetch('/__mock/invoke?' + new URLSearchParams({ key: payload.functionKey, user: ctx.accountId, size: String(ctx.size), calculating: String(ctx.calculating), call: String(n) }), { method: 'POST', body: JSON.stringify(payload.payload || {}) });
    await new Promise((res) => setTimeout(res, 150));
    return r.json();
  }
  if (name === 'submit' || name === 'close') return true;
  return undefined;
} };
</script>`;
}

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 4020);
http
  .createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/__mock/invoke') {
        let body = '';
        for await (const chunk of req) body += String(chunk);
        const q = url.searchParams;
        const data = answer(q.get('key') ?? '', JSON.parse(body || '{}') as Record<string, unknown>, q.get('user') ?? 'u-admin', Number(q.get('size') ?? 3), Number(q.get('calculating') ?? 0), Number(q.get('call') ?? 0));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data));
        return;
      }
      const m = /^\/surface\/([^/]+)(\/.*)?$/.exec(url.pathname);
      const surface = m ? MODULES[m[1]!] : undefined;
      if (!m || !surface) return void res.writeHead(404).end('not found');
      if (m[2] === undefined) return void res.writeHead(302, { location: `${url.pathname}/${url.search}` }).end();
      const rest = m[2] === '/' ? '/index.html' : m[2];
      const file = path.join(ROOT, surface, 'build', path.normalize(rest).replace(/^(\.\.[/\\])+/, ''));
      try {
        let content: Buffer | string = await readFile(file);
        if (rest === '/index.html') {
          const issue = url.searchParams.get('issue');
          const context = {
            accountId: url.searchParams.get('user') ?? 'u-admin', locale: 'en_US', moduleKey: m[1], size: Number(url.searchParams.get('size') ?? 3),
            calculating: Number(url.searchParams.get('calculating') ?? 0),
            theme: { colorMode: url.searchParams.get('theme') === 'dark' ? 'dark' : 'light' },
            extension: { issue: issue ? { key: issue } : undefined, fieldValue: surface === 'field' ? { id: 'D-1', name: 'Faster checkout' } : undefined, renderContext: url.searchParams.get('experience') ?? 'issue-view' },
          };
          content = String(content).replace('<head>', `<head>${bridgeScript(context)}`);
        }
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(content);
      } catch {
        res.writeHead(404).end('not found');
      }
    })();
  })
  .listen(port, '127.0.0.1', () => console.log(`mock UI server on http://127.0.0.1:${port}`));
