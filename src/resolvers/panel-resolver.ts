/** The Destination issue panel on epics. */
import Resolver from '@forge/resolver';
import { define, definitions, type Caller } from './define';
import { AppError } from '../domain/errors';
import { defineDestinationList } from './shared-resolvers';
import { appContainer } from '../app/container';

const resolver = new Resolver();
defineDestinationList(resolver);

/**
 * The issue a call is about: the payload's, or else the issue Jira framed the panel on (`extension.issue`, set
 * by Jira for an issue panel, never by the browser), so the panel can ask before it has read its context.
 */
function issueKeyOf(payload: { issueKey?: string | undefined }, caller: Caller): string {
  if (payload.issueKey !== undefined) return payload.issueKey;
  const issue = caller.extension.issue;
  const key = typeof issue === 'object' && issue !== null ? (issue as { key?: unknown }).key : undefined;
  if (typeof key === 'string' && key !== '') return key;
  throw new AppError('INVALID_INPUT', 'Name the issue (issueKey): this view does not show one.', 'issueKey');
}

define(resolver, 'epic/alignment', async (payload, caller) =>
  appContainer().services().epic.alignment(caller.accountId, issueKeyOf(payload, caller)));

// Edit permission on the epic is checked inside the service, against Jira, for this caller.
define(resolver, 'epic/set-destination', async (payload, caller) =>
  appContainer().services().epic.setDestination(caller.accountId, payload.issueKey, payload.destinationId));

// The trip of the destination this epic serves; the caller must be able to browse the epic (checked as them).
define(resolver, 'epic/trip-history', async (payload, caller) => appContainer().services().history.epicHistory(caller.accountId, payload.issueKey));
// The epic is read as the caller: a concern can only come from an epic they may browse.
define(resolver, 'epic/voices', async (payload, caller) => appContainer().services().voices.epicVoices(caller.accountId, payload.issueKey));
define(resolver, 'concern/raise', async (payload, caller) => appContainer().services().voices.raise(caller.accountId, payload.issueKey, payload.text));

export const panelResolver = definitions(resolver);
