import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { chanceText, formatAge, formatDate, formatNumber, formatPercent, localiseDates, offsetText, parseTypedDate, sentence, setLocale } from './format';

afterEach(() => setLocale(undefined));

describe('parseTypedDate', () => {
  it('reads ISO dates everywhere, and the locale order otherwise', () => {
    setLocale('en_US');
    expect(parseTypedDate('2027-02-15').getDate()).toBe(15);
    expect(parseTypedDate('2/15/2027').getMonth()).toBe(1);
    setLocale('en_GB');
    expect(parseTypedDate('15/02/2027').getMonth()).toBe(1);
  });

  it('refuses a date that is not in the calendar', () => {
    setLocale('en_GB');
    expect(Number.isNaN(parseTypedDate('31/02/2027').getTime())).toBe(true);
    expect(Number.isNaN(parseTypedDate('soon').getTime())).toBe(true);
  });
});

describe('localiseDates', () => {
  it('shows the ISO dates of a backend sentence in the reader\'s locale', () => {
    setLocale('en_GB');
    expect(localiseDates('finish by 2027-02-02, on or before the target 2027-04-30.')).toBe('finish by 2 Feb 2027, on or before the target 30 Apr 2027.');
    setLocale('en_US');
    expect(localiseDates('finish by 2027-02-02.')).toBe('finish by Feb 2, 2027.');
  });

  it('leaves what is not an ISO date alone', () => {
    setLocale('en_US');
    expect(localiseDates('version 2027-1-2 stays')).toBe('version 2027-1-2 stays');
  });
});

describe('formatDate', () => {
  it('reads a calendar date without a time zone shift, and a dash for none', () => {
    setLocale('en_US');
    expect(formatDate('2027-01-01')).toBe('Jan 1, 2027');
    expect(formatDate(null)).toBe('—');
  });
});

describe('chanceText', () => {
  it('says a chance plainly at the extremes', () => {
    setLocale('en_US');
    expect(chanceText(0.724)).toBe('72% chance');
    expect(chanceText(1)).toBe('almost certain');
    expect(chanceText(0)).toBe('almost no chance');
  });
});

describe('offsetText', () => {
  it('counts days early or late, in the singular for one', () => {
    expect(offsetText({ daysEarly: 0, daysLate: 1 })).toBe('1 day late');
    expect(offsetText({ daysEarly: 134, daysLate: 0 })).toBe('134 days early');
    expect(offsetText({ daysEarly: 0, daysLate: 0 })).toBe('on the target date');
    expect(offsetText({ daysEarly: null, daysLate: null })).toBeNull();
  });
});

describe('sentence', () => {
  it('joins the phrases there are into one sentence', () => {
    expect(sentence(['likely on Feb 2', null, '72% chance'])).toBe('Likely on Feb 2; 72% chance.');
    expect(sentence([null])).toBe('');
  });
});

describe('formatters', () => {
  it('are built once per locale and options, so a table of numbers builds none after the first of each', () => {
    // Locales no other test uses, as formatters outlive a test.
    setLocale('en_IE');
    const numbers = jest.spyOn(Intl, 'NumberFormat');
    try {
      const shown = [formatNumber(1.25), formatNumber(2.5), formatNumber(3, 0), formatPercent(0.5), formatPercent(0.25), formatNumber(4, 0)];
      expect(shown).toEqual(['1.3', '2.5', '3', '50%', '25%', '4']);
      // maximumFractionDigits 1 and percent are new; 0 fraction digits was built by setLocale.
      expect(numbers).toHaveBeenCalledTimes(2);
      setLocale('de_AT');
      numbers.mockClear();
      expect(formatNumber(1.25)).toBe('1,3');
      expect(numbers).toHaveBeenCalledTimes(1);
    } finally {
      numbers.mockRestore();
    }
  });

  it('have the relative-time formatter ready once the locale is set, so the first age shown builds nothing', () => {
    const Original = Intl.RelativeTimeFormat;
    let built = 0;
    const intl = Intl as { RelativeTimeFormat: typeof Intl.RelativeTimeFormat };
    intl.RelativeTimeFormat = class extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        super(...args);
        built += 1;
      }
    };
    try {
      setLocale('en_AU');
      const atStart = built;
      expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T00:03:00Z'))).toBe('3 minutes ago');
      expect(formatAge('2026-01-01T00:00:00Z', Date.parse('2026-01-01T05:00:00Z'))).toBe('5 hours ago');
      expect([atStart, built]).toEqual([1, 1]);
    } finally {
      intl.RelativeTimeFormat = Original;
    }
  });
});
