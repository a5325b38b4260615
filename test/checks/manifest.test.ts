/**
 * Offline manifest checks. `@forge/manifest`'s `validate()` is what `forge deploy` runs first, but it accepts
 * unknown keys silently (a misspelt `displayConditionz` passes) and treats a custom field's `schema` as an opaque
 * object, so the keys this app depends on are also asserted one by one. Every check is a function returning the
 * problems it found, run on the real manifest (must find none) and on mutated copies (must find the mutation):
 * a check that cannot fail would only give false comfort.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { validate } from '@forge/manifest';
import YAML from 'yaml';
import {
  at,
  editedManifest,
  isObject,
  type Json,
  type JsonObject,
  makeAppCopy,
  MANIFEST_PATH,
  objects,
  readManifest,
  ROOT,
  strings,
} from './repo';

// The first validate() compiles the whole schema (about 4 s here); later calls are fast.
jest.setTimeout(30_000);

type Exports = Record<string, unknown>;
type Check = (manifest: JsonObject, entry: Exports) => string[];

const nonEmpty = (value: Json | undefined): value is string => typeof value === 'string' && value.trim() !== '';

const modulesOf = (manifest: JsonObject, type: string): JsonObject[] => objects(at(manifest, 'modules', type));

/** A Jira expression that tests the issue type's hierarchy level for epics (1), not its name. */
const byEpicLevel = (value: Json | undefined): boolean => nonEmpty(value) && /issueType\??\.hierarchyLevel == 1\b/.test(value) && !/issueType\??\.name/.test(value);

const resourceKeys = (manifest: JsonObject): Set<string> =>
  new Set(objects(manifest['resources']).map((r) => r['key']).filter(nonEmpty));

/**
 * Folders `npm run build:ui` writes. Read from the script and the Vite config rather than hard-coded, so the check
 * follows the build; if either changes shape the regexes stop matching and the resource check fails loudly.
 */
function uiBuildOutputs(): Set<string> {
  const scripts: unknown = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
  const buildUi = isObject(scripts) ? scripts['build:ui'] : undefined;
  const loop = typeof buildUi === 'string' ? /for s in ([\w ]+); do vite build -c (\S+) --mode \$s/.exec(buildUi) : null;
  if (!loop?.[1] || !loop[2]) return new Set();
  const viteConfig = readFileSync(path.join(ROOT, loop[2]), 'utf8');
  // The config roots each surface at `static/<mode>` and builds into its `build` subfolder.
  if (!/resolve\(import\.meta\.dirname, mode\)/.test(viteConfig) || !/outDir: resolve\(root, 'build'\)/.test(viteConfig)) {
    return new Set();
  }
  const surfaces = loop[1].trim().split(/\s+/);
  // Vite needs the surface's own index.html as its entry, or nothing is built.
  return new Set(
    surfaces.filter((s) => existsSync(path.join(ROOT, 'static', s, 'index.html'))).map((s) => `static/${s}/build`),
  );
}

const isDirWithIndex = (dir: string): boolean =>
  existsSync(dir) && statSync(dir).isDirectory() && existsSync(path.join(dir, 'index.html'));

