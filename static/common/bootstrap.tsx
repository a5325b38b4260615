/**
 * Start a surface once its libraries are loaded: take the context and the host's theming asked for at module
 * load (common/early.ts), apply the locale, then render. The surface's first data call left even
 * earlier (`preload` in its entry), so it runs alongside all of it.
 */
import './feature-flags';
import React from 'react';
import { createRoot } from 'react-dom/client';
import type { FullContext } from '@forge/bridge';
import { token } from '@atlaskit/tokens';
import { earlyContext, earlyHostTheme } from './early';
import { applyTheme } from './theme';
import { setLocale } from './format';

export async function startApp(render: (context: FullContext) => React.ReactNode): Promise<void> {
  const container = document.getElementById('root');
  if (!container) throw new Error('No #root element');
  const context = await earlyContext();
  setLocale(context.locale);
  if (context.locale) document.documentElement.lang = context.locale.replace('_', '-');
  // A host that themes the frame marks <html> with `data-color-mode` and brings every token (colours, spacing,
  // typography, shape) by the time `theme.enable` answers, which is what Forge documents to wait for before
  // the first render. Atlaskit's own theme files are for a host that does not: loading them anyway cost
  // another round of script loads and a restyle of the whole page in the middle of the first render.
  await earlyHostTheme();
  if (!document.documentElement.hasAttribute('data-color-mode')) await applyTheme(context);
  Object.assign(document.body.style, {
    margin: '0',
    background: token('elevation.surface'),
    color: token('color.text'),
    font: token('font.body'),
  });
  createRoot(container).render(<React.StrictMode>{render(context)}</React.StrictMode>);
}
