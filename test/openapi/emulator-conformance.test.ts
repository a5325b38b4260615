/**
 * Every 2xx answer of the Jira emulator must match the response schema Atlassian publishes for that operation
 * (the committed subset in `jira-subset.json`), so the emulator cannot drift from real Jira unnoticed.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import subset from './jira-subset.json';
import { OPERATIONS } from './extract';
import { createJiraEmulator, loadSite } from '../../local/jira';
import { APP, smallSite } from '../../local/jira/testing/small-site';
import type { Principal } from '../../local/types';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** OpenAPI 3.0 -> JSON Schema: `nullable: true` becomes a `null` alternative; everything else is kept. */
function normalise(node: Json): Json {
  if (Array.isArray(node)) return node.map(normalise);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalise(v);
  if (out.nullable === true) {
    delete out.nullable;
    return { anyOf: [out, { type: 'null' }] };
  }
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
addFormats(ajv);
ajv.addSchema(normalise(subset as unknown as Json) as object, 'jira');

function pointer(...parts: string[]): string {
  return parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

const validators = new Map<string, ValidateFunction>();
function validatorFor(path: string, method: string, status: number): ValidateFunction | null {
  const op = (subset.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>)[path]?.[method];
  const response = op?.responses[String(status)];
  if (!response) throw new Error(`${method.toUpperCase()} ${path} does not document status ${status}`);
  if (!response.content?.['application/json']?.schema) return null;
  const id = `${method} ${path} ${status}`;
  let v = validators.get(id);
  if (!v) {
    v = ajv.compile({ $ref: `jira#/${pointer('paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema')}` });
    validators.set(id, v);
  }
  return v;
}

interface Call {
  template: string;
  method: string;
  path: string;
  body?: unknown;
  as?: Principal;
}

const admin: Principal = { kind: 'user', accountId: 'u-admin' };
const dev: Principal = { kind: 'user', accountId: 'u-dev' };
const app: Principal = { kind: 'app' };

const calls: Call[] = [
  { template: '/rest/api/3/field', method: 'get', path: '/rest/api/3/field' },
  { template: '/rest/api/3/issuetype', method: 'get', path: '/rest/api/3/issuetype' },
  { template: '/rest/api/3/status', method: 'get', path: '/rest/api/3/status' },
  { template: '/rest/api/3/project/search', method: 'get', path: '/rest/api/3/project/search?maxResults=1', as: dev },
  { template: '/rest/api/3/project/search', method: 'get', path: '/rest/api/3/project/search' },
  { template: '/rest/api/3/myself', method: 'get', path: '/rest/api/3/myself', as: admin },
  { template: '/rest/api/3/myself', method: 'get', path: '/rest/api/3/myself' },
  { template: '/rest/api/3/user', method: 'get', path: '/rest/api/3/user?accountId=u-leader' },
  { template: '/rest/api/3/user/bulk', method: 'get', path: '/rest/api/3/user/bulk?accountId=u-admin&accountId=u-dev&maxResults=1' },
  { template: '/rest/api/3/user/search', method: 'get', path: '/rest/api/3/user/search?query=bea' },
  { template: '/rest/api/3/search/jql', method: 'get', path: `/rest/api/3/search/jql?jql=${encodeURIComponent('project = PAY')}&fields=*all&maxResults=2` },
  { template: '/rest/api/3/search/jql', method: 'post', path: '/rest/api/3/search/jql', body: { jql: 'parent = PAY-1', fields: ['summary', 'status', 'issuetype', 'parent', 'project', 'created', 'resolutiondate', 'timeoriginalestimate', 'customfield_10016', 'customfield_10100'], maxResults: 2 } },
  { template: '/rest/api/3/search/jql', method: 'post', path: '/rest/api/3/search/jql', body: { jql: 'issuetype = Epic', fields: ['id'], maxResults: 5000 }, as: dev },
  { template: '/rest/api/3/search/approximate-count', method: 'post', path: '/rest/api/3/search/approximate-count', body: { jql: 'project = PAY' } },
  { template: '/rest/api/3/issue/{issueIdOrKey}', method: 'get', path: '/rest/api/3/issue/PAY-3' },
  { template: '/rest/api/3/issue/{issueIdOrKey}', method: 'get', path: '/rest/api/3/issue/10002?fields=summary,customfield_10100', as: dev },
  { template: '/rest/api/3/issue/{issueIdOrKey}', method: 'put', path: '/rest/api/3/issue/PAY-6', body: { fields: { customfield_10100: { id: 'D-1', name: 'Instant payouts' } } }, as: dev },
  { template: '/rest/api/3/issue', method: 'post', path: '/rest/api/3/issue', body: { fields: { project: { key: 'PAY' }, issuetype: { name: 'Story' }, summary: 'New story', parent: { key: 'PAY-1' } } }, as: admin },
  { template: '/rest/api/3/issue/{issueIdOrKey}/transitions', method: 'get', path: '/rest/api/3/issue/PAY-4/transitions' },
  { template: '/rest/api/3/issue/{issueIdOrKey}/transitions', method: 'post', path: '/rest/api/3/issue/PAY-4/transitions', body: { transition: { id: '10001' } } },
  { template: '/rest/api/3/app/field/{fieldIdOrKey}/value', method: 'put', path: '/rest/api/3/app/field/customfield_10100/value', body: { updates: [{ issueIds: [10006], value: { id: 'D-1', name: 'Instant payouts' } }] } },
  { template: '/rest/api/3/permissions/check', method: 'post', path: '/rest/api/3/permissions/check', body: { accountId: 'u-dev', globalPermissions: ['ADMINISTER'], projectPermissions: [{ permissions: ['BROWSE_PROJECTS'], projects: [10000, 10001], issues: [10001, 10009] }] }, as: admin },
  { template: '/rest/api/3/issue/bulkfetch', method: 'post', path: '/rest/api/3/issue/bulkfetch', body: { issueIdsOrKeys: ['PAY-1', 'SEC-1', 'NOPE-9'], fields: ['issuetype'] }, as: dev },
  { template: '/rest/api/3/mypermissions', method: 'get', path: '/rest/api/3/mypermissions?permissions=ADMINISTER,BROWSE_PROJECTS&projectKey=PAY', as: admin },
  { template: '/rest/api/3/issue/{issueIdOrKey}', method: 'delete', path: '/rest/api/3/issue/PAY-7' },
  { template: '/rest/api/3/jql/function/computation', method: 'get', path: '/rest/api/3/jql/function/computation?startAt=0&maxResults=10' },
  { template: '/rest/api/3/jql/function/computation', method: 'post', path: '/rest/api/3/jql/function/computation?skipNotFoundPrecomputations=true', body: { values: [{ id: 'gone', value: 'project = PAY' }] } },
];

function refsIn(node: Json, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

describe('the committed OpenAPI subset', () => {
  it('is a self-contained OpenAPI 3 document: every reference resolves inside it', () => {
    const doc = subset as unknown as { openapi: string; components: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const dangling = refsIn(subset as unknown as Json).filter((ref) => {
      const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
      return !m || doc.components[m[1] as string]?.[m[2] as string] === undefined;
    });
    expect(dangling).toEqual([]);
  });

  it('keeps the OAuth scopes of every operation for the scope checker', () => {
    for (const [path, method] of OPERATIONS) {
      const op = (subset.paths as Record<string, Record<string, Record<string, unknown>>>)[path]?.[method];
      expect({ path, method, scopes: Array.isArray(op?.['x-atlassian-oauth2-scopes']) }).toEqual({ path, method, scopes: true });
    }
  });
});

describe('emulator responses conform to the Jira OpenAPI document', () => {
  const emulator = createJiraEmulator(loadSite(smallSite()), APP);

  it('exercises every operation in the subset', () => {
    const exercised = new Set(calls.map((c) => `${c.method} ${c.template}`));
    const missing = OPERATIONS.filter(([p, m]) => !exercised.has(`${m} ${p}`));
    expect(missing).toEqual([]);
  });

  it.each(calls.map((c) => [`${c.method.toUpperCase()} ${c.path}`, c] as const))('%s answers a 2xx body that matches its schema', async (_name, call) => {
    const res = await emulator.handle({
      method: call.method.toUpperCase(),
      path: call.path,
      headers: {},
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      as: call.as ?? app,
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    const validate = validatorFor(call.template, call.method, res.status);
    if (validate === null) {
      expect(res.body).toBeNull();
      return;
    }
    const body: unknown = JSON.parse(res.body ?? 'null');
    const ok = validate(body);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it('renders issue fields with the shapes the document gives statuses, issue types, projects and users', async () => {
    const res = await emulator.handle({ method: 'GET', path: '/rest/api/3/issue/PAY-3', headers: {}, as: app });
    const fields = (JSON.parse(res.body ?? '{}') as { fields: Record<string, unknown> }).fields;
    const checks: Array<[string, unknown]> = [
      ['StatusDetails', fields.status],
      ['IssueTypeDetails', fields.issuetype],
      ['Project', fields.project],
      ['StatusDetails', (fields.parent as { fields: { status: unknown } }).fields.status],
    ];
    for (const [schema, value] of checks) {
      const validate = ajv.compile({ $ref: `jira#/components/schemas/${schema}` });
      expect({ schema, ok: validate(value), errors: validate.errors ?? null }).toEqual({ schema, ok: true, errors: null });
    }
  });

  it('rejects a body that breaks the schema, so the check is not vacuous', () => {
    const validate = validatorFor('/rest/api/3/search/jql', 'post', 200) as ValidateFunction;
    expect(validate({ issues: [], isLast: 'yes' })).toBe(false);
    expect(validate({ issues: [], isLast: true, total: 3 })).toBe(false);
  });
});
