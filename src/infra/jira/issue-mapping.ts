/**
 * Jira issues read as the domain's epics and work items: one reading, used by every query the app makes.
 */
import { destinationIdOf } from '../../domain/alignment';
import { sizedEstimate } from '../../domain/progress';
import type { Epic, WorkItem } from '../../domain/types';
import type { EffectiveEstimate, SiteMeta } from '../../services/ports';
import { type IssueDto, statusCategoryOf } from './jira-dto';

/** The fields a search must ask for to read an estimate in the chosen measure. */
export function estimateFields(estimate: EffectiveEstimate): string[] {
  switch (estimate.kind) {
    case 'points':
      return [estimate.fieldId];
    case 'originalEstimate':
      return ['timeoriginalestimate'];
    case 'none':
      return [];
  }
}

/** Fields a child issue is read with. */
export function childFields(estimate: EffectiveEstimate): string[] {
  return ['status', 'project', 'parent', 'created', 'resolutiondate', ...estimateFields(estimate)];
}

/** An estimate, or `null` when the issue has none (or anything odd): never guessed as zero. */
export function estimateOf(fields: Record<string, unknown>, estimate: EffectiveEstimate): number | null {
  const raw = estimate.kind === 'points' ? fields[estimate.fieldId] : estimate.kind === 'originalEstimate' ? fields.timeoriginalestimate : null;
  if (typeof raw !== 'number') return null;
  // Original estimates arrive in seconds; people plan in hours.
  return sizedEstimate(estimate.kind === 'originalEstimate' ? raw / 3600 : raw);
}

function projectKeyOf(issue: IssueDto): string {
  return issue.fields?.project?.key ?? issue.key.split('-')[0] ?? '';
}

export function epicOf(issue: IssueDto, meta: SiteMeta): Epic {
  return {
    id: issue.id,
    key: issue.key,
    summary: issue.fields?.summary ?? '',
    projectKey: projectKeyOf(issue),
    statusCategory: statusCategoryOf(issue),
    destinationId: destinationIdOf(issue.fields?.[meta.appFieldId]),
  };
}

export function workItemOf(issue: IssueDto, estimate: EffectiveEstimate): WorkItem {
  const fields = issue.fields ?? {};
  const category = statusCategoryOf(issue);
  return {
    id: issue.id,
    key: issue.key,
    projectKey: projectKeyOf(issue),
    statusCategory: category,
    estimate: estimateOf(fields, estimate),
    resolved: category === 'done' ? (fields.resolutiondate ?? null) : null,
    created: fields.created ?? null,
    epicKey: fields.parent?.key ?? null,
  };
}
