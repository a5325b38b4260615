/** The admin page: destinations and settings, for Jira administrators only. */
import Resolver from '@forge/resolver';
import type { ResolverKey } from '../contract';
import { define, definitions, type Handler } from './define';
import { defineDestinationList, defineMe } from './shared-resolvers';
import { appContainer, type Services } from '../app/container';

const resolver = new Resolver();
defineMe(resolver);
defineDestinationList(resolver);

/** A definition that only Jira administrators may call: checked against Jira on every call. */
function defineAdmin<K extends ResolverKey>(key: K, run: (payload: Parameters<Handler<K>>[0], by: string, s: Services) => ReturnType<Handler<K>>): void {
  define(resolver, key, async (payload, caller) => {
    const s = appContainer().services();
    await s.access.requireAdmin(caller.accountId);
    return run(payload, caller.accountId, s);
  });
}

define(resolver, 'destinations/get', async (payload) => appContainer().services().destinations.get(payload.id));
defineAdmin('users/search', async (payload, _by, s) => s.access.searchUsers(payload.query));
defineAdmin('destinations/create', async (payload, by, s) => s.destinations.create(by, payload.draft));
defineAdmin('destinations/update', async (payload, by, s) => s.destinations.update(by, payload.id, payload.version, payload.draft));
defineAdmin('destinations/reorder', async (payload, by, s) => s.destinations.reorder(by, payload.orderedIds));
defineAdmin('destinations/archive', async (payload, by, s) => s.destinations.archive(by, payload.id, payload.version));
defineAdmin('destinations/restore', async (payload, by, s) => s.destinations.restore(by, payload.id, payload.version));
defineAdmin('destinations/delete', async (payload, by, s) => s.destinations.remove(by, payload.id, payload.version));
defineAdmin('settings/get', async (_payload, _by, s) => s.settings.get());
defineAdmin('settings/save', async (payload, _by, s) => s.settings.save(payload.settings, payload.version));
// Recalculate now: rebuilds every stored rollup in the background; the page polls the status for progress.
defineAdmin('reconcile/start', async (_payload, by, s) => {
  await s.reconcile.start(by);
  return s.reconcile.status();
});
defineAdmin('reconcile/status', async (_payload, _by, s) => s.reconcile.status());

export const adminResolver = definitions(resolver);
