/**
 * The benchmark's views, each one run in a fresh browser context (no cache, no storage) as one user:
 * the portfolio page, its page switch and row expansion, and an epic's issue panel.
 *
 * Every figure comes from the page itself (the probe's DOM observation, resource timing, long tasks) except
 * the answer bytes (the browser's responses to the bridge's `invoke`) and the heap (CDP), so no driver
 * round trip is inside a timing.
 */
import type { Browser, BrowserContext, Frame, Page, Response } from '@playwright/test';
import { MODULE_KEYS } from '../../src/contract';
import { probeScript, type FrameProbe, type RowChange, type ShellProbe } from './probe';

/** One run's figures, by metric name; null when the view does not have it (e.g. no second page). */
export type Sample = Record<string, number | null>;

/** Rows of the surfaces' tables (Atlaskit's DynamicTable renders a plain table). */
const ROW_SELECTOR = 'table tbody tr';
/** The rows are "all painted" once they have not changed for this long. */
const QUIET_MS = 1500;
const TIMEOUT_MS = 120_000;

export interface ViewTarget {
  url: string;
  user: string;
}

/** What the browser fetched during a view: the bridge's resolver answers and the shell's own site reads. */
class Traffic {
  private readonly pending: Array<Promise<void>> = [];
  readonly invokes: Array<{ functionKey: string; bytes: number; at: number }> = [];
  shellBytes = 0;

  constructor(page: Page) {
    page.on('response', (response) => this.pending.push(this.record(response)));
  }

  private async record(response: Response): Promise<void> {
    const url = response.url();
    const isInvoke = url.includes('/__forge/bridge/invoke');
    if (!isInvoke && !url.includes('/api/site/')) return;
    const bytes = await response.body().then((b) => b.length, () => 0);
    if (!isInvoke) {
      this.shellBytes += bytes;
      return;
    }
    const body = response.request().postDataJSON() as { functionKey?: string } | null;
    this.invokes.push({ functionKey: body?.functionKey ?? '?', bytes, at: Date.now() });
  }

  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  bytesSince(since: number): number {
    return this.invokes.filter((i) => i.at >= since).reduce((sum, i) => sum + i.bytes, 0);
  }
}

interface Session {
  context: BrowserContext;
  page: Page;
  traffic: Traffic;
}

async function openSession(browser: Browser, user: string): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript({ content: probeScript({ user, rowSelector: ROW_SELECTOR }) });
  const page = await context.newPage();
  return { context, page, traffic: new Traffic(page) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await probe().catch((e: unknown) => {
      if (e instanceof ViewError) throw e;
      return null;
    });
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A failure the page shows (not a slow page): the run stops at once, and the driver may try again. */
export class ViewError extends Error {}

/** The module's frame once the shell created it; a `ViewError` when the shell shows an error instead. */
async function surfaceFrame(page: Page, moduleKey: string): Promise<Frame | undefined> {
  const frame = page.frames().find((f) => f.url().includes(`/surface/${moduleKey}/`));
  if (frame) return frame;
  const error = await page.locator('main .error').first().textContent({ timeout: 100 }).catch(() => null);
  if (error) throw new ViewError(`the shell shows "${error}"`);
  return undefined;
}

const readFrameProbe = (frame: Frame) => frame.evaluate(() => (window as unknown as { __benchFrame?: FrameProbe }).__benchFrame ?? null);
const readShellProbe = (page: Page) => page.evaluate(() => (window as unknown as { __benchShell?: ShellProbe }).__benchShell ?? null);

/** The frame's first resolver call and the time its answer arrived (frame clock), from resource timing. */
async function firstInvoke(frame: Frame): Promise<{ sent: number; answered: number } | null> {
  return frame.evaluate(() => {
    const e = performance.getEntriesByType('resource').find((r) => r.name.includes('/__forge/bridge/invoke')) as PerformanceResourceTiming | undefined;
    return e ? { sent: e.startTime, answered: e.responseEnd } : null;
  });
}

/** JS heap in use by the page's renderer (the shell and its same-origin frames share it), in MB. */
async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1e6;
}

function longTasksUntil(shell: ShellProbe, end: number, start = 0): { count: number; ms: number } {
  const tasks = shell.longTasks.filter((t) => t.start >= start && t.start <= end);
  return { count: tasks.length, ms: tasks.reduce((sum, t) => sum + t.duration, 0) };
}

