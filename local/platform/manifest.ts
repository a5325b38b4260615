/**
 * The parts of `manifest.yml` the local platform acts on: which function serves which module, the storage
 * entities, and the Custom UI surfaces the server frames (module, resource folder, resolver). The manifest is
 * the source of truth, so nothing here is configured twice.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { EntityDefinition } from '../kvs/kvs-emulator';
import { isRecord } from '../types';
import { compileDisplayConditions, type DisplayCondition } from './display-conditions';
import { compileJiraExpression, EXPRESSION_CONTEXTS, JiraExpressionError, type JiraExpression } from './jira-expression';

export interface ManifestFunction {
  key: string;
  /** `file.export`, e.g. `index.fieldResolver` = export `fieldResolver` of `src/index`. */
  handler: string;
  timeoutSeconds?: number;
}

export interface ManifestModule {
  key: string;
  function?: string;
  resolver?: { function?: string };
  events?: string[];
  filter?: { ignoreSelf?: boolean; expression?: string };
  queue?: string;
  interval?: string;
  [k: string]: unknown;
}

/** The module types the local server can frame, with Jira's own `extension.type` names. */
export type SurfaceType = 'jira:customField' | 'jira:issuePanel' | 'jira:globalPage' | 'jira:adminPage' | 'jira:dashboardGadget';
const SURFACE_TYPES: readonly SurfaceType[] = ['jira:customField', 'jira:issuePanel', 'jira:globalPage', 'jira:adminPage', 'jira:dashboardGadget'];

export interface Surface {
  moduleKey: string;
  type: SurfaceType;
  title: string;
  resourceKey: string;
  /** Absolute path of the resource's build folder. */
  resourceDir: string;
  /** Function key of the module's resolver, when it has one. */
  functionKey: string | null;
  /** `issue-view` / `issue-create` for a custom field edit; empty for other modules. */
  experiences: string[];
  /** `displayConditions` (issue view modules): whether Jira shows the module for an issue; null = always. */
  displayCondition: DisplayCondition | null;
  /** A dashboard gadget's `edit.resource`: what its Edit action shows (may be the view's own resource). */
  editResourceKey?: string;
}

/** What Jira evaluates for the app's custom field besides its resources: formatter and edit validation. */
export interface FieldRules {
  moduleKey: string;
  /** `view.formatter.expression`: the text Jira shows for a value; '' where the evaluation fails. */
  format(value: unknown): string;
  /**
   * `edit.validation`: null when the value may be set, else the message Jira shows. Jira runs it on issue edit
   * and create, not on the app field value API.
   */
  validate(vars: { value: unknown; issue: unknown; project: unknown; user: unknown; fieldId: string }): string | null;
}

export interface Manifest {
  modules: Record<string, ManifestModule[]>;
  functions: ManifestFunction[];
  entities: EntityDefinition[];
  appId?: string;
  scopes: string[];
  /** The Custom UI modules by key. */
  surfaces: Map<string, Surface>;
  /** Every resource by key: absolute path of its build folder (a modal may render any of them). */
  resources: Map<string, string>;
  /** The first `jira:customField`'s formatter and validation, when the app declares a field. */
  field: FieldRules | null;
}

