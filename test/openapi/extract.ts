/**
 * Copies from Atlassian's Jira Cloud platform OpenAPI document only the operations the emulator implements,
 * plus the components they reference (transitively), into `test/openapi/jira-subset.json`.
 *
 *   npx tsx test/openapi/extract.ts /path/to/jira-platform-openapi.json
 *
 * Run by hand when the emulator gains an endpoint; the output is committed, so tests never need the source.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The operations the emulator answers (the removed `/rest/api/3/search` is left out: it only answers 410). */
export const OPERATIONS: ReadonlyArray<readonly [path: string, method: string]> = [
  ['/rest/api/3/field', 'get'],
  ['/rest/api/3/issuetype', 'get'],
  ['/rest/api/3/status', 'get'],
  ['/rest/api/3/project/search', 'get'],
  ['/rest/api/3/myself', 'get'],
  ['/rest/api/3/user', 'get'],
  ['/rest/api/3/user/bulk', 'get'],
  ['/rest/api/3/user/search', 'get'],
  ['/rest/api/3/search/jql', 'get'],
  ['/rest/api/3/search/jql', 'post'],
  ['/rest/api/3/search/approximate-count', 'post'],
  ['/rest/api/3/issue', 'post'],
  ['/rest/api/3/issue/{issueIdOrKey}', 'get'],
  ['/rest/api/3/issue/{issueIdOrKey}', 'put'],
  ['/rest/api/3/issue/{issueIdOrKey}', 'delete'],
  ['/rest/api/3/issue/{issueIdOrKey}/transitions', 'get'],
  ['/rest/api/3/issue/{issueIdOrKey}/transitions', 'post'],
  ['/rest/api/3/app/field/{fieldIdOrKey}/value', 'put'],
  ['/rest/api/3/issue/bulkfetch', 'post'],
  ['/rest/api/3/permissions/check', 'post'],
  ['/rest/api/3/mypermissions', 'get'],
  ['/rest/api/3/jql/function/computation', 'get'],
  ['/rest/api/3/jql/function/computation', 'post'],
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function collectRefs(node: Json | undefined, out: Set<string>): void {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.add(v);
      else collectRefs(v, out);
    }
  }
}

export function extractSubset(doc: JsonObject): JsonObject {
  const paths = doc.paths as JsonObject;
  const components = doc.components as JsonObject;
  const outPaths: JsonObject = {};
  const refs = new Set<string>();
  const tags = new Set<string>();
  for (const [path, method] of OPERATIONS) {
    const item = paths[path];
    if (!isObject(item) || !isObject(item[method])) throw new Error(`operation ${method.toUpperCase()} ${path} is not in the document`);
    const target = (outPaths[path] ??= {}) as JsonObject;
    target[method] = item[method];
    if (item.parameters) target.parameters = item.parameters;
    collectRefs(item[method], refs);
    collectRefs(item.parameters, refs);
    const opTags = (item[method] as JsonObject).tags;
    if (Array.isArray(opTags)) opTags.forEach((t) => typeof t === 'string' && tags.add(t));
  }
  // Follow references until no new component is reached.
  const outComponents: Record<string, JsonObject> = {};
  const queue = [...refs];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const ref = queue.pop() as string;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const m = /^#\/components\/([^/]+)\/(.+)$/.exec(ref);
    if (!m) throw new Error(`unsupported reference ${ref}`);
    const [, kind, name] = m as unknown as [string, string, string];
    const value = (components[kind] as JsonObject | undefined)?.[name];
    if (value === undefined) throw new Error(`dangling reference ${ref}`);
    (outComponents[kind] ??= {})[name] = value;
    const more = new Set<string>();
    collectRefs(value, more);
    more.forEach((r) => queue.push(r));
  }
  const sorted = (o: JsonObject): JsonObject => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k] as Json]));
  const componentsOut: JsonObject = {};
  for (const kind of Object.keys(outComponents).sort()) componentsOut[kind] = sorted(outComponents[kind] as JsonObject);
  componentsOut.securitySchemes = components.securitySchemes as Json;
  const info = { ...(doc.info as JsonObject) };
  info.description = `Subset of ${String(info.description)}: only the operations the local Jira emulator implements. See NOTICE.md.`;
  return {
    openapi: doc.openapi as Json,
    info,
    servers: doc.servers as Json,
    externalDocs: doc.externalDocs as Json,
    tags: (doc.tags as JsonObject[]).filter((t) => tags.has(String(t.name))),
    paths: outPaths,
    components: componentsOut,
  };
}

if (require.main === module) {
  const source = process.argv[2];
  if (!source) {
    console.error('usage: tsx test/openapi/extract.ts <jira-platform-openapi.json>');
    process.exit(2);
  }
  const doc = JSON.parse(readFileSync(source, 'utf8')) as JsonObject;
  const subset = extractSubset(doc);
  const out = join(__dirname, 'jira-subset.json');
  writeFileSync(out, `${JSON.stringify(subset, null, 2)}\n`);
  const schemas = Object.keys(((subset.components as JsonObject).schemas as JsonObject | undefined) ?? {}).length;
  console.log(`wrote ${out}: ${OPERATIONS.length} operations, ${schemas} schemas`);
}
