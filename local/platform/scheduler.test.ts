import { Scheduler } from './scheduler';

describe('the scheduler settles', () => {
  it('everything by default, and with a horizon only what is due within it (the rest runs on its own when due)', async () => {
    // 1 real ms per Forge second: a task 60 Forge seconds out runs 60 ms from now.
    const scheduler = new Scheduler(1, (e) => {
      throw e;
    });
    const ran: string[] = [];
    scheduler.schedule(0, async () => {
      ran.push('now');
      // Scheduled while settling: a task 5 s out is waited for, one a minute out is not.
      scheduler.schedule(5, async () => void ran.push('soon'));
      scheduler.schedule(60, async () => void ran.push('later'));
    });
    await scheduler.settle(30);
    expect(ran).toEqual(['now', 'soon']);
    expect(scheduler.size).toBe(1);
    await scheduler.settle();
    expect(ran).toEqual(['now', 'soon', 'later']);
    expect(scheduler.size).toBe(0);
  });
});
