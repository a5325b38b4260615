/**
 * Reads the parts of `manifest.yml` the server needs to host a surface: which module a key names, which
 * resource (build folder) it renders and which function answers its `invoke` calls.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** The module types this server can frame, with Jira's own `extension.type` names. */
export type SurfaceType = 'jira:customField' | 'jira:issuePanel' | 'jira:globalPage' | 'jira:adminPage';

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

export interface ManifestInfo {
  appId: string;
  surfaces: Map<string, Surface>;
  /** Every resource by key: absolute path of its build folder (a modal may render any of them). */
  resources: Map<string, string>;
}

const SURFACE_TYPES: readonly SurfaceType[] = ['jira:customField', 'jira:issuePanel', 'jira:globalPage', 'jira:adminPage'];

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Load the manifest under `root`; throws with a readable message when it is unusable. */
export function readManifest(root: string): ManifestInfo {
  const file = path.join(root, 'manifest.yml');
  const doc: unknown = parse(readFileSync(file, 'utf8'));
  if (!isRecord(doc) || !isRecord(doc.modules)) throw new Error(`${file} has no modules`);
  const resources = new Map<string, string>();
  for (const r of Array.isArray(doc.resources) ? doc.resources : []) {
    if (isRecord(r) && str(r.key) && str(r.path)) resources.set(r.key as string, path.resolve(root, r.path as string));
  }
  const surfaces = new Map<string, Surface>();
  for (const type of SURFACE_TYPES) {
    const list = doc.modules[type];
    if (!Array.isArray(list)) continue;
    for (const m of list) {
      if (!isRecord(m) || !str(m.key)) continue;
      // A custom field renders its edit resource; a view resource (UI Kit) is not hosted here.
      const source = type === 'jira:customField' ? (isRecord(m.edit) ? m.edit : {}) : m;
      const resourceKey = str(source.resource);
      if (!resourceKey) continue;
      const resourceDir = resources.get(resourceKey);
      if (!resourceDir) throw new Error(`module ${String(m.key)} names resource ${resourceKey}, which the manifest does not declare`);
      const experience = type === 'jira:customField' && Array.isArray(source.experience) ? source.experience.filter((e): e is string => typeof e === 'string') : [];
      const condition = isRecord(m.displayConditions) ? m.displayConditions.issueType : undefined;
      const issueTypes = typeof condition === 'string' ? [condition] : Array.isArray(condition) ? condition.filter((t): t is string => typeof t === 'string') : null;
      surfaces.set(m.key as string, {
        moduleKey: m.key as string,
        type,
        title: str(m.title) ?? str(m.name) ?? (m.key as string),
        resourceKey,
        resourceDir,
        functionKey: isRecord(m.resolver) ? str(m.resolver.function) : null,
        experiences: experience,
        issueTypes,
      });
    }
  }
  const app = isRecord(doc.app) ? doc.app : {};
  return { appId: str(app.id) ?? 'ari:cloud:ecosystem::app/local', surfaces, resources };
}
