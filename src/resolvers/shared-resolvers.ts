/**
 * Definitions more than one surface offers (each surface has its own function and Resolver).
 */
import type Resolver from '@forge/resolver';
import { define } from './define';
import { appContainer } from '../app/container';

export function defineMe(resolver: Resolver): void {
  define(resolver, 'me/get', async (_payload, caller) => appContainer().services().access.me(caller.accountId));
}

export function defineDestinationList(resolver: Resolver): void {
  define(resolver, 'destinations/list', async (payload) =>
    appContainer().services().destinations.list(payload.includeArchived === true, payload.withEpicCounts === true));
}
