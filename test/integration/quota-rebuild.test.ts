/**
 * The first full rebuild on a site whose tier-2 points quota runs out half way, through the real handlers on
 * the local platform: the run pauses and re-queues itself with a delay, stays "going" while it waits, resumes
 * once the emulator's hour has passed, and publishes the same figures as a rebuild with no limit.
 */
import { generateSite } from '../../local/sites/generate-demo';
import { advanceClock } from '../../local/platform';
import type { ReconcileStatus } from '../../src/contract';
import { appContainer } from '../../src/app/container';
import { storedFigures } from '../faults/rollup-harness';
import { startTestApp, type TestApp } from '../helpers/local-app';

// Many epics with few children each: the one batch of children costs less than the hourly budget below, the
// whole rebuild more.
const SITE = generateSite({ seed: 11, epics: 150, issuesPerEpic: 1, destinations: 3 });

/** Counts and membership only: they do not depend on the day, which moving the clock by hours may change. */
async function progressFigures(app: TestApp) {
  const f = await storedFigures(app);
  return { destinations: f.destinations.map((d) => ({ id: d.id, epics: d.epics, progress: d.progress })), offRoute: f.offRoute };
}

/** The run's status as the admin page gets it, read straight from the service: polling through the resolver
 *  would spend points of the quota under test on the admin check. */
const statusOf = (app: TestApp): Promise<ReconcileStatus> => app.platform.runAsApp(() => appContainer().services().reconcile.status());

/** Polls the status until `done` says so (background steps run on the platform's timers). */
async function statusWhen(app: TestApp, done: (s: ReconcileStatus) => boolean): Promise<ReconcileStatus> {
  for (let i = 0; i < 800; i++) {
    const status = await statusOf(app);
    if (done(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the recalculation never reached the expected state');
}

jest.setTimeout(120_000);

describe('a full rebuild within the points quota', () => {
  let unlimitedPoints = 0;
  let expected: Awaited<ReturnType<typeof progressFigures>>;

  beforeAll(async () => {
    const app = await startTestApp({ ...SITE, quota: { enabled: false } });
    try {
      expected = await progressFigures(app);
    } finally {
      await app.close();
    }
    // The same build, counted: what a first build costs on this site.
    const counted = await startTestApp(SITE);
    try {
      unlimitedPoints = counted.jira.pointsSpent().total;
    } finally {
      await counted.close();
    }
  });

  it('pauses when the hour is spent, waits in the queue, resumes in the next hour and loses nothing', async () => {
    const pointsPerHour = Math.ceil(unlimitedPoints * 0.7);
    const app = await startTestApp({ ...SITE, quota: { pointsPerHour } }, { settle: false });
    try {
      const waiting = await statusWhen(app, (s) => s.run?.waitingUntil !== undefined || s.run?.phase === 'done');
      expect(waiting.run?.phase).not.toBe('done');
      expect(waiting.run?.active).toBe(true);
      expect(waiting.run?.progress).toBeLessThan(1);
      expect(waiting.current).toBeNull();
      // The reserve the rebuild leaves is there for people: the admin page still answers, through Jira's check.
      const seen = await app.data('admin', 'reconcile/status', {}, 'u-admin');
      expect(seen.run?.waitingUntil).toBe(waiting.run?.waitingUntil);
      const waitingUntil = Date.parse(waiting.run?.waitingUntil ?? '');
      // Jira's Retry-After runs to the end of the hour: further than a queue event can be delayed.
      expect(waitingUntil - Date.now()).toBeGreaterThan(0);
      expect(app.jira.pointsSpent().total).toBeLessThanOrEqual(pointsPerHour + 101);
      const delays = app.platform.queue.pushed.filter((p) => p.delayInSeconds !== undefined).map((p) => p.delayInSeconds);
      expect(delays.length).toBeGreaterThan(0);
      for (const d of delays) expect(d).toBeLessThanOrEqual(900);

      // Hop through the hours until the run is done: the queue brings the step back, the clock moves on.
      let hours = 0;
      let status = waiting;
      while (status.run?.phase !== 'done') {
        expect(status.run?.active).toBe(true);
        expect(status.run?.phase).not.toBe('failed');
        const until = Date.parse(status.run?.waitingUntil ?? '');
        if (until > Date.now()) advanceClock(until - Date.now() + 1000);
        hours += 1;
        expect(hours).toBeLessThan(5);
        status = await statusWhen(app, (s) => s.run?.phase === 'done' || s.run?.phase === 'failed' || (s.run?.waitingUntil !== undefined && Date.parse(s.run.waitingUntil) > Date.now()));
      }
      await app.platform.settle();
      expect(status.current?.epics).toBe(150);
      expect(hours).toBeGreaterThanOrEqual(1);
      expect(app.platform.errors).toEqual([]);
      expect(await progressFigures(app)).toEqual(expected);
    } finally {
      await app.close();
    }
  });

  it('shows an estimate of the end once a batch of children is read', async () => {
    const pointsPerHour = Math.ceil(unlimitedPoints * 0.7);
    const app = await startTestApp({ ...SITE, quota: { pointsPerHour } }, { settle: false });
    try {
      const status = await statusWhen(app, (s) => s.run?.estimatedFinishAt !== undefined || s.run?.phase === 'done');
      expect(status.run?.phase).not.toBe('done');
      const finish = Date.parse(status.run?.estimatedFinishAt ?? '');
      expect(finish).toBeGreaterThan(Date.now());
      // The rest cannot be read before the hour is over.
      if (status.run?.waitingUntil) expect(finish).toBeGreaterThanOrEqual(Date.parse(status.run.waitingUntil));
    } finally {
      // Let the run finish so nothing of it reaches the next test's platform.
      for (let i = 0; i < 5; i++) {
        const s = await statusOf(app);
        if (s.run?.phase === 'done' || s.run?.phase === 'failed') break;
        if (s.run?.waitingUntil) advanceClock(Math.max(0, Date.parse(s.run.waitingUntil) - Date.now()) + 1000);
        await statusWhen(app, (x) => x.run?.phase === 'done' || x.run?.phase === 'failed' || (x.run?.waitingUntil !== undefined && Date.parse(x.run.waitingUntil) > Date.now()));
      }
      await app.close();
    }
  });
});
