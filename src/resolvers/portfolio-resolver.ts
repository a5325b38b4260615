/** The Business destinations global page. */
import Resolver from '@forge/resolver';
import { define, definitions } from './define';
import { defineDestinationList, defineMe } from './shared-resolvers';
import { appContainer } from '../app/container';

const resolver = new Resolver();
defineMe(resolver);
defineDestinationList(resolver);

// Aggregates are computed as the app; epic keys and summaries are cut to what the caller may browse.
define(resolver, 'portfolio/get', async (payload, caller) => appContainer().services().portfolio.get(caller.accountId, payload));

export const portfolioResolver = definitions(resolver);
