import { advanceClockTo, clockInstalled, installClock, rewindClock, uninstallClock } from './clock';

afterEach(() => uninstallClock());

describe('site clock', () => {
  it('makes new Date() and Date.now() fall on the site day, keeping the real time of day', () => {
    const real = new Date();
    installClock('2026-03-02');
    const site = new Date();
    expect(site.toISOString().slice(0, 10)).toBe('2026-03-02');
    expect(Math.abs((site.getTime() % 86_400_000) - (real.getTime() % 86_400_000))).toBeLessThan(5_000);
    expect(Math.abs(Date.now() - site.getTime())).toBeLessThan(5_000);
  });

  it('keeps explicit dates, Date.parse and Date.UTC exact', () => {
    installClock('2026-03-02');
    expect(new Date(0).toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(new Date('2025-12-31T10:00:00Z').getTime()).toBe(Date.parse('2025-12-31T10:00:00Z'));
    expect(new Date(2024, 0, 15).getFullYear()).toBe(2024);
    expect(Date.UTC(2024, 0, 1)).toBe(1704067200000);
  });

  it('treats dates made before installation as dates', () => {
    const before = new Date();
    installClock('2026-03-02');
    expect(before instanceof Date).toBe(true);
    expect(new Date() instanceof Date).toBe(true);
  });

  it('moves time forward while installed', async () => {
    installClock('2030-01-01');
    const a = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    expect(Date.now() - a).toBeGreaterThanOrEqual(15);
  });

  it('restores the real Date on uninstall', () => {
    const realDay = new Date().toISOString().slice(0, 10);
    installClock(realDay === '2030-01-01' ? '2030-01-02' : '2030-01-01');
    uninstallClock();
    expect(new Date().toISOString().slice(0, 10)).toBe(realDay);
  });

  it('refuses a day that is not YYYY-MM-DD', () => {
    expect(() => installClock('02/03/2026')).toThrow(/YYYY-MM-DD/);
  });

  it('rewinds to an instant for seeding history, moves forward to later instants, and returns to its course', () => {
    installClock('2026-11-25');
    expect(clockInstalled()).toBe(true);
    const back = rewindClock(Date.parse('2026-08-03T09:00:00Z'));
    expect(Math.abs(Date.now() - Date.parse('2026-08-03T09:00:00Z'))).toBeLessThan(5_000);
    advanceClockTo(Date.parse('2026-09-14T16:30:00Z'));
    expect(new Date().toISOString().slice(0, 16)).toBe('2026-09-14T16:30');
    // Never backwards: an earlier instant leaves the clock where it is.
    advanceClockTo(Date.parse('2026-08-01T00:00:00Z'));
    expect(new Date().toISOString().slice(0, 10)).toBe('2026-09-14');
    back();
    expect(new Date().toISOString().slice(0, 10)).toBe('2026-11-25');
  });

  it('rewinds only backwards, and only an installed clock', () => {
    expect(clockInstalled()).toBe(false);
    expect(() => rewindClock(0)).toThrow(/installed clock/);
    installClock('2026-11-25');
    expect(() => rewindClock(Date.parse('2026-12-01T00:00:00Z'))).toThrow(/goes back only/);
  });
});