function asArray<T>(x: unknown): T[] {
  return Array.isArray(x) ? (x as T[]) : [];
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Load the manifest under `root`; throws with a readable message when it is unusable. */
export function readManifest(root: string): Manifest {
  const file = path.join(root, 'manifest.yml');
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  if (!isRecord(doc) || !isRecord(doc.modules)) throw new Error(`${file} has no modules`);
  const modules: Record<string, ManifestModule[]> = {};
  for (const [type, list] of Object.entries(doc.modules)) {
    if (type !== 'function') modules[type] = asArray<ManifestModule>(list);
  }
  const resources = new Map<string, string>();
  for (const r of asArray<unknown>(doc.resources)) {
    if (isRecord(r) && str(r.key) && str(r.path)) resources.set(r.key as string, path.resolve(root, r.path as string));
  }
  const app = (isRecord(doc.app) ? doc.app : {}) as { id?: string; storage?: { entities?: unknown } };
  const permissions = (doc.permissions ?? {}) as { scopes?: unknown };
  return {
    modules,
    functions: asArray<ManifestFunction>(doc.modules.function),
    entities: asArray<EntityDefinition>(app.storage?.entities),
    appId: str(app.id) ?? undefined,
    scopes: asArray<string>(permissions.scopes),
    surfaces: surfacesOf(modules, resources),
    resources,
    field: fieldRulesOf(modules['jira:customField']?.[0]),
  };
}

/** Refuse keys outside `allowed`: a key the local platform does not act on must not pass unnoticed. */
function onlyKeys(value: unknown, allowed: readonly string[], where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`manifest.yml ${where} must be a mapping`);
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new Error(`manifest.yml ${where} has ${unknown.map((k) => `'${k}'`).join(', ')}, which the local platform does not honour (it knows ${allowed.join(', ')})`);
  return value;
}

function fieldRulesOf(m: ManifestModule | undefined): FieldRules | null {
  if (!isRecord(m) || !str(m.key)) return null;
  const where = `jira:customField ${m.key}`;
  // The view is the formatter's text (no UI Kit view is hosted); the edit is a Custom UI resource.
  const view = m.view === undefined ? {} : onlyKeys(m.view, ['formatter'], `${where} view`);
  const formatter = view.formatter === undefined ? {} : onlyKeys(view.formatter, ['expression', 'export'], `${where} view.formatter`);
  const edit = m.edit === undefined ? {} : onlyKeys(m.edit, ['resource', 'experience', 'isInline', 'validation'], `${where} edit`);
  let format: JiraExpression | null = null;
  if (formatter.expression !== undefined) {
    if (typeof formatter.expression !== 'string') throw new Error(`manifest.yml ${where} view.formatter.expression must be a string`);
    format = compileJiraExpression(formatter.expression, EXPRESSION_CONTEXTS.formatter, `manifest.yml ${where} view.formatter.expression`);
  }
  let validation: { expression: JiraExpression; errorMessage: string } | null = null;
  if (edit.validation !== undefined) {
    const v = onlyKeys(edit.validation, ['expression', 'errorMessage'], `${where} edit.validation`);
    if (typeof v.expression !== 'string' || typeof v.errorMessage !== 'string' || v.errorMessage.trim() === '') {
      throw new Error(`manifest.yml ${where} edit.validation needs an expression and an errorMessage (strings)`);
    }
    validation = { expression: compileJiraExpression(v.expression, EXPRESSION_CONTEXTS.validation, `manifest.yml ${where} edit.validation.expression`), errorMessage: v.errorMessage };
  }
  return {
    moduleKey: m.key,
    format(value) {
      if (!format) return value === null || value === undefined ? '' : JSON.stringify(value);
      try {
        const text = format.evaluate({ value });
        return typeof text === 'string' ? text : '';
      } catch (error) {
        if (error instanceof JiraExpressionError) return '';
        throw error;
      }
    },
    validate(vars) {
      if (!validation) return null;
      let result: unknown;
      try {
        result = validation.expression.evaluate(vars);
      } catch (error) {
        if (!(error instanceof JiraExpressionError)) throw error;
        result = false;
      }
      // Jira: true allows; false shows errorMessage; a string is the message itself.
      if (result === true) return null;
      return typeof result === 'string' ? result : validation.errorMessage;
    },
  };
}

/**
 * A `jira:dashboardGadget` as Forge's module reference documents it: `title`, `description` and `thumbnail`
 * (an absolute URL) are required; `resource` and `edit.resource` must name declared resources (Custom UI);
 * no key the reference does not list. UI Kit (`render: native`) is not hosted here.
 */
