/** The Business destinations global page. */
import Resolver from '@forge/resolver';
import { define, definitions } from './define';
import { defineDestinationList, defineMe } from './shared-resolvers';
import { appContainer } from '../app/container';

const resolver = new Resolver();
defineMe(resolver);
defineDestinationList(resolver);

// Aggregates are computed as the app; epic keys and summaries are cut to what the caller may browse.
// The first screen's figures and one page of rows; the rest on demand, with the same viewer filtering.
define(resolver, 'portfolio/get', async (payload, caller) => appContainer().services().portfolio.get(caller.accountId, payload));
define(resolver, 'portfolio/epics', async (payload, caller) => appContainer().services().portfolio.epics(caller.accountId, payload));
define(resolver, 'portfolio/off-route', async (payload, caller) => appContainer().services().portfolio.offRoute(caller.accountId, payload));
define(resolver, 'portfolio/jql', async (payload, caller) => appContainer().services().portfolio.jql(caller.accountId, payload));
define(resolver, 'portfolio/export', async (payload, caller) => appContainer().services().portfolio.export(caller.accountId, payload));

// The trip over time: read from the stored rollups and the kept snapshots (no Jira search); epic keys cut to the caller's.
define(resolver, 'trip/history', async (payload, caller) => appContainer().services().history.history(caller.accountId, payload.destinationId));
define(resolver, 'trip/baseline', async (payload, caller) => appContainer().services().history.baseline(caller.accountId, payload.destinationId));
define(resolver, 'portfolio/scenery', async (payload, caller) => appContainer().services().history.scenery(caller.accountId, payload.projectKey));
// What people say: anyone may read; only the owner and the lead check in or answer (checked in the service).
define(resolver, 'trip/voices', async (payload, caller) => appContainer().services().voices.voices(caller.accountId, payload.destinationId));
define(resolver, 'trip/check-in', async ({ destinationId, ...draft }, caller) => appContainer().services().voices.checkIn(caller.accountId, destinationId, draft));
define(resolver, 'trip/respond', async ({ destinationId, concernId, answer, close }, caller) =>
  appContainer().services().voices.respond(caller.accountId, destinationId, concernId, answer === undefined ? { close } : { answer, close }));

export const portfolioResolver = definitions(resolver);
