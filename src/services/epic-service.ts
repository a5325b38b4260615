/**
 * One epic seen from its destination (the issue panel), and changing the destination it serves. Progress,
 * share and forecast come from the stored rollups (a bounded number of storage calls, whatever the size of
 * the destination). The epic itself is read from Jira as the caller (which is what proves they may browse it)
 * and kept a minute per viewer and issue with their edit right (`IssueAccess`), so a repeated view asks Jira
 * nothing; its fields are that read or the stored entry, whichever was read later. Before the first rollup
 * exists the figures are empty, with the first recalculation's progress.
 */
import type { DestinationView, EpicAlignment, EpicRef, Freshness } from '../contract';
import { destinationIdOf } from '../domain/alignment';
import { chanceOf, disagreementOfLatest } from '../domain/check-ins';
import { deletionInProgress } from '../domain/destination-rules';
import { isLive } from '../domain/epic-figures';
import { AppError, fail, ok, type Result } from '../domain/errors';
import { effectiveEstimate, estimateKeyOf } from '../domain/estimate';
import { calculatingFreshness, freshnessOf } from '../domain/freshness';
import { epicRollupOf } from '../domain/portfolio';
import { emptyProgress } from '../domain/progress';
import { runIsActive, runProgress } from '../domain/reconcile-run';
import type { Destination, Epic, EpicEntry, EpicRollup, Settings } from '../domain/types';
import type { AppJira, Clock, DestinationStore, IssueSummary, SettingsStore, UserJira, VoicesStore } from './ports';
import type { EpicReading, IssueAccess, ReconcileRun, RollupReader, ViewerCache } from './rollup-ports';
import { mayView, viewerLookups } from './viewer-lookups';

export interface EpicDeps {
  jira: AppJira;
  userJira: UserJira;
  destinations: DestinationStore;
  settings: SettingsStore;
  clock: Clock;
  rollups: RollupReader;
  currentRun?: () => Promise<ReconcileRun | undefined>;
  /** Starts the first recalculation when there is no stored rollup yet. */
  startReconcile?: () => Promise<void>;
  viewers?: ViewerCache;
  /**
   * Called after the app changes an epic's destination (its own writes raise no event it listens to): reads
   * the field back from Jira into the stored rollups, newest read wins.
   */
  onEpicChanged?: (issueId: string) => Promise<void>;
  /** Check-ins and concerns: the summary gives the disagreement flag (absent: no flag). */
  voices?: Pick<VoicesStore, 'summary'>;
}

type EpicLike = Pick<Epic, 'id' | 'key' | 'summary' | 'projectKey' | 'statusCategory'>;

