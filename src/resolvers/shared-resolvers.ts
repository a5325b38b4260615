/**
 * Definitions more than one surface offers (each surface has its own function and Resolver).
 */
import type Resolver from '@forge/resolver';
import { define } from './define';
import { services } from './wiring';

export function defineMe(resolver: Resolver): void {
  define(resolver, 'me/get', async (_payload, caller) => {
    const { jira } = services();
    const [names, isAdmin] = await Promise.all([jira.userNames([caller.accountId]), jira.isAdmin(caller.accountId)]);
    return { accountId: caller.accountId, displayName: names.get(caller.accountId) ?? caller.accountId, isAdmin };
  });
}

export function defineDestinationList(resolver: Resolver): void {
  define(resolver, 'destinations/list', async (payload) =>
    services().destinations.list(payload.includeArchived === true, payload.withEpicCounts === true));
}
