import { readFileSync } from 'node:fs';
import { DEMO_PATH, DEMO_TODAY, demoSite } from './generate-demo';

const DAY = 86_400_000;
const shift = (date: string, days: number) => new Date(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

describe('the demo site', () => {
  it('is written to demo.json fixed on DEMO_TODAY, so tests and reports give the same answers every day', () => {
    expect(JSON.parse(readFileSync(DEMO_PATH, 'utf8'))).toEqual(JSON.parse(JSON.stringify(demoSite())));
    expect(demoSite().today).toBe(DEMO_TODAY);
  });

  it('tells the same story on another day: every date moves with today', () => {
    const fixed = demoSite();
    const later = demoSite(undefined, '2027-01-05');
    const days = 41;
    expect(later.today).toBe('2027-01-05');
    expect(later.destinations?.map((d) => [d.targetDate, d.startDate])).toEqual(fixed.destinations?.map((d) => [shift(d.targetDate, days), d.startDate && shift(d.startDate, days)]));
    expect(later.issues?.map((i) => [i.key, i.status, i.created, i.resolved])).toEqual(
      fixed.issues?.map((i) => [i.key, i.status, i.created && shift(i.created, days), i.resolved && shift(i.resolved, days)]),
    );
  });
});
