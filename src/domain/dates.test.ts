import { addDays, dateOf, diffDays, isIsoDate, startOfWeek, weeksBetween } from './dates';

describe('isIsoDate', () => {
  it('accepts a real calendar date, including 29 February of a leap year', () => {
    expect(isIsoDate('2026-11-25')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
  });

  it('refuses dates that do not exist', () => {
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-00-10')).toBe(false);
  });

  it('refuses other shapes and non-strings', () => {
    expect(isIsoDate('2026-2-3')).toBe(false);
    expect(isIsoDate('2026-11-25T00:00:00Z')).toBe(false);
    expect(isIsoDate(' 2026-11-25')).toBe(false);
    expect(isIsoDate(20261125)).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('dateOf', () => {
  it('keeps a plain date as it is', () => {
    expect(dateOf('2026-11-25')).toBe('2026-11-25');
  });

  it('takes the UTC date of a Jira instant whose offset has no colon', () => {
    expect(dateOf('2026-11-20T00:30:00.000+0100')).toBe('2026-11-19');
    expect(dateOf('2026-11-20T23:30:00.000-0200')).toBe('2026-11-21');
    expect(dateOf('2026-11-20T10:15:30Z')).toBe('2026-11-20');
  });

  it('returns null for anything unreadable', () => {
    expect(dateOf('yesterday')).toBeNull();
    expect(dateOf('2026-02-30')).toBeNull();
    expect(dateOf(undefined)).toBeNull();
  });
});

describe('date arithmetic', () => {
  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('counts whole days, positive when the second date is later', () => {
    expect(diffDays('2026-11-25', '2026-12-25')).toBe(30);
    expect(diffDays('2026-12-25', '2026-11-25')).toBe(-30);
    expect(diffDays('2026-12-20', '2027-02-17')).toBe(59);
    // A DST change in local time zones must not make a day shorter or longer.
    expect(diffDays('2026-03-28', '2026-03-30')).toBe(2);
  });

  it('counts whole weeks, rounding toward zero', () => {
    expect(weeksBetween('2026-11-01', '2026-11-07')).toBe(0);
    expect(weeksBetween('2026-11-01', '2026-11-08')).toBe(1);
    expect(weeksBetween('2026-11-08', '2026-11-01')).toBe(-1);
  });

  it('starts the week on Monday', () => {
    expect(startOfWeek('2026-11-25')).toBe('2026-11-23'); // Wednesday
    expect(startOfWeek('2026-11-23')).toBe('2026-11-23'); // Monday
    expect(startOfWeek('2026-11-29')).toBe('2026-11-23'); // Sunday
    expect(startOfWeek('2027-01-01')).toBe('2026-12-28'); // across the year
  });

  it('throws on a malformed date, since the domain only receives validated ones', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow('Not an ISO calendar date');
  });
});
