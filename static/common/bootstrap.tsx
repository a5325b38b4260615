/**
 * Start a surface: read the Forge context, apply locale and theme, then render. A surface asks for its data
 * before calling this (`preload` at module load), so the data call runs alongside all of it; the host's
 * theming is switched on while the context is read, since neither waits for the other.
 */
import './feature-flags';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { view, type FullContext } from '@forge/bridge';
import { token } from '@atlaskit/tokens';
import { applyTheme, enableHostTheme } from './theme';
import { setLocale } from './format';

export async function startApp(render: (context: FullContext) => React.ReactNode): Promise<void> {
  const container = document.getElementById('root');
  if (!container) throw new Error('No #root element');
  const hostTheme = enableHostTheme();
  const context = await view.getContext();
  setLocale(context.locale);
  if (context.locale) document.documentElement.lang = context.locale.replace('_', '-');
  await Promise.all([hostTheme, applyTheme(context)]);
  Object.assign(document.body.style, {
    margin: '0',
    background: token('elevation.surface'),
    color: token('color.text'),
    font: token('font.body'),
  });
  createRoot(container).render(<React.StrictMode>{render(context)}</React.StrictMode>);
}
