/** The admin page: destinations and settings, for Jira administrators only. */
import Resolver from '@forge/resolver';
import { define } from './define';
import { defineDestinationList, defineMe } from './shared-resolvers';
import { requireAdmin, services } from './wiring';

const resolver = new Resolver();
defineMe(resolver);
defineDestinationList(resolver);

define(resolver, 'users/search', async (payload, caller) => {
  const { jira } = services();
  await requireAdmin(jira, caller.accountId);
  return payload.query === '' ? [] : jira.searchUsers(payload.query);
});

define(resolver, 'destinations/get', async (payload) => services().destinations.get(payload.id));

define(resolver, 'destinations/create', async (payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  return s.destinations.create(caller.accountId, payload.draft);
});

define(resolver, 'destinations/update', async (payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  return s.destinations.update(caller.accountId, payload.id, payload.version, payload.draft);
});

define(resolver, 'destinations/reorder', async (payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  return s.destinations.reorder(caller.accountId, payload.orderedIds);
});

define(resolver, 'destinations/archive', async (payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  return s.destinations.archive(caller.accountId, payload.id, payload.version);
});

define(resolver, 'destinations/restore', async (payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  return s.destinations.restore(caller.accountId, payload.id, payload.version);
});

define(resolver, 'destinations/delete', async (payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  return s.destinations.remove(payload.id, payload.version);
});

// Recalculate now: rebuilds every stored rollup in the background; the page polls the status for progress.
define(resolver, 'reconcile/start', async (_payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  await s.reconcile.start(caller.accountId);
  return s.reconcile.status();
});

define(resolver, 'reconcile/status', async (_payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  return s.reconcile.status();
});

define(resolver, 'settings/get', async (_payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  return s.settings.get();
});

define(resolver, 'settings/save', async (payload, caller) => {
  const s = services();
  await requireAdmin(s.jira, caller.accountId);
  return s.settings.save(payload.settings, payload.version);
});

export const adminResolver = resolver.getDefinitions();
