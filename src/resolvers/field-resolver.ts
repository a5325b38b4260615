/** The Business destination field's edit experience: the destinations to choose from. */
import Resolver from '@forge/resolver';
import { definitions } from './define';
import { defineDestinationList } from './shared-resolvers';

const resolver = new Resolver();
defineDestinationList(resolver);

export const fieldResolver = definitions(resolver);
