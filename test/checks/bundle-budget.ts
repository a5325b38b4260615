/**
 * Bundle budget: the JavaScript each Custom UI surface needs for its first paint (the entry script, the page
 * code its index.html preloads, and everything those import statically, not chunks loaded later with
 * `import()`) must stay within `BUDGET_BYTES` gzipped, and the entry step alone (what runs before the first
 * calls leave) within `ENTRY_BUDGET_BYTES`. Run after `npm run build:ui`: `npx tsx test/checks/bundle-budget.ts` prints each
 * surface's first-paint figure and, for information, the total with every lazily loaded chunk (dialogs,
 * CSV export, rarely used tabs, theme files), and exits non-zero when one surface is over (or not built).
 * `npm test` runs it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** 250 kB (kB = 1000 bytes, as Vite reports sizes), gzip at level 9. */
export const BUDGET_BYTES = 250_000;
/**
 * The entry step's budget, gzip: `@forge/bridge` (about 18.5 kB) and the few modules that start the first
 * calls. An import of React or Atlaskit there would hold the calls back until half a megabyte is evaluated.
 */
export const ENTRY_BUDGET_BYTES = 30_000;
export const SURFACES = ['field', 'panel', 'portfolio', 'admin', 'gadget'] as const;

const ROOT = path.resolve(__dirname, '..', '..');

/** Relative module URLs a script imports statically (`import{a}from"./x.js"`, `import"./x.js"`, `export*from"./x.js"`). */
export function staticImportsOf(code: string): string[] {
  const found = new Set<string>();
  // A quote right after `import`/`from` is a static import; `import("./x.js")` has a parenthesis and is not.
  const pattern = /(?:^|[^\w$.])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?["'](\.{1,2}\/[^"']+)["']/g;
  for (const m of code.matchAll(pattern)) if (m[1]) found.add(m[1]);
  return [...found];
}

/** Script files (relative to the build folder) `roots` import statically, roots included, sorted. */
function withStaticImports(buildDir: string, roots: string[]): string[] {
  const seen = new Set<string>();
  const queue = roots.map((u) => path.posix.normalize(u));
  while (queue.length) {
    const file = queue.shift() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(path.join(buildDir, file), 'utf8');
    for (const spec of staticImportsOf(code)) queue.push(path.posix.join(path.posix.dirname(file), spec));
  }
  return [...seen].sort();
}

function moduleScriptsOf(buildDir: string): string[] {
  const html = readFileSync(path.join(buildDir, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script\b[^>]*\btype="module"[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1] as string);
  if (entries.length === 0) throw new Error(`${buildDir}/index.html has no module script`);
  return entries;
}

/** Files (relative to the build folder) loaded before first paint: the entry, its modulepreloads and their static imports. */
export function firstPaintFiles(buildDir: string): string[] {
  const html = readFileSync(path.join(buildDir, 'index.html'), 'utf8');
  const preloads = [...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+)"/g)].map((m) => m[1] as string);
  return withStaticImports(buildDir, [...moduleScriptsOf(buildDir), ...preloads]);
}

/**
 * The entry step (static/common/early.ts): the page's module scripts and what they import statically, all that
 * runs before the surface's first calls leave. React and Atlaskit come after, with `import()`.
 */
export function entryFiles(buildDir: string): string[] {
  return withStaticImports(buildDir, moduleScriptsOf(buildDir));
}

/** Every script in the build (relative to the build folder): first paint plus whatever `import()` may load later. */
export function allScripts(buildDir: string): string[] {
  const found: string[] = [];
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(buildDir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(name);
      else if (/\.m?js$/.test(e.name)) found.push(name);
    }
  };
  walk('');
  return found.sort();
}

/**
 * Asset references that are not relative. Forge serves each resource from a path of its own (and the local
 * server under /static/<resource>/), so `/assets/x.js` would miss; the build's `base: './'` must hold.
 * Also what keeps this check honest: it follows only relative imports.
 */
export function absoluteAssetRefs(buildDir: string): string[] {
  const html = readFileSync(path.join(buildDir, 'index.html'), 'utf8');
  const found = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)]
    .map((m) => m[1] as string)
    .filter((u) => !u.startsWith('./'))
    .map((u) => `index.html: ${u}`);
  const importPattern = /(?:^|[^\w$.])(?:import|export)\s*(?:\(\s*|[\w$*{}\s,]*?\bfrom\s*)?["'`]((?:\/|https?:)[^"'`]*)["'`]/g;
  for (const file of allScripts(buildDir)) {
    for (const m of readFileSync(path.join(buildDir, file), 'utf8').matchAll(importPattern)) found.push(`${file}: ${m[1]}`);
  }
  return found;
}

export interface Size {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export interface SurfaceFigure extends Size {
  surface: string;
  /** What runs before the first calls leave (`entryFiles`): budgeted by `ENTRY_BUDGET_BYTES`. */
  entry: Size;
  /** Everything, lazily loaded chunks included: reported, not budgeted. */
  total: Size;
}

function sizeOf(buildDir: string, files: string[]): Size {
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const f of files) {
    const data = readFileSync(path.join(buildDir, f));
    rawBytes += data.length;
    gzipBytes += gzipSync(data, { level: 9 }).length;
  }
  return { files: files.length, rawBytes, gzipBytes };
}

export function measure(surface: string, buildDir: string): SurfaceFigure {
  return {
    surface,
    ...sizeOf(buildDir, firstPaintFiles(buildDir)),
    entry: sizeOf(buildDir, entryFiles(buildDir)),
    total: sizeOf(buildDir, allScripts(buildDir)),
  };
}

const kB = (n: number): string => `${(n / 1000).toFixed(1)} kB`;

function main(): number {
  let failed = 0;
  for (const surface of SURFACES) {
    const dir = path.join(ROOT, 'static', surface, 'build');
    if (!existsSync(path.join(dir, 'index.html'))) {
      console.error(`bundle budget: static/${surface}/build is missing; run npm run build:ui first`);
      failed += 1;
      continue;
    }
    const absolute = absoluteAssetRefs(dir);
    if (absolute.length) {
      console.error(`bundle budget: ${surface} refers to assets by absolute path (keep base: './'): ${absolute.slice(0, 5).join(', ')}`);
      failed += 1;
    }
    const f = measure(surface, dir);
    const over = f.gzipBytes > BUDGET_BYTES;
    const entryOver = f.entry.gzipBytes > ENTRY_BUDGET_BYTES;
    if (over) failed += 1;
    if (entryOver) failed += 1;
    console.log(
      `bundle budget: ${surface.padEnd(9)} first paint ${kB(f.gzipBytes).padStart(9)} gzip ` +
        `(${kB(f.rawBytes)} raw, ${f.files} files) ${over ? 'OVER' : 'within'} ${kB(BUDGET_BYTES)}; ` +
        `entry ${kB(f.entry.gzipBytes)} gzip ${entryOver ? 'OVER' : 'within'} ${kB(ENTRY_BUDGET_BYTES)}; ` +
        `with lazy chunks ${kB(f.total.gzipBytes)} gzip (${kB(f.total.rawBytes)} raw, ${f.total.files} files)`,
    );
  }
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
