/// <reference lib="dom" />
/**
 * What the benchmark injects into every frame (`context.addInitScript`, before any of the page's scripts):
 * DOM observation only, so the production bundles run unmodified.
 *
 * - In the shell (the top frame): the viewer is chosen the way the shell's user picker remembers it
 *   (`localStorage['forge-local:user']`), long tasks are collected (the top frame's observer also sees the
 *   long tasks of its same-origin frames, which share its event loop), and the creation of each surface
 *   iframe is timed.
 * - In a surface frame: a MutationObserver times the first table row, every change of the rows (count,
 *   first or last row's text) and the first content that is not a loading spinner, each as "in the DOM" and as "painted" (the first task after the
 *   next animation frame, when the frame's pixels have been produced).
 *
 * Times are `performance.now()` of the frame that took them; the driver converts them with each frame's
 * `performance.timeOrigin` (its navigation start).
 */

export interface RowChange {
  count: number;
  dom: number;
  painted: number | null;
  /** The first row's text, to tell one page of the table from the next. */
  firstRowText: string;
}

export interface FrameProbe {
  timeOrigin: number;
  firstRow: { dom: number; painted: number | null } | null;
  rowChanges: RowChange[];
  /** The first time `#root` shows something other than a loading spinner (`data-testid="loading"`). */
  content: { dom: number; painted: number | null } | null;
}

export interface ShellProbe {
  timeOrigin: number;
  frameCreated: Record<string, number>;
  longTasks: Array<{ start: number; duration: number; name: string }>;
}

/** Runs in the browser: keep it self-contained (its source text is sent). */
function installProbe(options: { user: string; rowSelector: string }): void {
  const w = window as unknown as { __benchFrame?: FrameProbe; __benchShell?: ShellProbe };
  const afterPaint = (set: (t: number) => void): void => {
    requestAnimationFrame(() => setTimeout(() => set(performance.now()), 0));
  };

  if (window === window.top) {
    try {
      localStorage.setItem('forge-local:user', options.user);
    } catch {
      // A page without storage (about:blank) has no shell to tell.
    }
    const shell: ShellProbe = { timeOrigin: performance.timeOrigin, frameCreated: {}, longTasks: [] };
    w.__benchShell = shell;
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) shell.longTasks.push({ start: e.startTime, duration: e.duration, name: e.name });
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      // No long task API: the figures say 0.
    }
    new MutationObserver(() => {
      for (const f of Array.from(document.querySelectorAll('iframe[data-role]'))) {
        const role = f.getAttribute('data-role') ?? '';
        if (!(role in shell.frameCreated)) shell.frameCreated[role] = performance.now();
      }
    }).observe(document, { childList: true, subtree: true });
  }
  // A surface, in the shell's frame or opened on its own (`/surface/<module>/`).
  if (!location.pathname.startsWith('/surface/')) return;

  const probe: FrameProbe = { timeOrigin: performance.timeOrigin, firstRow: null, rowChanges: [], content: null };
  w.__benchFrame = probe;
  let lastCount = 0;
  let lastFirst = '';
  let lastLast = '';
  new MutationObserver(() => {
    const now = performance.now();
    const rows = document.querySelectorAll(options.rowSelector);
    const first = rows[0]?.textContent?.trim() ?? '';
    // The table renders its first rows in full and the rest a moment later: the last row's text tells when.
    const last = rows[rows.length - 1]?.textContent?.trim() ?? '';
    if (first && !probe.firstRow) {
      const mark: { dom: number; painted: number | null } = { dom: now, painted: null };
      probe.firstRow = mark;
      afterPaint((t) => (mark.painted = t));
    }
    if (rows.length !== lastCount || first !== lastFirst || last !== lastLast) {
      lastCount = rows.length;
      lastFirst = first;
      lastLast = last;
      const change: RowChange = { count: rows.length, dom: now, painted: null, firstRowText: first };
      probe.rowChanges.push(change);
      afterPaint((t) => (change.painted = t));
    }
    const root = document.getElementById('root');
    if (!probe.content && root?.textContent?.trim() && !root.querySelector('[data-testid="loading"]')) {
      const mark: { dom: number; painted: number | null } = { dom: now, painted: null };
      probe.content = mark;
      afterPaint((t) => (mark.painted = t));
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });
}

/**
 * The init script's source. tsx compiles the driver with esbuild's keepNames, which wraps inner functions
 * in `__name(...)`; the page gets a harmless `__name` first (the driver's `evaluate` calls need it too).
 */
export function probeScript(options: { user: string; rowSelector: string }): string {
  return `globalThis.__name ??= (f) => f;\n(${installProbe.toString()})(${JSON.stringify(options)});`;
}