/** The moment the rows took their final form: the last change before they went quiet. */
async function rowsSettled(frame: Frame): Promise<{ probe: FrameProbe; last: RowChange }> {
  return until('the table rows to settle', async () => {
    const probe = await readFrameProbe(frame);
    const last = probe?.rowChanges.at(-1);
    if (!probe?.firstRow?.painted || !last?.painted || !probe.content) return null;
    const now = await frame.evaluate(() => performance.now());
    return now - last.dom >= QUIET_MS ? { probe, last } : null;
  });
}

/**
 * The portfolio page from a cold start (`/#/portfolio`): shell start, frame, resolver call, first row and
 * all rows of the first page painted, answer bytes, long tasks up to the last row, heap.
 */
export async function portfolioView(browser: Browser, target: ViewTarget, after?: (s: Session, frame: Frame) => Promise<Sample>): Promise<Sample> {
  const session = await openSession(browser, target.user);
  try {
    const { page, traffic } = session;
    await page.goto(`${target.url}/#/portfolio`, { waitUntil: 'commit' });
    const frame = await until('the portfolio frame', () => surfaceFrame(page, MODULE_KEYS.portfolio));
    const { probe, last } = await rowsSettled(frame);
    const shell = await until('the shell probe', () => readShellProbe(page));
    const invoke = await firstInvoke(frame);
    await traffic.settled();
    const toShell = probe.timeOrigin - shell.timeOrigin;
    const firstRow = probe.firstRow?.painted ?? null;
    const tasks = longTasksUntil(shell, (last.painted ?? last.dom) + toShell);
    const sample: Sample = {
      frameCreatedShell: shell.frameCreated.page ?? null,
      frameStartShell: toShell,
      invokeSentFrame: invoke?.sent ?? null,
      answerMs: invoke ? invoke.answered - invoke.sent : null,
      firstRowFrame: firstRow,
      firstRowShell: firstRow === null ? null : firstRow + toShell,
      allRowsFrame: last.painted,
      allRowsShell: last.painted === null ? null : last.painted + toShell,
      rows: last.count,
      answerKB: traffic.bytesSince(0) / 1024,
      shellKB: traffic.shellBytes / 1024,
      longTasks: tasks.count,
      longTaskMs: tasks.ms,
      heapMB: await heapMb(page),
    };
    return after ? { ...sample, ...(await after(session, frame)) } : sample;
  } finally {
    await session.context.close();
  }
}

/**
 * Clicks `button` in the frame and waits, inside the page, until `done` holds; returns the ms from the click
 * to the first paint after it (null when the button is not there, e.g. a site with one page of rows).
 */
async function clickAndTime(frame: Frame, button: string, done: 'next-page' | 'expanded'): Promise<{ ms: number; start: number } | null> {
  return frame.evaluate(
    ({ button, done, rowSelector, timeout }) =>
      new Promise<{ ms: number; start: number } | null>((resolve, reject) => {
        const target = document.querySelector<HTMLElement>(button);
        if (!target) return resolve(null);
        const row = target.closest('tr');
        const firstText = document.querySelector(rowSelector)?.textContent ?? '';
        const holds = (): boolean => {
          if (done === 'next-page') {
            const first = document.querySelector(rowSelector)?.textContent ?? '';
            return first !== '' && first !== firstText && !document.querySelector('[data-testid="loading"]');
          }
          // The expanded row lists its epics (or says it has none), with no spinner left in it.
          if (!row || row.querySelector('[data-testid="loading"]')) return false;
          return row.querySelector('li') !== null || /No epic serves|more you cannot see/.test(row.textContent ?? '');
        };
        const start = performance.now();
        const timer = setTimeout(() => reject(new Error(`${done}: nothing changed in ${timeout} ms`)), timeout);
        const observer = new MutationObserver(() => {
          if (!holds()) return;
          observer.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => setTimeout(() => resolve({ ms: performance.now() - start, start }), 0));
        });
        observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true });
        target.click();
      }),
    { button, done, rowSelector: ROW_SELECTOR, timeout: TIMEOUT_MS },
  );
}

