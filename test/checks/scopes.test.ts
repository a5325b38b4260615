/**
 * Offline scope checks with `@forge/lint`'s own client-side linters (what `forge lint` runs before the server-side
 * part that needs a login), fed Atlassian's OpenAPI subset in `test/openapi/jira-subset.json`.
 *
 * Why the stock PermissionLinter alone is not enough here (read from @forge/lint 6.3.1, out/lint/linters/
 * permission-linter/visitors, and confirmed by running it on manifests without each scope: zero errors):
 * - `ProductNodeVisitor` only sees `requestJira(<string | template | route`...`>, <object literal>)` written at
 *   the call site. This app calls Jira through one wrapper (`src/infra/jira/jira-client.ts`:
 *   `requester.requestJira(path, init)`), so the stock visitor sees no Jira REST call at all. (`read:jira-work`
 *   is still caught, but only through the trigger events, by PermissionsManifestLinter; `read:jira-user` is not.)
 * - `StorageAPINodeVisitor` only sees `import { storage } from ...` (the removed `@forge/api` export), not
 *   `@forge/kvs`, so a manifest without `storage:app` lints clean.
 * So the client-side linters run as shipped (must be clean), and the real PermissionLinter runs once more with two
 * adapter visitors added: each `route`...`` argument of a call becomes the Jira call the wrapper will make, each
 * `@forge/kvs` import a storage use. Scope verification stays the linter's own (its ProductVerifier and
 * StorageAPIVerifier over the OpenAPI document's `x-atlassian-oauth2-scopes`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  getClientSideLintersOnly,
  lint,
  type LintInput,
  type LintResult,
  parseSourceFile,
  PermissionLinter,
  tsParser,
} from '@forge/lint';
import {
  type ApiCall,
  ApiCallTypes,
  type ProductApiCall,
} from '@forge/lint/out/lint/linters/permission-linter/api-call-interface';
import { ANY_TEXT_REGEX } from '@forge/lint/out/lint/linters/permission-linter/visitors/product-node-visitor';
import { NON_FWD_SLASH_REGEX } from '@forge/lint/out/lint/linters/permission-linter/permission-linter';
import { PermissionsManifestLinter } from '@forge/lint/out/lint/linters/manifest-linter/permissions-manifest-linter';
import { StatsigService } from '@forge/cli-shared';
import type { ManifestSchema } from '@forge/manifest';
import YAML from 'yaml';
import { isObject, listFiles, makeAppCopy, manifestWithoutScope, MANIFEST_PATH, ROOT } from './repo';

// Parsing src and each manifest linter (about 2 s apiece) are the slow parts; the margin is for a loaded machine.
jest.setTimeout(60_000);

const JIRA_SUBSET = path.join(ROOT, 'test', 'openapi', 'jira-subset.json');
const EMPTY_SWAGGER = path.join(__dirname, 'empty-swagger.json');
const ENVIRONMENT = 'development';
/** The file the adapters stand in for: the only place a `requestJira` with a computed path is allowed. */
const JIRA_WRAPPER = 'src/infra/jira/jira-client.ts';
/**
 * Client-side linters left out of the stock run, each of which re-validates manifest.yml for about 2 s:
 * FullManifestLinter is `validate()`, already run by manifest.test.ts; the app has no agent modules, no egress
 * and no CSP meta tags for the other three. PermissionsManifestLinter (trigger event scopes) does run.
 */
const SKIPPED_LINTERS = [
  'FullManifestLinter',
  'AgentProductContextPermissionsManifestLinter',
  'DeprecatedCspPermissionsManifestLinter',
  'DeprecatedEgressPermissionsManifestLinter',
];

// ---------------------------------------------------------------------------------------------------------------
// Offline stand-ins for what the linter takes from the CLI.

/** Collects what the linters log: a linter that throws only logs "Could not perform some linting actions". */
class CollectingLogger {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
}

/**
 * The real StatsigService fetches feature gates over the network (and on failure falls back to `null`, which is
 * what this answers straight away). Only the two abstract lookups are replaced; the rest is the real class.
 */
