/**
 * Theme bootstrap: ask the host for theming, then load Atlaskit's token themes in the colour mode the
 * Forge context carries, so light and dark both render with design tokens.
 */
import { view, type FullContext } from '@forge/bridge';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';

type ColorMode = 'light' | 'dark' | 'auto';

export function colorModeOf(context: Pick<FullContext, 'theme'> | null): ColorMode {
  const mode = context?.theme?.colorMode;
  return mode === 'light' || mode === 'dark' || mode === 'auto' ? mode : 'auto';
}

/** Asks the host to theme the frame; needs no context, so it can start before the context is read. */
export async function enableHostTheme(): Promise<void> {
  try {
    await view.theme.enable();
  } catch {
    // Hosts without theming still get tokens from `applyTheme`.
  }
}

/** Loads the token themes in the context's colour mode (call `enableHostTheme` too, before or alongside). */
export async function applyTheme(context: Pick<FullContext, 'theme'> | null): Promise<void> {
  const colorMode = colorModeOf(context);
  await setGlobalTheme({ colorMode, light: 'light', dark: 'dark', spacing: 'spacing', typography: 'typography' });
}
