/**
 * One Vite config for the five Custom UI apps. Each surface is its own app (own `index.html`, own bundle)
 * built into the folder the manifest's `resources` name; pick it with `--mode <surface>`:
 * `vite build -c static/vite.config.mts --mode panel`. `npm run build:ui` builds all five.
 */
import { resolve } from 'node:path';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const SURFACES = ['field', 'panel', 'portfolio', 'admin', 'gadget'] as const;
type Surface = (typeof SURFACES)[number];

const isSurface = (m: string): m is Surface => (SURFACES as readonly string[]).includes(m);

/**
 * A surface loads in two steps (see common/early.ts): `src/main.tsx`, the page's only script, is the bridge
 * and a few kilobytes that start the first calls, then `import('./app')` brings the rest. `src/app.tsx` is
 * also an entry of the build, so what it imports statically counts as first-paint code (`$initial`, the
 * `vendor` chunk below). This plugin lists the app chunk, its static imports and their CSS in `index.html`
 * as `modulepreload` and stylesheet links, so the browser fetches and compiles them while the entry runs,
 * and the bundle budget (which follows the page's scripts and preloads) counts them.
 */
function preloadApp(appEntry: string): Plugin {
  return {
    name: 'business-destination:preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        const app = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry && c.facadeModuleId === appEntry);
        if (!app || app.type !== 'chunk') throw new Error(`The build has no chunk for ${appEntry}`);
        const scripts: string[] = [];
        const styles = new Set<string>();
        const visit = (fileName: string): void => {
          if (scripts.includes(fileName)) return;
          const chunk = bundle[fileName];
          if (!chunk || chunk.type !== 'chunk') return;
          scripts.push(fileName);
          for (const css of chunk.viteMetadata?.importedCss ?? []) styles.add(css);
          for (const next of chunk.imports) visit(next);
        };
        visit(app.fileName);
        const present = (file: string) => html.includes(`"./${file}"`);
        const tags: HtmlTagDescriptor[] = [
          ...scripts.filter((f) => !present(f)).map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const })),
          ...[...styles].filter((f) => !present(f)).map((f) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `./${f}` }, injectTo: 'head' as const })),
        ];
        return { html, tags };
      },
    },
  };
}

export default defineConfig(({ mode }) => {
  if (!isSurface(mode)) {
    throw new Error(`Pick a surface with --mode: one of ${SURFACES.join(', ')} (got "${mode}")`);
  }
  const root = resolve(import.meta.dirname, mode);
  return {
    root,
    // Forge serves each resource from its own path: assets must be referenced relatively.
    base: './',
    plugins: [react(), preloadApp(resolve(root, 'src', 'app.tsx'))],
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
        input: { index: resolve(root, 'index.html'), app: resolve(root, 'src', 'app.tsx') },
        output: {
          codeSplitting: {
            groups: [
              // What the entry needs besides our own few modules: `@forge/bridge` and what it imports.
              { name: 'bridge', test: /[\\/]node_modules[\\/](@forge[\\/](bridge|egress|i18n)|tslib|lodash)[\\/]/, tags: ['$initial'], priority: 3 },
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
