/**
 * One epic seen from its destination (the issue panel), and changing the destination it serves.
 */
import type { DestinationView, EpicAlignment, EpicRef } from '../contract';
import { AppError, fail, ok, type Result } from '../domain/errors';
import { emptyProgress } from '../domain/progress';
import { rollupEpic } from '../domain/rollup';
import type { Destination, Epic } from '../domain/types';
import { effectiveEstimate } from './settings-service';
import type { Clock, DestinationStore, IssueSummary, JiraPort, SettingsStore } from './ports';

export interface EpicDeps {
  jira: JiraPort;
  destinations: DestinationStore;
  settings: SettingsStore;
  clock: Clock;
  /** Called after the app changes an epic's destination (its own writes raise no event it listens to). */
  onChanged?: (at: string) => Promise<void>;
}

export function epicService(deps: EpicDeps) {
  const { jira } = deps;

  async function describe(accountId: string, issue: IssueSummary, reconcileIds: string[] = []): Promise<EpicAlignment> {
    const base = { key: issue.key, summary: issue.summary, projectKey: issue.projectKey, isEpic: issue.hierarchyLevel === 1 };
    if (!base.isEpic) {
      return {
        epic: base, destination: null, alignmentProblem: null, progress: emptyProgress(), share: null,
        forecast: null, siblings: [], hiddenSiblings: 0, warnings: [], canEdit: false,
      };
    }
    const [settings, destinations, meta] = await Promise.all([deps.settings.get(), deps.destinations.list(), jira.siteMeta()]);
    const estimate = effectiveEstimate(settings.estimateField, meta);
    const epic: Epic = {
      id: issue.id,
      key: issue.key,
      summary: issue.summary,
      projectKey: issue.projectKey,
      statusCategory: issue.statusCategory,
      destinationId: destinationIdFromField(issue.destinationValue),
    };
    const known = epic.destinationId ? destinations.find((d) => d.id === epic.destinationId) : undefined;
    // Siblings come from search, which may lag behind a change the app just made: the epic itself is
    // always taken from the issue read, and a sibling list is corrected for it.
    const siblingsFromSearch = known ? await jira.epicsOfDestination(meta, known.id, [issue.id, ...reconcileIds]) : [];
    const epics = [...siblingsFromSearch.filter((e) => e.key !== epic.key && e.destinationId === known?.id), epic];
    const items = await jira.children(meta, epics.map((e) => e.key), estimate);
    const rollup = rollupEpic({ destinations, epics, items, settings, today: deps.clock.now().toISOString().slice(0, 10), epic });

    const [canEdit, visible, names] = await Promise.all([
      jira.canEditIssue(accountId, issue.id),
      jira.browsableProjects(accountId, await jira.projects()),
      known ? jira.userNames(known.deliveryLead ? [known.businessOwner, known.deliveryLead] : [known.businessOwner]) : Promise.resolve(new Map<string, string>()),
    ]);

    const progressByEpic = new Map(rollup.destination?.perEpic.map((p) => [p.epicKey, p.progress]) ?? []);
    const others = epics.filter((e) => e.key !== epic.key);
    const siblings: EpicRef[] = others
      .filter((e) => visible.has(e.projectKey))
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
    };
  }

  async function visibleIssue(issueKey: string): Promise<IssueSummary> {
    const issue = await jira.issueAsUser(await jira.siteMeta(), issueKey);
    if (!issue) throw new AppError('NOT_FOUND', `Issue ${issueKey} does not exist or you do not have permission to see it.`);
    return issue;
  }

  return {
    async alignment(accountId: string, issueKey: string): Promise<EpicAlignment> {
      return describe(accountId, await visibleIssue(issueKey));
    },

    async setDestination(accountId: string, issueKey: string, destinationId: string | null): Promise<Result<EpicAlignment>> {
      const issue = await visibleIssue(issueKey);
      if (issue.hierarchyLevel !== 1) {
        return fail('INVALID_INPUT', `${issueKey} is not an epic: only epics serve a destination.`, 'issueKey');
      }
      if (!(await jira.canEditIssue(accountId, issue.id))) {
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
        if (destination.status !== 'active' && destinationIdFromField(issue.destinationValue) !== destination.id) {
          return fail('INVALID_INPUT', `"${destination.name}" is ${destination.status}: only active destinations can be chosen.`, 'destinationId');
        }
        value = { id: destination.id, name: destination.name };
      }
      const meta = await jira.siteMeta();
      await jira.writeDestinationField(meta, issue.id, value);
      await deps.onChanged?.(deps.clock.now().toISOString());
      return ok(await describe(accountId, { ...issue, destinationValue: value }, [issue.id]));
    },
  };
}

export type EpicService = ReturnType<typeof epicService>;

function destinationIdFromField(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = (value as { id: unknown }).id;
    return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
  }
  return null;
}

function viewOf(d: Destination, names: Map<string, string>): DestinationView {
  const view: DestinationView = { ...d, businessOwnerName: names.get(d.businessOwner) ?? d.businessOwner };
  if (d.deliveryLead) view.deliveryLeadName = names.get(d.deliveryLead) ?? d.deliveryLead;
  return view;
}
