/** The Business destination dashboard gadget (view and edit). */
import Resolver from '@forge/resolver';
import { define, definitions } from './define';
import { defineDestinationList } from './shared-resolvers';
import { appContainer } from '../app/container';

const resolver = new Resolver();
// The edit view's destination select.
defineDestinationList(resolver);

// The gadget's configuration comes from the payload, not the context: the edit view asks for the card it is
// about to save as well. Aggregates are computed as the app; the card names no epic.
define(resolver, 'gadget/card', async (payload, caller) => appContainer().services().gadget.card(caller.accountId, payload.destinationId));

export const gadgetResolver = definitions(resolver);
