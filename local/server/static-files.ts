/**
 * Serving files from a build folder: content types, and no way out of the folder.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Resolve a URL path (still percent-encoded) inside `dir`. Returns null when it would leave the folder,
 * whatever the encoding (`..`, `%2e%2e`, `..%2f`, backslashes, NUL).
 */
export function resolveInside(dir: string, encodedRelative: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encodedRelative);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const base = path.resolve(dir);
  const target = path.resolve(base, '.' + path.posix.sep + decoded);
  if (target !== base && !target.startsWith(base + path.sep)) return null;
  return target;
}

/** Read a regular file, or null when it does not exist or is a folder. */
export async function readFileIfExists(file: string): Promise<Buffer | null> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return null;
    return await fs.readFile(file);
  } catch {
    return null;
  }
}