function checkDashboardGadget(m: Record<string, unknown>, resources: Map<string, string>): void {
  const where = `jira:dashboardGadget ${String(m.key)}`;
  onlyKeys(m, ['key', 'resource', 'render', 'resolver', 'title', 'description', 'thumbnail', 'edit', 'refreshable', 'displayConditions'], where);
  if (!/^[a-zA-Z0-9_-]+$/.test(String(m.key))) throw new Error(`manifest.yml ${where}: key must match ^[a-zA-Z0-9_-]+$`);
  const title = m.title;
  const titleOk = (typeof title === 'string' && title.trim() !== '') || (isRecord(title) && (str(title.text) !== null || str(title.i18n) !== null));
  if (!titleOk) throw new Error(`manifest.yml ${where} needs a title`);
  const description = m.description;
  if (!((typeof description === 'string' && description.trim() !== '') || (isRecord(description) && str(description.i18n) !== null))) {
    throw new Error(`manifest.yml ${where} needs a description`);
  }
  if (typeof m.thumbnail !== 'string' || !/^https?:\/\/\S+$/.test(m.thumbnail)) throw new Error(`manifest.yml ${where} needs a thumbnail: the absolute URL of its icon`);
  if (m.render !== undefined) throw new Error(`manifest.yml ${where} uses UI Kit (render), which the local platform does not host`);
  if (!str(m.resource)) throw new Error(`manifest.yml ${where} needs a resource (Custom UI)`);
  if (m.refreshable !== undefined && typeof m.refreshable !== 'boolean') throw new Error(`manifest.yml ${where} refreshable must be true or false`);
  if (m.edit !== undefined) {
    const edit = onlyKeys(m.edit, ['resource', 'render'], `${where} edit`);
    if (edit.render !== undefined) throw new Error(`manifest.yml ${where} edit uses UI Kit (render), which the local platform does not host`);
    const key = str(edit.resource);
    if (!key) throw new Error(`manifest.yml ${where} edit needs a resource (Custom UI)`);
    if (!resources.has(key)) throw new Error(`module ${String(m.key)} names edit resource ${key}, which the manifest does not declare`);
  }
}

function surfacesOf(modules: Record<string, ManifestModule[]>, resources: Map<string, string>): Map<string, Surface> {
  const surfaces = new Map<string, Surface>();
  for (const type of SURFACE_TYPES) {
    for (const m of modules[type] ?? []) {
      if (!isRecord(m) || !str(m.key)) continue;
      if (type === 'jira:dashboardGadget') checkDashboardGadget(m, resources);
      // A custom field renders its edit resource; a view resource (UI Kit) is not hosted here.
      const source = type === 'jira:customField' ? (isRecord(m.edit) ? m.edit : {}) : m;
      const resourceKey = str(source.resource);
      if (!resourceKey) continue;
      const resourceDir = resources.get(resourceKey);
      if (!resourceDir) throw new Error(`module ${m.key} names resource ${resourceKey}, which the manifest does not declare`);
      const experience = type === 'jira:customField' && Array.isArray(source.experience) ? source.experience.filter((e): e is string => typeof e === 'string') : [];
      const displayCondition = m.displayConditions === undefined ? null : compileDisplayConditions(m.displayConditions, `manifest.yml ${type} ${m.key} displayConditions`);
      surfaces.set(m.key, {
        moduleKey: m.key,
        type,
        title: str(m.title) ?? str(m.name) ?? m.key,
        resourceKey,
        resourceDir,
        functionKey: isRecord(m.resolver) ? str(m.resolver.function) : null,
        experiences: experience,
        displayCondition,
        ...(type === 'jira:dashboardGadget' && isRecord(m.edit) && str(m.edit.resource) ? { editResourceKey: str(m.edit.resource) as string } : {}),
      });
    }
  }
  return surfaces;
}

/** Modules of one type, e.g. `trigger`, `consumer`, `scheduledTrigger`. */
export function modulesOf(manifest: Manifest, type: string): ManifestModule[] {
  return manifest.modules[type] ?? [];
}

/** The module with this key, whatever its type. */
export function findModule(manifest: Manifest, key: string): { type: string; module: ManifestModule } | undefined {
  for (const [type, list] of Object.entries(manifest.modules)) {
    const module = list.find((m) => m.key === key);
    if (module) return { type, module };
  }
  return undefined;
}