const checks: Record<string, Check> = {
  customField(manifest) {
    const fields = modulesOf(manifest, 'jira:customField');
    if (fields.length === 0) return ['no jira:customField module'];
    const resources = resourceKeys(manifest);
    return fields.flatMap((field) => {
      const key = String(field['key']);
      const problems: string[] = [];
      if (field['type'] !== 'object') problems.push(`${key}: type must be object`);
      // Without a formatter an object field cannot be deployed nor searched (FORGE-NOTES).
      if (!nonEmpty(at(field, 'view', 'formatter', 'expression'))) problems.push(`${key}: view.formatter.expression missing`);
      if (at(field, 'view', 'formatter', 'export') !== true) problems.push(`${key}: view.formatter.export must be true`);
      // The JQL `Business destination.Id = "x"` the app sends needs this alias; the validator never looks inside `schema`.
      if (!nonEmpty(at(field, 'schema', 'properties', 'id', 'searchAlias'))) {
        problems.push(`${key}: schema.properties.id.searchAlias missing`);
      }
      const editResource = at(field, 'edit', 'resource');
      if (!nonEmpty(editResource) || !resources.has(editResource)) problems.push(`${key}: edit.resource must name a resource`);
      const experience = strings(at(field, 'edit', 'experience'));
      for (const wanted of ['issue-view', 'issue-create']) {
        if (!experience.includes(wanted)) problems.push(`${key}: edit.experience lacks ${wanted}`);
      }
      if (!nonEmpty(at(field, 'resolver', 'function'))) problems.push(`${key}: resolver.function missing`);
      // Epics only, by hierarchy level: shown there (issue view, create) and refused elsewhere on edit.
      if (!byEpicLevel(at(field, 'displayConditions', 'jiraExpression'))) problems.push(`${key}: displayConditions.jiraExpression must test hierarchyLevel == 1`);
      if (!byEpicLevel(at(field, 'edit', 'validation', 'expression'))) problems.push(`${key}: edit.validation.expression must test hierarchyLevel == 1`);
      if (!nonEmpty(at(field, 'edit', 'validation', 'errorMessage'))) problems.push(`${key}: edit.validation.errorMessage missing`);
      return problems;
    });
  },

  issuePanel(manifest) {
    const panels = modulesOf(manifest, 'jira:issuePanel');
    if (panels.length === 0) return ['no jira:issuePanel module'];
    const resources = objects(manifest['resources']);
    const built = uiBuildOutputs();
    return panels.flatMap((panel) => {
      const key = String(panel['key']);
      const problems: string[] = [];
      // By hierarchy level: `issueType` matches the type's name, which a renamed or localised epic type lacks.
      if (at(panel, 'displayConditions', 'issueType') !== undefined) problems.push(`${key}: displayConditions.issueType matches type names`);
      if (!byEpicLevel(at(panel, 'displayConditions', 'jiraExpression'))) problems.push(`${key}: displayConditions.jiraExpression must test hierarchyLevel == 1`);
      if (!nonEmpty(panel['title'])) problems.push(`${key}: title missing`);
      const icon = panel['icon'];
      if (!nonEmpty(icon)) return [...problems, `${key}: icon missing`];
      // `resource:<key>;<file>` must point at a file the resource will hold: built already, or copied from the
      // surface's Vite `public/` folder by the UI build.
      const ref = /^resource:([^;]+);(.+)$/.exec(icon);
      if (ref?.[1] && ref[2]) {
        const resourcePath = resources.find((r) => r['key'] === ref[1])?.['path'];
        if (!nonEmpty(resourcePath)) return [...problems, `${key}: icon names unknown resource ${ref[1]}`];
        const inBuild = existsSync(path.join(ROOT, resourcePath, ref[2]));
        const fromPublic =
          built.has(resourcePath) && existsSync(path.join(ROOT, path.dirname(resourcePath), 'public', ref[2]));
        if (!inBuild && !fromPublic) problems.push(`${key}: icon file ${ref[2]} is in neither ${resourcePath} nor its public/`);
      }
      return problems;
    });
  },

  dashboardGadget(manifest) {
    const gadgets = modulesOf(manifest, 'jira:dashboardGadget');
    if (gadgets.length === 0) return ['no jira:dashboardGadget module'];
    const resources = resourceKeys(manifest);
    return gadgets.flatMap((gadget) => {
      const key = String(gadget['key']);
      const problems: string[] = [];
      // Required by Forge's module reference: title, description and an absolute thumbnail URL.
      const title = gadget['title'];
      if (!nonEmpty(title) && !(isObject(title) && (nonEmpty(title['text']) || nonEmpty(title['i18n'])))) problems.push(`${key}: title missing`);
      if (!nonEmpty(gadget['description'])) problems.push(`${key}: description missing`);
      const thumbnail = gadget['thumbnail'];
      if (!nonEmpty(thumbnail) || !/^https:\/\//.test(thumbnail)) problems.push(`${key}: thumbnail must be an absolute https URL`);
      const view = gadget['resource'];
      if (!nonEmpty(view) || !resources.has(view)) problems.push(`${key}: resource must name a resource`);
      // Without an edit resource the gadget cannot be configured: it would always show the same card.
      const edit = at(gadget, 'edit', 'resource');
      if (!nonEmpty(edit) || !resources.has(edit)) problems.push(`${key}: edit.resource must name a resource`);
      if (!nonEmpty(at(gadget, 'resolver', 'function'))) problems.push(`${key}: resolver.function missing`);
      return problems;
    });
  },

  resources(manifest) {
    const resources = objects(manifest['resources']);
    if (resources.length === 0) return ['no resources'];
    const built = uiBuildOutputs();
    return resources.flatMap((r) => {
      const resourcePath = r['path'];
      if (!nonEmpty(resourcePath)) return [`resource ${String(r['key'])}: path missing`];
      // Build folders are git-ignored: a fresh clone has none until `npm run build:ui`.
      if (isDirWithIndex(path.join(ROOT, resourcePath)) || built.has(resourcePath)) return [];
      return [`resource ${String(r['key'])}: ${resourcePath} neither exists with an index.html nor is built by build:ui`];
    });
  },

  runtime(manifest) {
    const name = at(manifest, 'app', 'runtime', 'name');
    // nodejs20.x deploys are blocked since 2026-05 (FORGE-NOTES).
    return name === 'nodejs22.x' || name === 'nodejs24.x' ? [] : [`app.runtime.name is ${String(name)}`];
  },

  storageScope(manifest) {
    // Adding storage:app after the first release makes every site admin approve an upgrade.
    return strings(at(manifest, 'permissions', 'scopes')).includes('storage:app') ? [] : ['storage:app not in scopes'];
  },

  inlineStyles(manifest) {
    // Atlaskit components inject inline styles; without this CSP entry they render unstyled.
    return strings(at(manifest, 'permissions', 'content', 'styles')).includes('unsafe-inline')
      ? []
      : ['permissions.content.styles lacks unsafe-inline'];
  },

  handlersExported(manifest, entry) {
    const functions = modulesOf(manifest, 'function');
    if (functions.length === 0) return ['no function modules'];
    return functions.flatMap((fn) => {
      const handler = fn['handler'];
      const match = typeof handler === 'string' ? /^index\.(\w+)$/.exec(handler) : null;
      if (!match?.[1]) return [`function ${String(fn['key'])}: handler ${String(handler)} is not index.<export>`];
      return typeof entry[match[1]] === 'function' ? [] : [`function ${String(fn['key'])}: src/index.ts exports no ${match[1]}`];
    });
  },

  noUiKit1(manifest) {
    // UI Kit 1 modules named their UI `function` directly; since 2025-02-28 they no longer render. Backend modules
    // and resolvers legitimately reference functions.
    const backend = new Set(['function', 'trigger', 'scheduledTrigger', 'consumer', 'webtrigger', 'jira:jqlFunction']);
    const modules = at(manifest, 'modules');
    if (!isObject(modules)) return ['no modules'];
    const problems: string[] = [];
    const walk = (value: Json | undefined, where: string): void => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
      if (!isObject(value)) return;
      for (const [k, v] of Object.entries(value)) {
        if (k === 'resolver') continue;
        if (k === 'function') problems.push(`${where}.function: UI Kit 1 style module`);
        else walk(v, `${where}.${k}`);
      }
    };
    for (const [type, list] of Object.entries(modules)) if (!backend.has(type)) walk(list, type);
    const pkg: unknown = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const deps of ['dependencies', 'devDependencies']) {
      const declared = isObject(pkg) ? pkg[deps] : undefined;
      if (isObject(declared) && '@forge/ui' in declared) problems.push(`package.json ${deps} has @forge/ui`);
    }
    return problems;
  },

  functionRefs(manifest) {
    const declared = new Set(modulesOf(manifest, 'function').map((f) => f['key']).filter(nonEmpty));
    const modules = at(manifest, 'modules');
    if (!isObject(modules)) return ['no modules'];
    const problems: string[] = [];
    const walk = (value: Json | undefined, where: string): void => {
      if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${where}[${i}]`));
      if (!isObject(value)) return;
      for (const [k, v] of Object.entries(value)) {
        if (k === 'function' && typeof v === 'string' && !declared.has(v)) problems.push(`${where}.function: ${v} is not declared`);
        walk(v, `${where}.${k}`);
      }
    };
    for (const [type, list] of Object.entries(modules)) if (type !== 'function') walk(list, type);
    return problems;
  },
};

/** Mutations of the real manifest, each of which a named check must notice. */
type Edit = (doc: YAML.Document) => void;
const FIELD = ['modules', 'jira:customField', 0];
const PANEL = ['modules', 'jira:issuePanel', 0];
const GADGET = ['modules', 'jira:dashboardGadget', 0];
const remove = (...keyPath: (string | number)[]): Edit => (doc) => {
  if (!doc.hasIn(keyPath)) throw new Error(`manifest.yml has no ${keyPath.join('.')} to remove`);
  doc.deleteIn(keyPath);
};
const set = (keyPath: (string | number)[], value: unknown): Edit => (doc) => doc.setIn(keyPath, value);

const mutations: [string, keyof typeof checks, Edit][] = [
  ['field type string', 'customField', set([...FIELD, 'type'], 'string')],
  ['no formatter expression', 'customField', remove(...FIELD, 'view', 'formatter', 'expression')],
  ['no formatter export', 'customField', remove(...FIELD, 'view', 'formatter', 'export')],
  ['no id searchAlias', 'customField', remove(...FIELD, 'schema', 'properties', 'id', 'searchAlias')],
  ['edit resource unknown', 'customField', set([...FIELD, 'edit', 'resource'], 'nope')],
  ['no issue-create experience', 'customField', set([...FIELD, 'edit', 'experience'], ['issue-view'])],
  ['no field resolver', 'customField', remove(...FIELD, 'resolver')],
  ['no field display condition', 'customField', remove(...FIELD, 'displayConditions')],
  ['field shown by type name', 'customField', set([...FIELD, 'displayConditions'], { jiraExpression: "issue.issueType.name == 'Epic'" })],
  ['no edit validation', 'customField', remove(...FIELD, 'edit', 'validation')],
  ['validation without a message', 'customField', remove(...FIELD, 'edit', 'validation', 'errorMessage')],
  ['panel by type name', 'issuePanel', set([...PANEL, 'displayConditions'], { issueType: 'Epic' })],
  ['misspelt displayConditions', 'issuePanel', (doc) => {
    const conditions: unknown = doc.getIn([...PANEL, 'displayConditions']);
    remove(...PANEL, 'displayConditions')(doc);
    doc.setIn([...PANEL, 'displayConditionz'], conditions);
  }],
  ['no panel title', 'issuePanel', remove(...PANEL, 'title')],
  ['no panel icon', 'issuePanel', remove(...PANEL, 'icon')],
  ['panel icon file missing', 'issuePanel', set([...PANEL, 'icon'], 'resource:panel;missing.svg')],
  ['no gadget', 'dashboardGadget', remove('modules', 'jira:dashboardGadget')],
  ['gadget without a description', 'dashboardGadget', remove(...GADGET, 'description')],
  ['gadget without a thumbnail', 'dashboardGadget', remove(...GADGET, 'thumbnail')],
  ['gadget thumbnail relative', 'dashboardGadget', set([...GADGET, 'thumbnail'], 'icon.svg')],
  ['gadget without a title', 'dashboardGadget', remove(...GADGET, 'title')],
  ['gadget resource unknown', 'dashboardGadget', set([...GADGET, 'resource'], 'nope')],
  ['gadget without an edit resource', 'dashboardGadget', remove(...GADGET, 'edit')],
  ['gadget without a resolver', 'dashboardGadget', remove(...GADGET, 'resolver')],
  ['resource path nowhere', 'resources', set(['resources', 0, 'path'], 'static/nowhere/build')],
  ['runtime nodejs20.x', 'runtime', set(['app', 'runtime', 'name'], 'nodejs20.x')],
  ['no storage:app', 'storageScope', set(['permissions', 'scopes'], ['read:jira-work'])],
  ['no unsafe-inline', 'inlineStyles', remove('permissions', 'content')],
  ['handler not exported', 'handlersExported', set(['modules', 'function', 0, 'handler'], 'index.notThere')],
  ['handler outside index', 'handlersExported', set(['modules', 'function', 0, 'handler'], 'other.fieldResolver')],
  ['UI Kit 1 panel', 'noUiKit1', set([...PANEL, 'function'], 'panel-resolver')],
  ['UI Kit 1 field view', 'noUiKit1', set([...FIELD, 'view', 'function'], 'field-resolver')],
  ['undeclared function key', 'functionRefs', set(['modules', 'trigger', 0, 'function'], 'ghost-fn')],
  ['undeclared resolver key', 'functionRefs', set([...PANEL, 'resolver', 'function'], 'ghost-fn')],
];

describe('manifest.yml', () => {
  // Required through jest (same transform as the app's tests), as Forge would load the bundled entry point.
  const entry = jest.requireActual<Exports>(path.join(ROOT, 'src', 'index.ts'));
  const manifest = readManifest();

  it('passes @forge/manifest validate()', async () => {
    const result = await validate(false, MANIFEST_PATH);
    expect(result.errors ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it.each(Object.keys(checks))('check %s finds nothing wrong', (name) => {
    expect(checks[name]?.(manifest, entry)).toEqual([]);
  });

  it.each(mutations)('check catches: %s', (_label, check, edit) => {
    const mutated = YAML.parse(editedManifest(edit)) as unknown;
    if (!isObject(mutated)) throw new Error('mutated manifest is not a mapping');
    expect(checks[check]?.(mutated, entry).length).toBeGreaterThan(0);
  });

  it('every check has at least one mutation proving it can fail', () => {
    expect(new Set(mutations.map(([, check]) => check))).toEqual(new Set(Object.keys(checks)));
  });

  describe('validate() itself', () => {
    // Same temp layout for both, so the only difference between pass and fail is the removed formatter.
    it('accepts an unmodified copy in a temp folder (control)', async () => {
      const copy = makeAppCopy(readFileSync(MANIFEST_PATH, 'utf8'));
      try {
        const result = await validate(false, copy.manifestPath);
        expect(result.errors ?? []).toEqual([]);
      } finally {
        copy.dispose();
      }
    });

    it('refuses an object field without view.formatter', async () => {
      const copy = makeAppCopy(editedManifest(remove(...FIELD, 'view', 'formatter')));
      try {
        const result = await validate(false, copy.manifestPath);
        expect(result.success).toBe(false);
        // The schema's `object` branch requires the formatter, so the refusal names the field type, not the key.
        expect((result.errors ?? []).map((e) => e.message)).toEqual([
          expect.stringMatching(/jira:customField.*type 'object'/),
        ]);
      } finally {
        copy.dispose();
      }
    });
  });
});
