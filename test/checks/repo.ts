/**
 * Shared helpers for the offline Forge checks: where the repository is, how to read the manifest without
 * trusting its shape, and how to make a throw-away copy of it. Nothing here touches the network or any folder
 * outside the repository and the OS temp dir.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import YAML from 'yaml';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MANIFEST_PATH = path.join(ROOT, 'manifest.yml');

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The parsed manifest as plain JSON data: every access below has to narrow it, so a missing key fails loudly. */
export function readManifest(file: string = MANIFEST_PATH): JsonObject {
  const parsed: unknown = YAML.parse(readFileSync(file, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${file} is not a YAML mapping`);
  return parsed;
}

/** Follows a path of keys; `undefined` as soon as one is missing or the value is not an object. */
export function at(value: Json | undefined, ...keys: string[]): Json | undefined {
  let current: Json | undefined = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function objects(value: Json | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Files under `dir` (absolute) whose name matches `pattern`, as absolute paths, sorted for stable output. */
export function listFiles(dir: string, pattern: RegExp): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listFiles(full, pattern));
    else if (pattern.test(entry.name)) found.push(full);
  }
  return found.sort();
}

/**
 * A temp folder that looks like the app root to the validator: a manifest we write, plus symlinks to the real
 * `src` (handlers are resolved against it) and `static` (resources), so a mutated copy differs from the real
 * app only in the manifest text.
 */
export function makeAppCopy(manifestText: string): { dir: string; manifestPath: string; dispose: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'forge-check-'));
  symlinkSync(path.join(ROOT, 'src'), path.join(dir, 'src'), 'dir');
  symlinkSync(path.join(ROOT, 'static'), path.join(dir, 'static'), 'dir');
  const manifestPath = path.join(dir, 'manifest.yml');
  writeFileSync(manifestPath, manifestText);
  return { dir, manifestPath, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The real manifest text with one edit applied through YAML's document API (comments and order kept). */
export function editedManifest(edit: (doc: YAML.Document) => void): string {
  const doc = YAML.parseDocument(readFileSync(MANIFEST_PATH, 'utf8'));
  edit(doc);
  return doc.toString();
}

/** The real manifest without one scope. Throws if the scope was not there, so a proof cannot pass vacuously. */
export function manifestWithoutScope(scope: string): string {
  return editedManifest((doc) => {
    const scopes = doc.getIn(['permissions', 'scopes']);
    if (!YAML.isSeq(scopes)) throw new Error('permissions.scopes is not a list');
    const index = scopes.items.findIndex((item) => YAML.isScalar(item) && item.value === scope);
    if (index < 0) throw new Error(`manifest.yml does not declare ${scope}`);
    scopes.delete(index);
  });
}
