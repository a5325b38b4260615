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
export type SurfaceType = 'jira:customField' | 'jira:issuePanel' | 'jira:globalPage' | 'jira:adminPage';
const SURFACE_TYPES: readonly SurfaceType[] = ['jira:customField', 'jira:issuePanel', 'jira:globalPage', 'jira:adminPage'];

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
  /** `displayConditions.issueType` (issue panel): the issue types Jira shows it on; null = all. */
  issueTypes: string[] | null;
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
  };
}

function surfacesOf(modules: Record<string, ManifestModule[]>, resources: Map<string, string>): Map<string, Surface> {
  const surfaces = new Map<string, Surface>();
  for (const type of SURFACE_TYPES) {
    for (const m of modules[type] ?? []) {
      if (!isRecord(m) || !str(m.key)) continue;
      // A custom field renders its edit resource; a view resource (UI Kit) is not hosted here.
      const source = type === 'jira:customField' ? (isRecord(m.edit) ? m.edit : {}) : m;
      const resourceKey = str(source.resource);
      if (!resourceKey) continue;
      const resourceDir = resources.get(resourceKey);
      if (!resourceDir) throw new Error(`module ${m.key} names resource ${resourceKey}, which the manifest does not declare`);
      const experience = type === 'jira:customField' && Array.isArray(source.experience) ? source.experience.filter((e): e is string => typeof e === 'string') : [];
      const condition = isRecord(m.displayConditions) ? m.displayConditions.issueType : undefined;
      const issueTypes = typeof condition === 'string' ? [condition] : Array.isArray(condition) ? condition.filter((t): t is string => typeof t === 'string') : null;
      surfaces.set(m.key, {
        moduleKey: m.key,
        type,
        title: str(m.title) ?? str(m.name) ?? m.key,
        resourceKey,
        resourceDir,
        functionKey: isRecord(m.resolver) ? str(m.resolver.function) : null,
        experiences: experience,
        issueTypes,
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