class OfflineStatsig extends StatsigService {
  constructor() {
    const offline = (): never => {
      throw new Error('offline: no credentials or app config in tests');
    };
    super(
      { traceEnabled: false, debugEnabled: false, trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      undefined,
      { getCredentials: offline },
      { readConfigSection: offline },
    );
  }
  override checkGate(): Promise<boolean | null> {
    return Promise.resolve(null);
  }
  override getDynamicConfig(): Promise<null> {
    return Promise.resolve(null);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The adapters. ESTree nodes reach visitors typed by @forge/lint's own (older) typescript-estree; they are read here
// through narrow structural guards instead, so nothing depends on which version's types are installed.

interface Loc {
  start: { line: number; column: number };
}
interface AnyNode {
  type: string;
  loc: Loc;
}
const isNode = (value: unknown): value is AnyNode =>
  isRecord(value) && typeof value['type'] === 'string' && isRecord(value['loc']);
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const nodeList = (value: unknown): AnyNode[] => (Array.isArray(value) ? value.filter(isNode) : []);
const field = (node: unknown, key: string): unknown => (isRecord(node) ? node[key] : undefined);
const isIdentifier = (value: unknown, name?: string): boolean =>
  isNode(value) && value.type === 'Identifier' && (name === undefined || field(value, 'name') === name);

/** `requestJira`-like callee: `requestJira(...)` or `x.requestJira(...)`. */
function requestMethodName(call: AnyNode): string | undefined {
  const callee = field(call, 'callee');
  if (!isNode(callee)) return undefined;
  const name =
    callee.type === 'Identifier'
      ? field(callee, 'name')
      : callee.type === 'MemberExpression'
        ? field(field(callee, 'property'), 'name')
        : undefined;
  return typeof name === 'string' && /^request(Jira|Confluence|Bitbucket)$/.test(name) ? name : undefined;
}

/** The path the linter would see for a template: literal parts kept, `${...}` parts as the linter's wildcard. */
function templatePath(quasi: AnyNode): string | undefined {
  const quasis = nodeList(field(quasi, 'quasis')).map((q) => field(field(q, 'value'), 'cooked'));
  if (!quasis.every((q): q is string => typeof q === 'string')) return undefined;
  return quasis.join(ANY_TEXT_REGEX);
}

/** `method` of an options object literal: 'GET' when absent, undefined when it cannot be read statically. */
function literalMethod(options: AnyNode | undefined): string | undefined {
  if (options === undefined) return 'GET';
  if (options.type !== 'ObjectExpression') return undefined;
  const property = nodeList(field(options, 'properties')).find(
    (p) => p.type === 'Property' && isIdentifier(field(p, 'key'), 'method'),
  );
  if (property === undefined) return 'GET';
  const value = field(property, 'value');
  return isNode(value) && value.type === 'Literal' && typeof field(value, 'value') === 'string'
    ? String(field(value, 'value'))
    : undefined;
}

interface Finding {
  filepath: string;
  line: number;
  what: string;
}

/** The real PermissionLinter plus the adapters; records what it matched so the tests can check coverage. */
class AppAwarePermissionLinter extends PermissionLinter {
  readonly matched: (ApiCall & { filepath: string })[] = [];
  /** `route` templates whose Jira call could not be read statically: they would escape the scope check. */
  readonly unresolved: Finding[] = [];
  /** `requestJira` calls with a computed path, which the stock visitor skips silently. */
  readonly opaque: Finding[] = [];
  private currentFile = '';

  constructor(manifest: ManifestSchema, logger: CollectingLogger) {
    super(ENVIRONMENT, manifest, logger);
  }

  override async bootstrap(): Promise<void> {
    await super.bootstrap();
    this.nodeVisitors.push({
      visit: (node, parent, callback) => this.visitNode(node, parent, callback),
    });
  }

  override async batchExecuteImpl(inputs: LintInput[]): Promise<LintResult[]> {
    // Files are executed concurrently but traversed synchronously, one at a time: remember which one is traversed.
    const results: LintResult[] = [];
    for (const input of inputs) {
      this.currentFile = input.filepath;
      results.push(...(await super.batchExecuteImpl([input])));
    }
    return results;
  }

  protected override addLintCriteriaMatch(apiCall: ApiCall, filepath: string): void {
    this.matched.push({ ...apiCall, filepath });
    super.addLintCriteriaMatch(apiCall, filepath);
  }

  private visitNode(node: unknown, parent: unknown, callback: (call: ApiCall) => void): void {
    if (!isNode(node)) return;
    const where = { filepath: this.currentFile, line: node.loc.start.line };
    if (node.type === 'ImportDeclaration' && field(field(node, 'source'), 'value') === '@forge/kvs') {
      callback({ type: ApiCallTypes.STORAGE, ...node.loc.start });
      return;
    }
    if (node.type === 'CallExpression' && requestMethodName(node) !== undefined) {
      const first = nodeList(field(node, 'arguments'))[0];
      if (!first || !['Literal', 'TemplateLiteral', 'TaggedTemplateExpression'].includes(first.type)) {
        this.opaque.push({ ...where, what: `${requestMethodName(node)}(${first?.type ?? 'nothing'})` });
      }
      return;
    }
    if (node.type !== 'TaggedTemplateExpression' || !isIdentifier(field(node, 'tag'), 'route')) return;
    // A call written directly as requestJira(route`...`) is the stock visitor's business.
    if (isNode(parent) && parent.type === 'CallExpression' && requestMethodName(parent) !== undefined) return;
    const args = isNode(parent) && parent.type === 'CallExpression' ? nodeList(field(parent, 'arguments')) : [];
    const index = args.indexOf(node);
    const quasi = field(node, 'quasi');
    const urlPath = isNode(quasi) ? templatePath(quasi) : undefined;
    const method = index >= 0 ? literalMethod(args[index + 1]) : undefined;
    if (index < 0 || urlPath === undefined || method === undefined) {
      this.unresolved.push({ ...where, what: 'route`...` whose method or use cannot be read statically' });
      return;
    }
    // Every `route` in this app goes to Jira (jira-client.ts is the only requester).
    const call: ProductApiCall = { type: ApiCallTypes.PRODUCT, product: 'jira', path: urlPath, method, ...node.loc.start };
    callback(call);
  }
}

// ---------------------------------------------------------------------------------------------------------------

interface MissingScope {
  file: string;
  line: number;
  scope: string;
  message: string;
}

/** Errors carrying the linter's `missingPermission` metadata (what `forge lint --fix` would add to the manifest). */
function missingScopes(results: LintResult[]): MissingScope[] {
  return results.flatMap((result) =>
    [...result.errors, ...result.warnings].flatMap((rule) => {
      const scope: unknown = rule.metadata?.['missingPermission'];
      return typeof scope === 'string' ? [{ file: result.file, line: rule.line, scope, message: rule.message }] : [];
    }),
  );
}

/** Jira calls the linter matched that are no path + method of the OpenAPI subset: their scopes go unchecked. */
function uncoveredCalls(linter: AppAwarePermissionLinter): string[] {
  const document: unknown = JSON.parse(readFileSync(JIRA_SUBSET, 'utf8'));
  const paths = isRecord(document) && isRecord(document['paths']) ? document['paths'] : {};
  // Same path-to-regex rule as PermissionLinter.processPaths.
  const operations = Object.entries(paths).map(([p, methods]) => ({
    regex: new RegExp(p.replace(/{(?<={)(.*?)(?=})}/g, NON_FWD_SLASH_REGEX) + '\\/?$'),
    methods: isRecord(methods) ? Object.keys(methods) : [],
  }));
  return linter.matched
    .filter((m): m is ProductApiCall & { filepath: string } => m.type === ApiCallTypes.PRODUCT)
    .filter((call) => {
      const bare = call.path.replace(/\?.+$/, '');
      // Any operation that matches both path and method: `issue/bulkfetch` also matches `issue/{issueIdOrKey}`.
      return !operations.some((o) => o.regex.test(bare) && o.methods.includes(call.method.toLowerCase()));
    })
    .map((call) => `${call.filepath}:${call.line} ${call.method} ${call.path}`);
}

function parseManifest(text: string): ManifestSchema {
  const parsed: unknown = YAML.parse(text);
  if (!isObject(parsed)) throw new Error('manifest is not a mapping');
  // The shape is @forge/manifest's business: validate() checks it in manifest.test.ts.
  return parsed as unknown as ManifestSchema;
}

describe('scopes: @forge/lint permission linter, offline', () => {
  const SWAGGER_VARS = ['LOCAL_JSM_SWAGGER', 'LOCAL_JSW_SWAGGER', 'LOCAL_CONF_SWAGGER', 'LOCAL_CONF_V2_SWAGGER', 'LOCAL_BB_SWAGGER'];
  const savedEnv = { ...process.env };
  const savedCwd = process.cwd();
  let configHome = '';
  let fetchSpy: jest.SpyInstance;
  const sourceFiles = listFiles(path.join(ROOT, 'src'), /\.ts$/).map((f) => path.relative(ROOT, f));
  const parsedFiles: string[] = [];
  const inputs: LintInput[] = [];
  let stockResults: LintResult[] = [];
  const stockLogger = new CollectingLogger();
  let stockLinterNames: string[] = [];

  /** The app-aware linter over the already parsed src (or given inputs), for a manifest given as text. */
  async function runAppAware(
    manifestText: string,
    sources: LintInput[] = inputs,
  ): Promise<{ linter: AppAwarePermissionLinter; results: LintResult[] }> {
    const logger = new CollectingLogger();
    const linter = new AppAwarePermissionLinter(parseManifest(manifestText), logger);
    await linter.bootstrap();
    const results = await linter.batchExecute(sources);
    // batchExecute swallows a crash into a log line and an empty result: make that a failure instead.
    expect(logger.lines).toEqual([]);
    expect(results).toHaveLength(sources.length);
    return { linter, results };
  }

  beforeAll(async () => {
    // Any fetch would be the linter falling back to developer.atlassian.com: fail instead of going online.
    fetchSpy = jest.spyOn(global, 'fetch').mockImplementation(() => Promise.reject(new Error('network is off in tests')));
    // The linter opens a `conf` cache in the user's config folder; keep it out of $HOME.
    configHome = mkdtempSync(path.join(tmpdir(), 'forge-lint-conf-'));
    process.env['XDG_CONFIG_HOME'] = configHome;
    process.env['USE_LOCAL_SWAGGER'] = '1';
    process.env['LOCAL_JIRA_SWAGGER'] = JIRA_SUBSET;
    for (const name of SWAGGER_VARS) process.env[name] = EMPTY_SWAGGER;
    // lint() reads ./tsconfig.json and only parses .ts files its `include` lists, resolved against the cwd, and
    // skips the others without a word: it must run from the repository root with root-relative paths.
    process.chdir(ROOT);

    const manifest = parseManifest(readFileSync(MANIFEST_PATH, 'utf8'));
    const statsig = new OfflineStatsig();
    const all = await getClientSideLintersOnly(manifest, ENVIRONMENT, stockLogger, statsig);
    stockLinterNames = all.map((l) => l.constructor.name);
    stockResults = await lint(sourceFiles, manifest, ENVIRONMENT, stockLogger, statsig, {
      linter: { mode: 'client-side' },
      linters: all.filter((l) => !SKIPPED_LINTERS.includes(l.constructor.name)),
      // The stock parse, recorded: it proves which files were linted, and the ASTs are re-used for the app-aware
      // runs below (parsing is the expensive part and the source does not change). Parsed without `project`: the
      // default builds a type-checked program of the whole tsconfig (src, local, test; several times slower)
      // although no client-side linter reads type information; types are `tsc --noEmit`'s job.
      parseFunction: async (filepath, parser) => {
        const input = await parseSourceFile(filepath, (code, file) => parser(code, file, { project: undefined }));
        parsedFiles.push(filepath);
        inputs.push(input);
        return input;
      },
    });
  });

  afterAll(() => {
    process.chdir(savedCwd);
    for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
    Object.assign(process.env, savedEnv);
    rmSync(configHome, { recursive: true, force: true });
    fetchSpy.mockRestore();
  });

  it('parses every src/**/*.ts file (none skipped by the tsconfig include filter)', () => {
    expect(sourceFiles.length).toBeGreaterThan(10);
    expect([...parsedFiles].sort()).toEqual([...sourceFiles].sort());
    expect(inputs).toHaveLength(sourceFiles.length);
  });

  it('stock client-side linters: real manifest + src give no errors and no missing scope', () => {
    // Only the listed manifest linters are left out; a linter a new @forge/lint adds runs by default.
    expect(stockLinterNames).toEqual(expect.arrayContaining([...SKIPPED_LINTERS, 'PermissionLinter', 'PermissionsManifestLinter']));
    // A linter that crashes only logs a line and returns nothing: that must not pass as "clean".
    expect(stockLogger.lines).toEqual([]);
    // One result per source file from the permission linter alone, so the source really was linted.
    expect(stockResults.filter((r) => r.file.startsWith('src/')).length).toBeGreaterThanOrEqual(sourceFiles.length);
    expect(missingScopes(stockResults)).toEqual([]);
    const errors = stockResults.flatMap((r) => r.errors.map((e) => `${r.file}:${e.line} ${e.message}`));
    expect(errors).toEqual([]);
  });

  describe('with the adapters for jira-client.ts and @forge/kvs', () => {
    let real: { linter: AppAwarePermissionLinter; results: LintResult[] };
    beforeAll(async () => {
      real = await runAppAware(readFileSync(MANIFEST_PATH, 'utf8'));
    });

    it('real manifest + src: no missing scope', () => {
      expect(missingScopes(real.results)).toEqual([]);
    });

    it('sees every route`...` in src and a storage use', () => {
      // Independent count from the text, so a visitor that silently stops matching fails here.
      const routeCount = sourceFiles
        .filter((f) => !f.endsWith('.test.ts'))
        .reduce((n, f) => n + (readFileSync(path.join(ROOT, f), 'utf8').match(/\broute`\//g) ?? []).length, 0);
      const jiraCalls = real.linter.matched.filter((m) => m.type === ApiCallTypes.PRODUCT);
      expect(routeCount).toBeGreaterThan(0);
      expect(jiraCalls).toHaveLength(routeCount);
      expect(real.linter.matched.filter((m) => m.type === ApiCallTypes.STORAGE).length).toBeGreaterThan(0);
      expect(real.linter.unresolved).toEqual([]);
    });

    it('only the wrapper calls requestJira with a computed path', () => {
      expect(real.linter.opaque.length).toBeGreaterThan(0);
      expect(real.linter.opaque.filter((o) => o.filepath !== JIRA_WRAPPER)).toEqual([]);
    });

    it('every Jira call is an operation of the OpenAPI subset (the linter ignores unknown ones silently)', () => {
      expect(uncoveredCalls(real.linter)).toEqual([]);
    });

    it.each([
      ['read:jira-work', /GET \/rest\/api\/3\/field requires "read:jira-work"/],
      ['read:jira-user', /GET \/rest\/api\/3\/user\/search requires "read:jira-user"/],
      ['storage:app', /storage:app/],
    ])('a manifest copy without %s is reported as missing it', async (scope, message) => {
      const { results } = await runAppAware(manifestWithoutScope(scope));
      const missing = missingScopes(results);
      expect(missing.length).toBeGreaterThan(0);
      expect(missing.every((m) => m.scope === scope)).toBe(true);
      expect(missing.map((m) => m.message)).toContainEqual(expect.stringMatching(message));
    });
  });

  it('stock PermissionsManifestLinter: a manifest copy without read:jira-work fails on the trigger events', async () => {
    // The manifest linters read ./manifest.yml, so this one runs inside a temp copy of the app.
    const copy = makeAppCopy(manifestWithoutScope('read:jira-work'));
    const logger = new CollectingLogger();
    try {
      process.chdir(copy.dir);
      const linter = new PermissionsManifestLinter(logger, new OfflineStatsig());
      await linter.bootstrap();
      const missing = missingScopes(await linter.batchExecute());
      expect(logger.lines).toEqual([]);
      expect(missing.map((m) => m.scope)).toEqual(['read:jira-work', 'read:jira-work', 'read:jira-work']);
      expect(missing.map((m) => m.message)).toContainEqual(expect.stringMatching(/avi:jira:updated:issue/));
    } finally {
      process.chdir(ROOT);
      copy.dispose();
    }
  });

  describe('the adapter guards can fail', () => {
    // Small sources parsed the way lint() parses (syntax only, so free names need no declarations), linted with
    // the real manifest.
    const parsed = async (filepath: string, code: string): Promise<LintInput> => ({
      ast: await tsParser(code, filepath, { project: undefined }),
      filepath,
    });

    it('flags a route`...` whose method is not an object literal', async () => {
      const source = await parsed('src/fake-a.ts', "const o = {};\nc.request('app', route`/rest/api/3/field`, o);\n");
      const { linter } = await runAppAware(readFileSync(MANIFEST_PATH, 'utf8'), [source]);
      expect(linter.unresolved).toEqual([expect.objectContaining({ filepath: 'src/fake-a.ts', line: 2 })]);
    });

    it('flags requestJira with a computed path outside the wrapper', async () => {
      const source = await parsed('src/fake-b.ts', 'const p = `/rest/api/3/field`;\napi.asApp().requestJira(p);\n');
      const { linter } = await runAppAware(readFileSync(MANIFEST_PATH, 'utf8'), [source]);
      expect(linter.opaque).toEqual([expect.objectContaining({ filepath: 'src/fake-b.ts', line: 2 })]);
    });

    it('flags calls the OpenAPI subset does not describe (wrong method, unknown path)', async () => {
      const source = await parsed(
        'src/fake-c.ts',
        "// two calls\nc.request('app', route`/rest/api/3/field`, { method: 'POST' });\nc.request('app', route`/rest/api/3/nope`);\n",
      );
      const { linter } = await runAppAware(readFileSync(MANIFEST_PATH, 'utf8'), [source]);
      expect(uncoveredCalls(linter)).toEqual([
        'src/fake-c.ts:2 POST /rest/api/3/field',
        'src/fake-c.ts:3 GET /rest/api/3/nope',
      ]);
    });
  });

  it('never reached the network', () => {
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