export function epicService(deps: EpicDeps) {
  const { jira, userJira } = deps;
  const lookups = viewerLookups(userJira, jira, deps.viewers);

  /** What a view reads besides the issue: the stored epic, and the viewer's projects (both started early). */
  interface Prefetched {
    stored: EpicReading | undefined;
    visible: Promise<Set<string>>;
  }

  /**
   * The issue as the viewer reads it, and whether they may edit it: what a panel view asks Jira of its own
   * issue (kept a minute per viewer and issue; the rest it asks goes through the viewer cache too). `guessedId`
   * (the stored epic's id; ids never change) lets the edit check run alongside the read.
   */
  async function readAccess(accountId: string, issueKey: string, guessedId: Promise<string | undefined>): Promise<IssueAccess> {
    const readAt = deps.clock.now().getTime();
    const guessed = guessedId.then(async (id) => (id ? { id, canEdit: await userJira.canEditIssue(accountId, id) } : undefined));
    guessed.catch(() => undefined);
    const issue = await visibleIssue(issueKey);
    if (issue.hierarchyLevel !== 1) return { issue, canEdit: false, readAt };
    const edit = await guessed.catch(() => undefined);
    return { issue, canEdit: edit?.id === issue.id ? edit.canEdit : await userJira.canEditIssue(accountId, issue.id), readAt };
  }

  async function describe(accountId: string, issue: IssueSummary, canEdit: boolean, prefetched?: Prefetched): Promise<EpicAlignment> {
    const base = { key: issue.key, summary: issue.summary, projectKey: issue.projectKey, isEpic: issue.hierarchyLevel === 1 };
    if (!base.isEpic) {
      return {
        epic: base, destination: null, alignmentProblem: null, progress: emptyProgress(), share: null,
        forecast: null, siblings: [], hiddenSiblings: 0, warnings: [], canEdit: false,
      };
    }
    // Read alongside the rollups; the panel still answers (without the flag) if it cannot be read.
    const summaryRead = (deps.voices ? deps.voices.summary() : Promise.resolve(undefined)).catch((e: unknown) => {
      console.warn('could not read the check-in summary', e instanceof Error ? e.message : e);
      return undefined;
    });
    const { rollup, epics, known, freshness, settings } = await fromStore(issue, prefetched);
    const epic = { key: issue.key };

    const [visible, names, summary] = await Promise.all([
      prefetched?.visible ?? lookups.visible(accountId),
      known ? lookups.names(known.deliveryLead ? [known.businessOwner, known.deliveryLead] : [known.businessOwner]) : Promise.resolve(new Map<string, string>()),
      summaryRead,
    ]);

    const progressByEpic = new Map(rollup.destination?.perEpic.map((p) => [p.epicKey, p.progress]) ?? []);
    const others = epics.filter((e) => e.key !== epic.key);
    // Siblings under an issue security level the viewer is not in are counted, never named.
    const visibility = await lookups.issues(accountId, others, visible);
    const siblings: EpicRef[] = others
      .filter((e) => mayView(visibility, e))
      .map((e) => ({ key: e.key, summary: e.summary, projectKey: e.projectKey, statusCategory: e.statusCategory, progress: progressByEpic.get(e.key) ?? emptyProgress() }));

    let alignmentProblem: EpicAlignment['alignmentProblem'] = null;
    if (rollup.alignment.kind === 'unknown' || rollup.alignment.kind === 'archived') {
      const warning = rollup.warnings.find((w) => w.code === 'UNKNOWN_DESTINATION' || w.code === 'ARCHIVED_DESTINATION');
      alignmentProblem = {
        code: rollup.alignment.kind === 'unknown' ? 'UNKNOWN_DESTINATION' : 'ARCHIVED_DESTINATION',
        destinationId: rollup.alignment.kind === 'unknown' ? rollup.alignment.destinationId : rollup.alignment.destination.id,
        message: warning?.message ?? 'This epic points at a destination that is not live.',
      };
    }
    return {
      epic: base,
      destination: known ? viewOf(known, names) : null,
      alignmentProblem,
      progress: rollup.progress,
      share: rollup.alignment.kind === 'aligned' ? rollup.share : null,
      forecast: rollup.destination?.forecast ?? null,
      siblings,
      hiddenSiblings: others.length - siblings.length,
      warnings: rollup.warnings,
      canEdit,
      freshness,
      disagreement: known && rollup.alignment.kind === 'aligned' ? disagreementOfLatest(summary?.[known.id], chanceOf(rollup.destination?.forecast), settings) : null,
    };
  }

  interface Computed {
    rollup: EpicRollup;
    /** The epics on the same destination, this one included. */
    epics: EpicLike[];
    known: Destination | undefined;
    freshness: Freshness;
    settings: Settings;
  }

  /** From the stored rollups (the epic's own fields as just read); no figures while none is stored yet. */
  async function fromStore(issue: IssueSummary, prefetched?: Prefetched): Promise<Computed> {
    const destinationId = destinationIdOf(issue.destinationValue);
    const [stored, settings, destinations, run] = await Promise.all([
      (prefetched ? Promise.resolve(prefetched.stored) : deps.rollups.loadEpic(issue.key))
        .then((reading) => reading?.withDestination(typeof destinationId === 'string' ? destinationId : null)),
      deps.settings.get(),
      deps.destinations.list(),
      deps.currentRun ? deps.currentRun().catch(() => undefined) : Promise.resolve(undefined),
    ]);
    const now = deps.clock.now();
    const storedEntry = stored?.epics.get(issue.key);
    // The epic's fields as the caller just read them from Jira; its progress as stored.
    const epic = {
      ...(storedEntry ?? { doneWeeks: {}, unestimatedKeys: [], progress: emptyProgress(), pAt: 0 }),
      key: issue.key, id: issue.id, summary: issue.summary, projectKey: issue.projectKey, statusCategory: issue.statusCategory,
      destinationId, fAt: now.getTime(),
    };
    const { rollup, members } = epicRollupOf({
      epic,
      epics: stored ? [...stored.epics.values()].filter(isLive) : [],
      destinations,
      settings,
      today: deps.clock.today(),
      forecasts: { ...stored?.forecasts },
    });
    const known = destinationOf(epic, destinations);
    if (!stored) {
      // Never computed on view: the first recalculation (started at install, or here if none runs) fills it in.
      let running = runIsActive(run, now.getTime()) ? run : undefined;
      if (!running && deps.startReconcile) {
        await deps.startReconcile().catch(() => undefined);
        running = await deps.currentRun?.().catch(() => undefined);
      }
      return { rollup, epics: members, known, settings, freshness: calculatingFreshness(now, { progress: runProgress(running), items: running?.items ?? 0 }) };
    }
    let estimateKey: string | undefined;
    try {
      estimateKey = estimateKeyOf(effectiveEstimate(settings.estimateField, await jira.siteMeta()));
    } catch {
      estimateKey = undefined;
    }
    return {
      rollup,
      epics: members,
      known,
      settings,
      freshness: freshnessOf(stored, now, runIsActive(run, now.getTime()), estimateKey),
    };
  }

  async function beingDeleted(destinationId: string): Promise<boolean> {
    return deletionInProgress(await deps.destinations.deletionMark(destinationId), deps.clock.now().getTime());
  }

  async function visibleIssue(issueKey: string): Promise<IssueSummary> {
    const issue = await userJira.issueAsUser(await jira.siteMeta(), issueKey);
    if (!issue) throw new AppError('NOT_FOUND', `Issue ${issueKey} does not exist or you do not have permission to see it.`);
    return issue;
  }

  return {
    async alignment(accountId: string, issueKey: string): Promise<EpicAlignment> {
      const visible = lookups.visible(accountId);
      visible.catch(() => undefined);
      // Only this epic's shard now; its destination's epics once the fields say which destination it is.
      const reading = deps.rollups.loadEpic(issueKey);
      const storedId = reading.then((r) => liveEntry(r, issueKey)?.id).catch(() => undefined);
      // Jira is asked only when the viewer's answers are not kept, and then without waiting for the store.
      const asked = lookups.issueAccess(accountId, issueKey)
        .then(async (kept) => kept ? { access: kept, read: false } : { access: await readAccess(accountId, issueKey, storedId), read: true });
      const [stored, first] = await Promise.all([reading, asked]);
      let { access, read } = first;
      let issue = newestFields(access, stored?.site.epics.get(issueKey));
      if (!issue) {
        // The store read the epic after the viewer did and it moved project or went: ask Jira again, as them.
        access = await readAccess(accountId, issueKey, storedId);
        read = true;
        issue = access.issue;
      }
      const [answer] = await Promise.all([
        describe(accountId, issue, access.canEdit, { stored, visible }),
        read ? lookups.rememberIssueAccess(accountId, issueKey, access) : undefined,
      ]);
      return answer;
    },

    async setDestination(accountId: string, issueKey: string, destinationId: string | null): Promise<Result<EpicAlignment>> {
      const issue = await visibleIssue(issueKey);
      if (issue.hierarchyLevel !== 1) {
        return fail('INVALID_INPUT', `${issueKey} is not an epic: only epics serve a destination.`, 'issueKey');
      }
      if (!(await userJira.canEditIssue(accountId, issue.id))) {
        return fail('FORBIDDEN', `You do not have permission to edit ${issueKey}.`);
      }
      const settings = await deps.settings.get();
      if (settings.projectKeys.length > 0 && !settings.projectKeys.includes(issue.projectKey)) {
        return fail('INVALID_INPUT', `Project ${issue.projectKey} is outside the app's scope; a Jira administrator can add it in the app's settings.`, 'issueKey');
      }
      let value: { id: string; name: string } | null = null;
      if (destinationId !== null) {
        const destination = await deps.destinations.get(destinationId);
        if (!destination) return fail('NOT_FOUND', `Destination ${destinationId} does not exist (it may have been deleted). Reload and choose another.`, 'destinationId');
        if (destination.status !== 'active' && destinationIdOf(issue.destinationValue) !== destination.id) {
          return fail('INVALID_INPUT', `"${destination.name}" is ${destination.status}: only active destinations can be chosen.`, 'destinationId');
        }
        if (await beingDeleted(destination.id)) return deletedMeanwhile(destination.name, issueKey, false);
        value = { id: destination.id, name: destination.name };
      }
      const meta = await jira.siteMeta();
      const writtenAt = deps.clock.now().getTime();
      await jira.writeDestinationField(meta, issue.id, value);
      await deps.onEpicChanged?.(issue.id);
      if (value !== null && ((await deps.destinations.get(value.id)) === undefined || (await beingDeleted(value.id)))) {
        // A delete started meanwhile and may not have seen this epic: put the previous value back.
        await jira.writeDestinationField(meta, issue.id, fieldValueOf(issue.destinationValue));
        await deps.onEpicChanged?.(issue.id);
        return deletedMeanwhile(value.name, issueKey, true);
      }
      const moved = { ...issue, destinationValue: value };
      // The viewer's next panel view shows what they have just set, whether or not the store has it yet.
      await lookups.rememberIssueAccess(accountId, issueKey, { issue: moved, canEdit: true, readAt: writtenAt });
      return ok(await describe(accountId, moved, true));
    },
  };
}

