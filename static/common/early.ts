/**
 * The first step of every surface. A surface's entry script is small: it imports only this, `@forge/bridge`
 * and the surface's `first-data` (which asks for its data with `preload`), then loads the rest of the surface
 * (React, Atlaskit, the page) with `loadSurface`. So the data call leaves first, then the context read and
 * the host's theming, as soon as the frame has run a few kilobytes, while the browser is still fetching and
 * compiling the half megabyte of libraries the first render needs; `startApp` (common/bootstrap.tsx) then
 * takes their answers instead of asking again.
 *
 * Everything here must stay free of React and Atlaskit imports, or the entry grows back to their size
 * (`npm run check:bundles` prints the entry's figure).
 */
import { view, type FullContext } from '@forge/bridge';

let context: Promise<FullContext> | undefined;
let hostTheme: Promise<void> | undefined;

/** The frame's Forge context, read once for the whole surface: the first caller starts the read. */
export function earlyContext(): Promise<FullContext> {
  if (!context) {
    context = view.getContext();
    // Read by `startApp`, which reports its failure; nobody else may be listening yet.
    context.catch(() => undefined);
  }
  return context;
}

/**
 * The host theming the frame (`view.theme.enable`), asked for once. Hosts without theming refuse: the surface
 * then gets its tokens from `applyTheme`.
 */
export function earlyHostTheme(): Promise<void> {
  hostTheme ??= view.theme.enable().then(
    () => undefined,
    () => undefined,
  );
  return hostTheme;
}

/**
 * Loads the rest of the surface and runs it; call it after the surface's first data call has left (import
 * `first-data` before this module). A chunk that cannot be loaded (a deploy replaced the files, the network
 * dropped) leaves a sentence in the frame instead of a blank panel.
 */
export function loadSurface<M>(load: () => Promise<M>, run: (module: M) => void): void {
  void earlyContext();
  void earlyHostTheme();
  const loading = load();
  setTimeout(warmDateFormatting, 0);
  loading.then(run, () => {
    const root = document.getElementById('root');
    if (root) root.textContent = 'This part of the app could not be loaded. Reload the page to try again.';
  });
}

/**
 * The first `Intl.DateTimeFormat` of a page loads the browser's date and time-zone data: 40-90 ms measured in
 * headless Chromium on the 2-core benchmark machine, where every later formatter, of any locale, takes 1-3 ms.
 * Run while the libraries load (the thread waits for them there), after the first call has left, it takes that
 * cost off the way from the first answer to the screen; `setLocale` then builds the locale's own formatters.
 */
function warmDateFormatting(): void {
  try {
    new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(0);
  } catch {
    // A browser without Intl data formats dates as it can later; nothing to warm here.
  }
}
