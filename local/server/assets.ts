/**
 * Browser code the server hands out: the bridge and the shell (bundled from TypeScript with esbuild once
 * per server), and Atlaskit's design-token CSS for light and dark.
 */
import path from 'node:path';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// A plain CommonJS require: `import()` of these files differs between tsx, jest and Playwright's loader
// (one or two `default` layers), and the theme modules are CommonJS anyway.
const requireFromHere = createRequire(path.join(__dirname, 'assets.ts'));

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return file.text;
}

export function bundleBridge(): Promise<string> {
  return bundle(path.join(__dirname, '..', 'browser', 'bridge.ts'));
}

export function bundleShell(): Promise<string> {
  return bundle(path.join(__dirname, 'shell', 'shell.ts'));
}

// The themes the shell and `view.theme.enable()` need; the data-theme attribute names each of them.
const THEMES = ['atlassian-light', 'atlassian-dark', 'atlassian-spacing', 'atlassian-typography', 'atlassian-shape'];

/**
 * Atlaskit ships each theme as a JS module exporting its CSS text (what `setGlobalTheme` loads at run
 * time); read those so the shell and the surfaces get the same variables Jira pages have.
 */
export function tokensCss(): Promise<string> {
  const parts: string[] = [];
  for (const theme of THEMES) {
    const specifier = `@atlaskit/tokens/dist/cjs/artifacts/themes/${theme}.js`;
    try {
      const mod: unknown = requireFromHere(specifier);
      const css = typeof mod === 'object' && mod !== null && 'default' in mod ? (mod as { default: unknown }).default : null;
      if (typeof css === 'string') parts.push(css);
    } catch {
      // An Atlaskit upgrade may move a theme; the others still render, with token fallbacks for the rest.
      parts.push(`/* ${theme} not found in @atlaskit/tokens */`);
    }
  }
  return Promise.resolve(parts.join('\n'));
}
