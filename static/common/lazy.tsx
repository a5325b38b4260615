/**
 * Code the first screen does not need (dialogs, rarely used tabs, CSV export, pop-ups, pickers) is loaded
 * with `import()` when it is first shown, so each surface's first script stays small (the bundle budget,
 * `npm run check:bundles`, counts only what first paint loads). A chunk can fail to load (network, a
 * deployment replaced the files): `lazyPart` marks that failure and `LazyPart` shows it as a message with
 * a way out, never a blank page.
 */
import { Component, lazy, Suspense, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import { router } from '@forge/bridge';
import SectionMessage, { SectionMessageAction } from '@atlaskit/section-message';

/** A lazily loaded chunk that did not arrive. */
export class ChunkLoadError extends Error {
  constructor(what: string, cause: unknown) {
    super(`The code for ${what} could not be loaded.`);
    this.name = 'ChunkLoadError';
    this.cause = cause;
  }
}

/** Load a chunk, turning any failure into a `ChunkLoadError` naming what it was for. */
export function loadChunk<T>(what: string, load: () => Promise<T>): Promise<T> {
  return load().catch((e: unknown) => {
    throw new ChunkLoadError(what, e);
  });
}

/**
 * `React.lazy` for a named export: `lazyPart('the settings', () => import('./settings-tab'), 'SettingsTab')`.
 * Render it inside `LazyPart` (or another `ChunkBoundary`), which shows the failure.
 */
export function lazyPart<M, K extends keyof M>(what: string, load: () => Promise<M>, name: K) {
  // Props are the component's own; React.lazy's element type needs any for the default-export wrapper.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return lazy(() => loadChunk(what, load).then((m) => ({ default: m[name] as ComponentType<any> }))) as unknown as M[K];
}

/** Reload the page: a chunk that failed once is not asked for again by the browser until then. */
export const reloadPage = (): void => {
  void router.reload().catch(() => window.location.reload());
};

export const chunkFailureText = (error: unknown): string =>
  error instanceof ChunkLoadError
    ? `${error.message} Check your connection, then reload the page.`
    : 'This part of the page stopped working. Reload the page to try again.';

interface BoundaryProps {
  children: ReactNode;
  /** Shown instead of the error message (for a part whose absence loses nothing, such as a tooltip). */
  onError?: ReactNode;
}

/** Catches a failed chunk (or anything else thrown while rendering below it) and says so. */
export class ChunkBoundary extends Component<BoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error: error ?? new Error('unknown') };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    // For whoever opens the console; the person sees the message below.
    console.error('A part of the page failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (error === undefined) return this.props.children;
    if (this.props.onError !== undefined) return this.props.onError;
    return (
      <SectionMessage
        appearance="error"
        title="Part of this page could not be shown"
        actions={[
          <SectionMessageAction key="reload" onClick={reloadPage}>
            Reload the page
          </SectionMessageAction>,
        ]}
      >
        <p data-testid="chunk-failure">{chunkFailureText(error)}</p>
      </SectionMessage>
    );
  }
}

/** A lazily loaded part: `fallback` while its code loads, a clear message if it cannot be loaded. */
export function LazyPart({ children, fallback, onError }: { children: ReactNode; fallback: ReactNode; onError?: ReactNode }) {
  return (
    <ChunkBoundary onError={onError}>
      <Suspense fallback={fallback}>{children}</Suspense>
    </ChunkBoundary>
  );
}
