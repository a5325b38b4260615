/**
 * The whole portfolio one viewer may see, read the way the page reads it over several calls: every page of
 * rows (`portfolio/get`), each row's epics (`portfolio/epics`) and the off-route epics (`portfolio/off-route`),
 * every page of each list. For tests that check what a viewer is shown across all of it.
 */
import type { EpicPage, EpicRef, PayloadOf, Portfolio, ResponseOf } from '../../src/contract';
import type { TestApp } from './local-app';

export interface FullPortfolio extends Omit<Portfolio, 'destinations' | 'offRoute'> {
  destinations: Array<Portfolio['destinations'][number] & { epicDetails: EpicRef[] }>;
  offRoute: Portfolio['offRoute'] & { epics: Array<Pick<EpicRef, 'key' | 'summary' | 'projectKey'>> };
}

type Filters = NonNullable<PayloadOf<'portfolio/get'>>;

export async function fullPortfolio(app: Pick<TestApp, 'data'>, accountId: string, filters: Filters = {}): Promise<FullPortfolio> {
  const first = await app.data('portfolio', 'portfolio/get', filters, accountId);
  const rows = [...first.destinations];
  for (let page = 2; (page - 1) * first.pageSize < first.totalDestinations; page += 1) {
    rows.push(...(await app.data('portfolio', 'portfolio/get', { ...filters, page }, accountId)).destinations);
  }
  const scope = filters.projectKey !== undefined ? { projectKey: filters.projectKey } : {};
  const destinations = [];
  for (const row of rows) {
    const epicDetails: EpicRef[] = [];
    for (let offset: number | null = 0; offset !== null;) {
      const page: EpicPage<EpicRef> = await app.data('portfolio', 'portfolio/epics', { destinationId: row.id, ...scope, offset }, accountId);
      epicDetails.push(...page.epics);
      offset = page.nextOffset;
    }
    destinations.push({ ...row, epicDetails });
  }
  const offRouteEpics: FullPortfolio['offRoute']['epics'] = [];
  for (let offset: number | null = 0; offset !== null;) {
    const page: ResponseOf<'portfolio/off-route'> = await app.data('portfolio', 'portfolio/off-route', { ...scope, offset }, accountId);
    offRouteEpics.push(...page.epics);
    offset = page.nextOffset;
  }
  return { ...first, destinations, offRoute: { ...first.offRoute, epics: offRouteEpics } };
}
