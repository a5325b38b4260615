/**
 * One Vite config for the five Custom UI apps. Each surface is its own app (own `index.html`, own bundle)
 * built into the folder the manifest's `resources` name; pick it with `--mode <surface>`:
 * `vite build -c static/vite.config.mts --mode panel`. `npm run build:ui` builds all five.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const SURFACES = ['field', 'panel', 'portfolio', 'admin', 'gadget'] as const;
type Surface = (typeof SURFACES)[number];

const isSurface = (m: string): m is Surface => (SURFACES as readonly string[]).includes(m);

export default defineConfig(({ mode }) => {
  if (!isSurface(mode)) {
    throw new Error(`Pick a surface with --mode: one of ${SURFACES.join(', ')} (got "${mode}")`);
  }
  const root = resolve(import.meta.dirname, mode);
  return {
    root,
    // Forge serves each resource from its own path: assets must be referenced relatively.
    base: './',
    plugins: [react()],
    resolve: {
      alias: [
        // The Statsig client behind Atlaskit's feature flags never answers here (see common/feature-gates-off.ts).
        { find: /^@atlaskit\/feature-gate-js-client\/feature-gates$/, replacement: resolve(import.meta.dirname, 'common/feature-gates-off.ts') },
      ],
    },
    // Atlaskit reads process.env.NODE_ENV in a few places.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: resolve(root, 'build'),
      emptyOutDir: true,
      target: 'es2020',
      sourcemap: false,
      chunkSizeWarningLimit: 2000,
      // What first paint needs comes as the entry (this app's code) plus one `vendor` chunk (the libraries
      // it imports statically), both in index.html as script/modulepreload; everything else (dialogs, rarely
      // used tabs, CSV export, Select, theme files) is an `import()` chunk that imports what it shares from
      // those two, so no library is shipped twice and the vendor file's name survives app-only changes.
      // `npm run check:bundles` measures the first part against the budget.
      rolldownOptions: {
        output: {
          codeSplitting: {
            groups: [
              { name: 'vendor', test: /[\\/]node_modules[\\/]/, tags: ['$initial'], priority: 2 },
              // Select (with react-select) where it is not first-paint code: one chunk, named for what it is.
              { name: 'select', test: /[\\/]node_modules[\\/]@atlaskit[\\/](react-)?select[\\/]/, priority: 1 },
            ],
          },
        },
      },
    },
  };
});
