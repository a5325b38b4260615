/**
 * Background builds stay out of a view's way: while a resolver runs, queue consumers (and triggers) wait at
 * their next storage or Jira call, so a view made during a long build is answered before the build ends and
 * no background write lands between the view's own calls. Ordering only; no timings are asserted.
 */
import { join } from 'node:path';
import { createFakeJira } from './__fixtures__/fake-jira';
import { createLocalPlatform, currentInvocation, ForegroundGate, type JobStats, type LocalPlatform } from './index';

const root = join(__dirname, '__fixtures__', 'app');
let platform: LocalPlatform;

beforeEach(async () => {
  // A storage call takes 1 real ms, so the consumers below are a build that takes a while, as on a big site.
  platform = await createLocalPlatform({ root, jira: createFakeJira('2026-03-02'), timeScale: 0.0001, storageLatencyMs: 1, log: () => undefined });
});

afterEach(() => platform.close());

/** Who made each storage call, in the order the emulator served them. */
function recordStorageCallers(): string[] {
  const order: string[] = [];
  const handle = platform.kvs.handle.bind(platform.kvs);
  platform.kvs.handle = (path: string, body: string | undefined) => {
    order.push(currentInvocation()?.background ? 'build' : 'view');
    return handle(path, body);
  };
  return order;
}

describe('a view during a background build', () => {
  it('is answered before the build ends, with no build step between its own calls', async () => {
    // 150 events (three pushes of Forge's 50), each a read and a write of one growing list.
    const jobIds: string[] = [];
    for (let batch = 0; batch < 3; batch += 1) {
      const items = Array.from({ length: 50 }, (_, i) => ({ n: 1000 + batch * 50 + i }));
      jobIds.push(((await platform.invoke('fixture-resolver', 'enqueue', { items }, { accountId: 'user-1' })) as { jobId: string }).jobId);
    }
    const stats = (): JobStats => {
      const total: JobStats = { success: 0, inProgress: 0, failed: 0 };
      for (const id of jobIds) {
        const job = platform.queue.getStats(id);
        total.success += job?.success ?? 0;
        total.inProgress += job?.inProgress ?? 0;
        total.failed += job?.failed ?? 0;
      }
      return total;
    };
    const order = recordStorageCallers();
    // Wait until the build is under way.
    while (!order.includes('build')) await new Promise((resolve) => setImmediate(resolve));

    const answer = await platform.invoke('fixture-resolver', 'counter', {}, { accountId: 'user-1' });
    const statsAtAnswer = stats();
    await platform.settle();

    expect(answer).toBe(1);
    // The build had not ended when the view answered...
    expect(statsAtAnswer.inProgress).toBeGreaterThan(0);
    // ...and it did not run between the view's read and its write.
    const first = order.indexOf('view');
    const last = order.lastIndexOf('view');
    expect(last - first).toBe(1);
    // Nothing was lost by waiting: every event ran once and succeeded.
    expect(stats()).toEqual({ success: 150, inProgress: 0, failed: 0 });
    expect(order.filter((o) => o === 'build')).toHaveLength(300);
  });
});

describe('ForegroundGate', () => {
  it('lets background work on at once when no resolver runs, and when the last one ends', async () => {
    const gate = new ForegroundGate(60_000);
    await gate.idle();
    const endA = gate.enter();
    const endB = gate.enter();
    let passed = false;
    const waiting = gate.idle().then(() => (passed = true));
    endA();
    endA(); // ending twice counts once
    await new Promise((resolve) => setImmediate(resolve));
    expect(passed).toBe(false);
    endB();
    await waiting;
    expect(passed).toBe(true);
    expect(gate.busy).toBe(false);
  });

  it('never holds background work longer than its limit, so a resolver waiting on it cannot starve it', async () => {
    const gate = new ForegroundGate(1);
    gate.enter();
    await gate.idle();
    expect(gate.busy).toBe(true);
  });
});
