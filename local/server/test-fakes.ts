/**
 * Small fakes of the Jira emulator and the local platform, and a throwaway project root, for the server's
 * own tests (the real ones are built in parallel and tested on their own).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FaultKnobs, IssueEvent, JiraEmulator, ProductRequest, ProductResponse } from '../types';
import type { PlatformPort } from './server';

export const ADMIN = 'acc-admin';
export const DEV = 'acc-dev';
export const FIELD_ID = 'customfield_10100';

interface FakeIssue {
  id: string;
  key: string;
  summary: string;
  type: string;
  project: string;
  value: unknown;
}

export interface FakeJira extends JiraEmulator {
  requests: ProductRequest[];
  issues: Map<string, FakeIssue>;
}

/** Two epics: ALPHA-1 everyone may browse, SECRET-1 only the admin. */
export function fakeJira(): FakeJira {
  const issues = new Map<string, FakeIssue>([
    ['ALPHA-1', { id: '10001', key: 'ALPHA-1', summary: 'Checkout rewrite', type: 'Epic', project: 'ALPHA', value: { id: 'D-1', name: 'Grow online sales' } }],
    ['SECRET-1', { id: '10002', key: 'SECRET-1', summary: 'Secret epic', type: 'Epic', project: 'SECRET', value: null }],
  ]);
  const requests: ProductRequest[] = [];
  const json = (status: number, body: unknown): ProductResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const canSee = (accountId: string, issue: FakeIssue): boolean => issue.project !== 'SECRET' || accountId === ADMIN;
  const faults: FaultKnobs = { latencyMs: 0, spikeRate: 0, spikeMs: 0, rate429: 0, retryAfterSeconds: 1, rate5xx: 0, rateGarbage: 0, staleIndex: false, seed: 1 };
  const fake: FakeJira = {
    requests,
    issues,
    faults,
    today: '2026-11-25',
    appFieldId: FIELD_ID,
    async handle(req) {
      requests.push(req);
      const user = req.as.kind === 'user' ? req.as.accountId : ADMIN;
      const m = /^\/rest\/api\/3\/issue\/([^/?]+)/.exec(req.path);
      if (m) {
        const issue = issues.get(decodeURIComponent(m[1] ?? ''));
        if (!issue || !canSee(user, issue)) return json(404, { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} });
        if (req.method === 'PUT') {
          const body = JSON.parse(req.body ?? '{}') as { fields?: Record<string, unknown> };
          if (!body.fields || !(FIELD_ID in body.fields)) return json(400, { errorMessages: [], errors: { fields: 'No field.' } });
          issue.value = body.fields[FIELD_ID];
          return { status: 204, headers: {}, body: null };
        }
        return json(200, {
          id: issue.id,
          key: issue.key,
          fields: {
            summary: issue.summary,
            issuetype: { id: issue.type === 'Epic' ? '10000' : '10001', name: issue.type, hierarchyLevel: issue.type === 'Epic' ? 1 : 0 },
            project: { id: issue.project === 'ALPHA' ? '100' : '200', key: issue.project, projectTypeKey: 'software' },
            status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } },
            [FIELD_ID]: issue.value,
          },
        });
      }
      if (req.method === 'POST' && req.path === '/rest/api/3/search/jql') {
        const { jql } = JSON.parse(req.body ?? '{}') as { jql?: string };
        if (jql === 'bad jql') return json(400, { errorMessages: ["Error in the JQL Query: 'jql' is not a field."], errors: {} });
        // Every issue the user may browse, whatever the query: enough to see who the search ran as.
        const visible = [...issues.values()].filter((i) => canSee(user, i));
        return json(200, {
          issues: visible.map((i) => ({ id: i.id, key: i.key, fields: { summary: i.summary, issuetype: { name: i.type }, status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } } } })),
          isLast: true,
        });
      }
      if (req.path.startsWith('/rest/api/3/project/search')) {
        const key = new URLSearchParams(req.path.split('?')[1] ?? '').get('keys');
        const visible = key === 'ALPHA' || (key === 'SECRET' && user === ADMIN);
        return json(200, { values: visible ? [{ id: key === 'ALPHA' ? '100' : '200', key, projectTypeKey: 'software' }] : [], isLast: true });
      }
      if (req.path.startsWith('/rest/api/3/myself')) return json(200, { accountId: user });
      return json(404, { errorMessages: [`No fake for ${req.method} ${req.path}`] });
    },
    requestLog: () => ({}),
    resetRequestLog: () => undefined,
    onIssueEvent: (_listener: (event: IssueEvent) => void) => () => undefined,
    users: () => [
      { accountId: ADMIN, displayName: 'Ada Admin', admin: true },
      { accountId: DEV, displayName: 'Dev Eloper', admin: false },
    ],
    epics: () => [...issues.values()].map((i) => ({ key: i.key, summary: i.summary, projectKey: i.project })),
    createIssue: () => {
      throw new Error('not in the fake');
    },
    updateIssue: () => undefined,
    deleteIssue: () => undefined,
  };
  return fake;
}

