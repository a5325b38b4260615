/** Pure helpers the UIs share (no browser needed): CSV quoting and formula defusing, typed dates. */
import { test, expect } from '@playwright/test';
import { csvCell, toCsv } from '../../static/common/csv';
import { chanceText, daysBetween, localiseDates, parseTypedDate, setLocale } from '../../static/common/format';
import { unionJql } from '../../static/portfolio/src/portfolio-unions';

test('CSV cells are quoted only when needed and formulas are defused', () => {
  expect(csvCell('plain')).toBe('plain');
  expect(csvCell('a,b')).toBe('"a,b"');
  expect(csvCell('say "hi"')).toBe('"say ""hi"""');
  expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
  expect(csvCell('=1+2')).toBe("'=1+2");
  expect(csvCell('+cmd')).toBe("'+cmd");
  expect(csvCell('-2')).toBe("'-2");
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvCell('=HYPERLINK("x","y")')).toBe('"\'=HYPERLINK(""x"",""y"")"');
  expect(csvCell(-3)).toBe('-3');
  expect(csvCell(null)).toBe('');
  expect(toCsv([['a', 1], ['b', 2]])).toBe('a,1\r\nb,2\r\n');
});

test('typed dates: ISO everywhere, and the locale order otherwise', () => {
  setLocale('en_US');
  expect(parseTypedDate('2027-02-15').getDate()).toBe(15);
  expect(parseTypedDate('2/15/2027').getMonth()).toBe(1);
  setLocale('en_GB');
  expect(parseTypedDate('15/02/2027').getMonth()).toBe(1);
  expect(Number.isNaN(parseTypedDate('31/02/2027').getTime())).toBe(true);
  expect(daysBetween('2026-12-20', '2027-02-17')).toBe(59);
});

test('ISO dates in a backend sentence are shown in the reader\'s locale', () => {
  setLocale('en_GB');
  expect(localiseDates('finish by 2027-02-02, on or before the target 2027-04-30.')).toBe('finish by 2 Feb 2027, on or before the target 30 Apr 2027.');
  setLocale('en_US');
  expect(localiseDates('finish by 2027-02-02.')).toBe('finish by Feb 2, 2027.');
  expect(localiseDates('version 2027-1-2 stays')).toBe('version 2027-1-2 stays');
});

test('a chance is said plainly at the extremes', () => {
  setLocale('en_US');
  expect(chanceText(0.724)).toBe('72% chance');
  expect(chanceText(1)).toBe('almost certain');
  expect(chanceText(0)).toBe('almost no chance');
});

test('JQL for several destinations is joined with OR and drops ORDER BY', () => {
  expect(unionJql(['parent in (A-1) ORDER BY rank', 'parent in (B-1)'])).toBe('(parent in (A-1)) OR (parent in (B-1))');
  expect(unionJql(['x = 1 order by status ASC'])).toBe('x = 1');
  expect(unionJql([undefined])).toBeUndefined();
});
