/**
 * Theme bootstrap: the host is asked for theming at once (common/early.ts); this loads Atlaskit's token
 * themes in the colour mode the Forge context carries, so light and dark both render with design tokens.
 */
import type { FullContext } from '@forge/bridge';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';

type ColorMode = 'light' | 'dark' | 'auto';

export function colorModeOf(context: Pick<FullContext, 'theme'> | null): ColorMode {
  const mode = context?.theme?.colorMode;
  return mode === 'light' || mode === 'dark' || mode === 'auto' ? mode : 'auto';
}

/** Loads the token themes in the context's colour mode (the host's theming starts earlier: `earlyHostTheme`). */
export async function applyTheme(context: Pick<FullContext, 'theme'> | null): Promise<void> {
  const colorMode = colorModeOf(context);
  await setGlobalTheme({ colorMode, light: 'light', dark: 'dark', spacing: 'spacing', typography: 'typography' });
}
