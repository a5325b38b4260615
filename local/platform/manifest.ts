/**
 * The parts of `manifest.yml` the local platform acts on. The manifest is the source of truth for which
 * function serves which module, so nothing here is configured twice.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { EntityDefinition } from '../kvs/kvs-emulator';

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

export interface Manifest {
  modules: Record<string, ManifestModule[]>;
  functions: ManifestFunction[];
  entities: EntityDefinition[];
  appId?: string;
  scopes: string[];
}

function asArray<T>(x: unknown): T[] {
  return Array.isArray(x) ? (x as T[]) : [];
}

export function readManifest(root: string): Manifest {
  const file = join(root, 'manifest.yml');
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
  const rawModules = (doc?.modules ?? {}) as Record<string, unknown>;
  const modules: Record<string, ManifestModule[]> = {};
  for (const [type, list] of Object.entries(rawModules)) {
    if (type !== 'function') modules[type] = asArray<ManifestModule>(list);
  }
  const app = (doc?.app ?? {}) as { id?: string; storage?: { entities?: unknown } };
  const permissions = (doc?.permissions ?? {}) as { scopes?: unknown };
  return {
    modules,
    functions: asArray<ManifestFunction>(rawModules.function),
    entities: asArray<EntityDefinition>(app.storage?.entities),
    appId: app.id,
    scopes: asArray<string>(permissions.scopes),
  };
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
