/**
 * What people say about a destination: the owner's and the lead's check-ins, the disagreement flag, and
 * concerns raised from its epics (`trip/voices`, `trip/check-in`, `trip/respond` on the portfolio;
 * `epic/voices`, `concern/raise` on the panel). The rules are the domain's (check-ins.ts, concerns.ts); this
 * service checks who is asking against Jira (an epic is read as the caller, which proves they may browse it),
 * resolves people's names, and hides the epic of a concern from whoever may not browse it.
 */
import type { CheckInView, ConcernItem, EpicVoices, TripVoices } from '../contract';
import { destinationIdOf } from '../domain/alignment';
import { chanceOf, checkInDue, disagreementOf, latestCheckIns, recordCheckIn, roleOf, type CheckIn, type CheckInDraft } from '../domain/check-ins';
import { concernView, raiseConcern, respondToConcern, type Concern } from '../domain/concerns';
import { AppError, fail, ok, type Result } from '../domain/errors';
import { projectOfKey } from '../domain/portfolio';
import type { Destination, Forecast } from '../domain/types';
import type { AppJira, Clock, DestinationStore, SettingsStore, UserJira, VoicesStore } from './ports';
import type { ViewerCache } from './rollup-ports';
import { mayView, viewerLookups } from './viewer-lookups';

export interface VoicesDeps {
  jira: AppJira;
  userJira: UserJira;
  destinations: DestinationStore;
  settings: SettingsStore;
  voices: VoicesStore;
  clock: Clock;
  viewers?: ViewerCache;
  /** The destination's forecast over all its epics (computed as the app), `null` before there is one. */
  forecastOf: (destinationId: string) => Promise<Forecast | null>;
}

/** A Jira summary is at most 255 characters; anything longer is not kept (it would only grow the stored value). */
const SUMMARY_KEPT = 255;

