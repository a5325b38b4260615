/** The bundle-budget check counts what first paint loads: static imports, never `import()` chunks. */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { absoluteAssetRefs, allScripts, entryFiles, firstPaintFiles, measure, staticImportsOf } from './bundle-budget';

describe('bundle budget', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bundle-budget-'));
    mkdirSync(path.join(dir, 'assets'));
    const files: Record<string, string> = {
      'index.html':
        '<!doctype html><html><head><script type="module" crossorigin src="./assets/index-a.js"></script>' +
        '<link rel="modulepreload" crossorigin href="./assets/runtime-b.js"><link rel="stylesheet" href="./assets/index.css"></head></html>',
      'assets/index-a.js': 'import{a as e}from"./runtime-b.js";import"./side-c.js";const f=()=>e(()=>import("./lazy-d.js"),[]);export{f};',
      'assets/runtime-b.js': 'export const a=1;',
      'assets/side-c.js': 'export*from"./deep-e.js";',
      'assets/deep-e.js': 'export const x="from \\"./not-a-module.js\\"";',
      'assets/lazy-d.js': 'import{a}from"./runtime-b.js";export const big="'.padEnd(5000, 'x') + '";',
      'assets/index.css': 'body{}',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds static imports and side-effect imports but not dynamic import()', () => {
    expect(staticImportsOf('import{a as e,b}from"./x.js";import"./y.js";import("./z.js");export*from"./w.js"').sort()).toEqual([
      './w.js',
      './x.js',
      './y.js',
    ]);
  });

  it('counts the entry, its modulepreloads and their static imports, not lazily loaded chunks or CSS', () => {
    expect(firstPaintFiles(dir)).toEqual(['assets/deep-e.js', 'assets/index-a.js', 'assets/runtime-b.js', 'assets/side-c.js']);
  });

  it('counts as the entry step only the module script and its static imports, not the preloaded page code', () => {
    const two = mkdtempSync(path.join(tmpdir(), 'bundle-budget-entry-'));
    try {
      mkdirSync(path.join(two, 'assets'));
      writeFileSync(
        path.join(two, 'index.html'),
        '<script type="module" src="./assets/index-a.js"></script><link rel="modulepreload" href="./assets/app-b.js">',
      );
      writeFileSync(path.join(two, 'assets/index-a.js'), 'import{c}from"./bridge-c.js";c(()=>import("./app-b.js"));');
      writeFileSync(path.join(two, 'assets/bridge-c.js'), 'export const c=(f)=>f();');
      writeFileSync(path.join(two, 'assets/app-b.js'), 'import"./vendor-d.js";import"./bridge-c.js";');
      writeFileSync(path.join(two, 'assets/vendor-d.js'), 'export const react="'.padEnd(5000, 'x') + '";');
      expect(entryFiles(two)).toEqual(['assets/bridge-c.js', 'assets/index-a.js']);
      expect(firstPaintFiles(two)).toEqual(['assets/app-b.js', 'assets/bridge-c.js', 'assets/index-a.js', 'assets/vendor-d.js']);
      const f = measure('two steps', two);
      expect(f.entry.files).toBe(2);
      expect(f.entry.rawBytes).toBeLessThan(100);
      expect(f.rawBytes).toBeGreaterThan(5000);
    } finally {
      rmSync(two, { recursive: true, force: true });
    }
  });

  it('sums the gzip size of those files', () => {
    const f = measure('fixture', dir);
    expect(f.files).toBe(4);
    expect(f.gzipBytes).toBeGreaterThan(0);
    // The 5 kB lazy chunk is left out: the figure stays far below it.
    expect(f.rawBytes).toBeLessThan(300);
    expect(f.gzipBytes).toBe(
      ['assets/deep-e.js', 'assets/index-a.js', 'assets/runtime-b.js', 'assets/side-c.js']
        .map((n) => gzipSync(readFileSync(path.join(dir, n)), { level: 9 }).length)
        .reduce((a, b) => a + b, 0),
    );
  });

  it('finds asset references that are not relative, which Forge would not serve', () => {
    expect(absoluteAssetRefs(dir)).toEqual([]);
    const bad = mkdtempSync(path.join(tmpdir(), 'bundle-budget-abs-'));
    try {
      mkdirSync(path.join(bad, 'assets'));
      writeFileSync(path.join(bad, 'index.html'), '<script type="module" src="/assets/index-a.js"></script>');
      writeFileSync(path.join(bad, 'assets/index-a.js'), 'import{a}from"/assets/b.js";const l=()=>import(`/assets/c.js`);');
      expect(absoluteAssetRefs(bad)).toEqual(['index.html: /assets/index-a.js', 'assets/index-a.js: /assets/b.js', 'assets/index-a.js: /assets/c.js']);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('reports the total with lazily loaded chunks apart from the budgeted first paint', () => {
    expect(allScripts(dir)).toEqual(['assets/deep-e.js', 'assets/index-a.js', 'assets/lazy-d.js', 'assets/runtime-b.js', 'assets/side-c.js']);
    const f = measure('fixture', dir);
    expect(f.total.files).toBe(5);
    expect(f.total.rawBytes).toBeGreaterThan(5000);
    expect(f.total.gzipBytes).toBe(
      allScripts(dir)
        .map((n) => gzipSync(readFileSync(path.join(dir, n)), { level: 9 }).length)
        .reduce((a, b) => a + b, 0),
    );
  });
});
