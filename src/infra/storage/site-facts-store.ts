/**
 * Site facts (the app field's id and name, the epic and standard issue type ids, the story points fields),
 * kept site-wide in KVS so a cold container does not spend two Jira requests (and the points for every field
 * and type returned) to learn them again. Jira would announce changes to them through issue type and field
 * events (`avi:jira:*:issuetype`, `avi:jira:*:field`), but those need the `manage:jira-configuration` scope,
 * which this app does not ask for (a new scope makes every site admin approve an upgrade): the entry expires
 * instead, by KVS TTL, and is read again from Jira after that.
 */
import { kvs } from '@forge/kvs';
import type { SiteFactsStore, StoredSiteFacts } from '../jira/app-jira';
import { KEY } from './keys';

/** How long a site's facts are trusted: a renamed field or a new epic type shows within the hour. */
export const SITE_FACTS_TTL_SECONDS = 3600;

export function createSiteFactsStore(): SiteFactsStore {
  return {
    // A cache: a storage hiccup means asking Jira, never a failed request.
    get: async () => (await kvs.get<StoredSiteFacts>(KEY.siteFacts).catch(() => undefined)) ?? undefined,
    set: async (facts) => {
      await kvs.set<StoredSiteFacts>(KEY.siteFacts, facts, { ttl: { value: SITE_FACTS_TTL_SECONDS, unit: 'SECONDS' } }).catch(() => undefined);
    },
  };
}