export type EpicService = ReturnType<typeof epicService>;

/** The stored epic under `key`, unless deleted or never read; its id is the issue's (ids never change). */
function liveEntry(reading: EpicReading | undefined, key: string): EpicEntry | undefined {
  const entry = reading?.site.epics.get(key);
  return entry && isLive(entry) ? entry : undefined;
}

/**
 * The epic's fields to show: the viewer's own read, or the stored entry when the app read it later (an event
 * since), newest read wins. `undefined` when the later read says the issue went or moved to another project:
 * the viewer's right to browse it was learnt of the issue where it was, so it must be asked again (likewise an
 * issue they read as not an epic: they were never asked about editing it).
 */
function newestFields(access: IssueAccess, stored: EpicEntry | undefined): IssueSummary | undefined {
  if (!stored || stored.fAt <= access.readAt) return access.issue;
  const { issue } = access;
  if (!isLive(stored) || stored.id !== issue.id || stored.projectKey !== issue.projectKey || issue.hierarchyLevel !== 1) return undefined;
  return { ...issue, summary: stored.summary, statusCategory: stored.statusCategory, destinationValue: stored.destinationId };
}

/** The destination the epic's field names, archived or not; `undefined` when empty, unknown or unreadable. */
function destinationOf(epic: Pick<Epic, 'destinationId'>, destinations: readonly Destination[]): Destination | undefined {
  const id = epic.destinationId;
  return typeof id === 'string' ? destinations.find((d) => d.id === id) : undefined;
}

function deletedMeanwhile(name: string, issueKey: string, undone: boolean): Result<never> {
  return fail('CONFLICT', undone
    ? `Destination "${name}" was deleted while ${issueKey} was being moved to it, so ${issueKey} keeps its previous destination. Choose another.`
    : `Destination "${name}" is being deleted. Choose another destination.`, 'destinationId');
}

/** The field's previous value in the shape the app writes, or empty when it held nothing the app wrote. */
function fieldValueOf(raw: unknown): { id: string; name: string } | null {
  const id = destinationIdOf(raw);
  if (typeof id !== 'string' || typeof raw !== 'object' || raw === null) return null;
  const name = (raw as { name?: unknown }).name;
  return { id, name: typeof name === 'string' ? name : id };
}

function viewOf(d: Destination, names: Map<string, string>): DestinationView {
  const view: DestinationView = { ...d, businessOwnerName: names.get(d.businessOwner) ?? d.businessOwner };
  if (d.deliveryLead) view.deliveryLeadName = names.get(d.deliveryLead) ?? d.deliveryLead;
  return view;
}