export interface InvokeCall {
  functionKey: string;
  resolverKey: string;
  payload: unknown;
  ctx: { accountId: string; moduleKey?: string; extension?: Record<string, unknown>; localId?: string };
}

/** Answers every invoke with the envelope the real resolvers use, echoing what it was given. */
export function fakePlatform(): PlatformPort & { calls: InvokeCall[]; settled: number } {
  const fake = {
    calls: [] as InvokeCall[],
    settled: 0,
    async invoke(functionKey: string, resolverKey: string, payload: unknown, ctx: InvokeCall['ctx']) {
      fake.calls.push({ functionKey, resolverKey, payload, ctx });
      if (resolverKey === 'boom') throw new Error('resolver exploded');
      return { ok: true, data: { functionKey, resolverKey, payload, accountId: ctx.accountId } };
    },
    async settle() {
      fake.settled += 1;
    },
  };
  return fake;
}

const MANIFEST = `modules:
  jira:customField:
    - key: the-field
      name: Business destination
      type: object
      resolver:
        function: field-fn
      view:
        formatter:
          expression: "value == null ? '' : value.name"
      edit:
        resource: field-res
        experience: [issue-view, issue-create]
  jira:issuePanel:
    - key: the-panel
      resource: panel-res
      resolver:
        function: panel-fn
      title: Destination
  jira:globalPage:
    - key: the-page
      resource: page-res
      resolver:
        function: page-fn
      title: Business destinations
  function:
    - key: field-fn
      handler: index.f
    - key: panel-fn
      handler: index.p
    - key: page-fn
      handler: index.g
resources:
  - key: field-res
    path: static/field/build
  - key: panel-res
    path: static/panel/build
  - key: page-res
    path: static/page/build
app:
  id: ari:cloud:ecosystem::app/11111111-2222-4333-8444-555555555555
`;

/**
 * A project root with a manifest, a built panel (Vite-like: a module script in `<head>` with a relative
 * URL) and a built field, and no page build (to see the "not built" page).
 */
export function fakeRoot(extra: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'forge-local-'));
  const files: Record<string, string> = {
    'manifest.yml': MANIFEST,
    'secret.txt': 'do not serve me',
    'static/panel/build/index.html':
      '<!doctype html><html lang="en"><head><meta charset="UTF-8"><script type="module" crossorigin src="./assets/index-abc.js"></script>' +
      '<link rel="stylesheet" href="./assets/index-abc.css"></head><body><div id="root"></div></body></html>',
    'static/panel/build/assets/index-abc.js': 'console.log("panel")',
    'static/panel/build/assets/index-abc.css': 'body{margin:0}',
    'static/panel/build/icon.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
    'static/field/build/index.html': '<!doctype html><html><head><script type="module" src="./main.js"></script></head><body></body></html>',
    'static/field/build/main.js': '',
    ...extra,
  };
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}
