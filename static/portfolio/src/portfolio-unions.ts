import { unionJql } from '../../../src/contract';

/** JQL for several destinations at once (the backend joins a verdict's destinations the same way). */
export { unionJql };

/** Status category "Done" by id: ids are the same on every site, names follow the site's language. */
const DONE_CATEGORY_ID = 3;

/** The done issues among a query's results (ORDER BY dropped, since the clause is added after it). */
export function doneJql(jql: string | undefined): string | undefined {
  const base = unionJql([jql]);
  return base === undefined ? undefined : `(${base}) AND statusCategory = ${DONE_CATEGORY_ID}`;
}