export function voicesService(deps: VoicesDeps) {
  const { voices, clock } = deps;
  const lookups = viewerLookups(deps.userJira, deps.jira, deps.viewers);
  const nowIso = () => clock.now().toISOString();

  async function destinationOf(destinationId: string): Promise<Destination> {
    const destination = await deps.destinations.get(destinationId);
    if (!destination) throw new AppError('NOT_FOUND', `Destination ${destinationId} does not exist (it may have been deleted). Reload the list.`, 'destinationId');
    return destination;
  }

  /** Concerns as `accountId` may see them: names resolved, the epic only when they may browse it. */
  async function concernItems(accountId: string, concerns: readonly Concern[], names: Map<string, string>): Promise<ConcernItem[]> {
    const epics = [...new Map(concerns.map((c) => [c.epicId, { id: c.epicId, key: c.epicKey, projectKey: projectOfKey(c.epicKey) }])).values()];
    const visibility = await lookups.issues(accountId, epics);
    const allowed = new Set(epics.filter((e) => mayView(visibility, e)).map((e) => e.id));
    const rank = (c: Concern) => (c.state === 'closed' ? 1 : 0);
    return [...concerns]
      .sort((a, b) => rank(a) - rank(b) || (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .map((c) => {
        const view = concernView(c, (epicId) => allowed.has(epicId));
        const item: ConcernItem = {
          id: view.id, destinationId: view.destinationId, text: view.text, by: view.by, byName: names.get(view.by) ?? view.by,
          at: view.at, epic: view.epic, state: view.state,
        };
        if (view.answer) item.answer = { text: view.answer.text, by: view.answer.by, byName: names.get(view.answer.by) ?? view.answer.by, at: view.answer.at };
        return item;
      });
  }

  const checkInView = (c: CheckIn, names: Map<string, string>): CheckInView => ({ ...c, byName: names.get(c.by) ?? c.by });

  async function tripVoices(accountId: string, destination: Destination, known?: { history?: CheckIn[]; concerns?: Concern[] }): Promise<TripVoices> {
    const [history, concerns, settings, forecast] = await Promise.all([
      known?.history ?? voices.checkIns(destination.id),
      known?.concerns ?? voices.concerns(destination.id),
      deps.settings.get(),
      deps.forecastOf(destination.id),
    ]);
    const people = new Set<string>([...history.map((c) => c.by), ...concerns.flatMap((c) => (c.answer ? [c.by, c.answer.by] : [c.by]))]);
    const names = await lookups.names([...people]);
    const latest = latestCheckIns(history);
    const due = checkInDue(history, clock.today(), settings.checkInCadenceWeeks);
    return {
      destinationId: destination.id,
      checkIns: history.map((c) => checkInView(c, names)),
      latest: { owner: latest.owner ? checkInView(latest.owner, names) : null, lead: latest.lead ? checkInView(latest.lead, names) : null },
      due: { ...due, cadenceWeeks: settings.checkInCadenceWeeks },
      disagreement: disagreementOf(history, chanceOf(forecast), settings),
      concerns: await concernItems(accountId, concerns, names),
      successMeasure: destination.successMeasure ?? null,
      role: roleOf(destination, accountId),
    };
  }

  /**
   * The epic as the caller reads it in Jira (proof they may browse it) and the destination it serves. A view
   * may use what the panel asked Jira as this viewer a moment ago (`epic/alignment`, kept a minute, ADR 0012);
   * raising a concern reads it afresh.
   */
  async function epicAndDestination(accountId: string, issueKey: string, fresh: boolean): Promise<{ epic: { id: string; key: string; summary: string }; destination: Destination }> {
    const kept = fresh ? undefined : (await lookups.issueAccess(accountId, issueKey))?.issue;
    const issue = kept ?? await deps.userJira.issueAsUser(await deps.jira.siteMeta(), issueKey);
    if (!issue) throw new AppError('NOT_FOUND', `Issue ${issueKey} does not exist or you do not have permission to see it.`, 'issueKey');
    if (issue.hierarchyLevel !== 1) throw new AppError('INVALID_INPUT', `${issueKey} is not an epic: concerns are raised from an epic of a destination.`, 'issueKey');
    const id = destinationIdOf(issue.destinationValue);
    const destination = typeof id === 'string' ? await deps.destinations.get(id) : undefined;
    if (!destination) throw new AppError('NOT_FOUND', `${issueKey} serves no destination, so there is nobody to say something to.`, 'issueKey');
    return { epic: { id: issue.id, key: issue.key, summary: issue.summary.slice(0, SUMMARY_KEPT) }, destination };
  }

  async function epicVoices(accountId: string, destination: Destination, concerns?: Concern[]): Promise<EpicVoices> {
    const [own, history, settings, forecast] = await Promise.all([
      concerns ?? voices.concerns(destination.id),
      voices.checkIns(destination.id),
      deps.settings.get(),
      deps.forecastOf(destination.id),
    ]);
    const latest = latestCheckIns(history);
    const mine = own.filter((c) => c.by === accountId);
    const people = [accountId, ...history.map((c) => c.by), ...mine.flatMap((c) => (c.answer ? [c.answer.by] : []))];
    const names = await lookups.names([...new Set(people)]);
    return {
      destinationId: destination.id,
      latest: { owner: latest.owner ? checkInView(latest.owner, names) : null, lead: latest.lead ? checkInView(latest.lead, names) : null },
      disagreement: disagreementOf(history, chanceOf(forecast), settings),
      openConcerns: own.filter((c) => c.state !== 'closed').length,
      mine: await concernItems(accountId, mine, names),
      canRaise: destination.status !== 'archived',
    };
  }

  return {
    async voices(accountId: string, destinationId: string): Promise<TripVoices> {
      return tripVoices(accountId, await destinationOf(destinationId));
    },

    /** The owner or the lead checks in; a second check-in the same week replaces their first. */
    async checkIn(accountId: string, destinationId: string, draft: CheckInDraft): Promise<Result<TripVoices>> {
      const destination = await destinationOf(destinationId);
      if (roleOf(destination, accountId) === null) {
        return fail('FORBIDDEN', `Only the business owner and the delivery lead of "${destination.name}" can check in on it.`);
      }
      if (draft.measure !== undefined && !destination.successMeasure) {
        return fail('INVALID_INPUT', `"${destination.name}" names no success measure, so there is no value to record.`, 'measure');
      }
      const at = nowIso();
      const saved = await voices.changeCheckIns(destinationId, (history) => recordCheckIn(history, destination, accountId, draft, at));
      if (!saved.ok) return saved;
      return ok(await tripVoices(accountId, destination, { history: saved.value }));
    },

    /** The owner or the lead answers a concern, or closes it. */
    async respond(accountId: string, destinationId: string, concernId: string, response: { answer?: string; close: boolean }): Promise<Result<TripVoices>> {
      const destination = await destinationOf(destinationId);
      if (roleOf(destination, accountId) === null) {
        return fail('FORBIDDEN', `Only the business owner and the delivery lead of "${destination.name}" can answer its concerns.`);
      }
      const at = nowIso();
      const saved = await voices.changeConcerns(destinationId, (concerns) => {
        const next = respondToConcern(concerns, destination, accountId, concernId, response, at);
        return next.ok ? ok({ concerns: next.value, value: null }) : next;
      });
      if (!saved.ok) return saved;
      return ok(await tripVoices(accountId, destination, { concerns: saved.value.concerns }));
    },

    async epicVoices(accountId: string, issueKey: string): Promise<EpicVoices> {
      const { destination } = await epicAndDestination(accountId, issueKey, false);
      return epicVoices(accountId, destination);
    },

    /** Anyone who may browse an epic raises a concern on the live destination it serves. */
    async raise(accountId: string, issueKey: string, text: string): Promise<Result<EpicVoices>> {
      const { epic, destination } = await epicAndDestination(accountId, issueKey, true);
      if (destination.status === 'archived') {
        return fail('CONFLICT', `"${destination.name}" is archived: concerns can no longer be raised on it.`);
      }
      const at = nowIso();
      const saved = await voices.changeConcerns(destination.id, (concerns) => {
        const next = raiseConcern(concerns, destination, accountId, epic, text, at);
        return next.ok ? ok({ concerns: next.value.concerns, value: next.value.concern }) : next;
      });
      if (!saved.ok) return saved;
      return ok(await epicVoices(accountId, destination, saved.value.concerns));
    },
  };
}

export type VoicesService = ReturnType<typeof voicesService>;