/** After the portfolio settled: page 2 of the table, from the click to its rows painted. */
export async function pageSwitch(session: Session, frame: Frame): Promise<Sample> {
  const since = Date.now();
  const timed = await clickAndTime(frame, 'button[aria-label="page 2" i]', 'next-page');
  return { switchMs: timed?.ms ?? null, ...(await interactionCost(session, frame, since, timed)) };
}

/** After the portfolio settled: the first row's epics, from the click to the list painted. */
export async function expandRow(session: Session, frame: Frame): Promise<Sample> {
  const since = Date.now();
  const timed = await clickAndTime(frame, 'tbody tr button[aria-label^="Show epics of"]', 'expanded');
  return { expandMs: timed?.ms ?? null, ...(await interactionCost(session, frame, since, timed)) };
}

async function interactionCost(session: Session, frame: Frame, since: number, timed: { ms: number; start: number } | null): Promise<Sample> {
  await session.traffic.settled();
  if (!timed) return { interactionKB: null, interactionLongTaskMs: null };
  const shell = await readShellProbe(session.page);
  const probe = await readFrameProbe(frame);
  if (!shell || !probe) return { interactionKB: null, interactionLongTaskMs: null };
  const start = timed.start + probe.timeOrigin - shell.timeOrigin;
  return { interactionKB: session.traffic.bytesSince(since) / 1024, interactionLongTaskMs: longTasksUntil(shell, start + timed.ms, start).ms };
}

/**
 * The panel's frame opened on its own (`/surface/destination-panel/?issue=KEY`, no shell): the surface's
 * own cost, comparable on every site (on the big site the shell's issue view can fail, see run.ts).
 */
export async function panelAlone(browser: Browser, target: ViewTarget, epicKey: string): Promise<Sample> {
  const session = await openSession(browser, target.user);
  try {
    const { page, traffic } = session;
    const query = new URLSearchParams({ user: target.user, issue: epicKey, theme: 'light', frame: 'f1' });
    await page.goto(`${target.url}/surface/${MODULE_KEYS.panel}/?${query.toString()}`, { waitUntil: 'commit' });
    const probe = await until('the panel content', async () => {
      const p = await readFrameProbe(page.mainFrame());
      return p?.content?.painted ? p : null;
    });
    const shell = await until('the long tasks', () => readShellProbe(page));
    const invoke = await firstInvoke(page.mainFrame());
    await traffic.settled();
    const content = probe.content?.painted ?? null;
    const tasks = longTasksUntil(shell, content ?? 0);
    return {
      invokeSentFrame: invoke?.sent ?? null,
      answerMs: invoke ? invoke.answered - invoke.sent : null,
      contentFrame: content,
      answerKB: traffic.bytesSince(0) / 1024,
      longTasks: tasks.count,
      longTaskMs: tasks.ms,
      heapMB: await heapMb(page),
    };
  } finally {
    await session.context.close();
  }
}

/** An epic's issue view from a cold start (`/#/issue/KEY`): the panel's first content, not a spinner. */
export async function panelView(browser: Browser, target: ViewTarget, epicKey: string): Promise<Sample> {
  const session = await openSession(browser, target.user);
  try {
    const { page, traffic } = session;
    await page.goto(`${target.url}/#/issue/${encodeURIComponent(epicKey)}`, { waitUntil: 'commit' });
    const frame = await until('the panel frame', () => surfaceFrame(page, MODULE_KEYS.panel));
    const probe = await until('the panel content', async () => {
      const p = await readFrameProbe(frame);
      return p?.content?.painted ? p : null;
    });
    const shell = await until('the shell probe', () => readShellProbe(page));
    const invoke = await firstInvoke(frame);
    await traffic.settled();
    const toShell = probe.timeOrigin - shell.timeOrigin;
    const content = probe.content?.painted ?? null;
    const tasks = longTasksUntil(shell, (content ?? 0) + toShell);
    return {
      frameCreatedShell: shell.frameCreated.panel ?? null,
      frameStartShell: toShell,
      invokeSentFrame: invoke?.sent ?? null,
      answerMs: invoke ? invoke.answered - invoke.sent : null,
      contentFrame: content,
      contentShell: content === null ? null : content + toShell,
      answerKB: traffic.bytesSince(0) / 1024,
      shellKB: traffic.shellBytes / 1024,
      longTasks: tasks.count,
      longTaskMs: tasks.ms,
      heapMB: await heapMb(page),
    };
  } finally {
    await session.context.close();
  }
}
