/**
 * Builds what `view.getContext()` returns on each surface, the way Jira fills it in: the issue and project
 * come from the Jira emulator as the viewing user (so a user who cannot browse the issue gets no context).
 */
import { isRecord, type JiraEmulator } from '../types';
import type { FrameSpec } from '../browser/protocol';
import type { Manifest, Surface } from '../platform/manifest';
import type { IssueViewContext } from '../platform/display-conditions';
import { LocalError } from '../errors';

export interface SiteInfo {
  cloudId: string;
  siteUrl: string;
  environmentId: string;
  locale: string;
  timezone: string;
}

export interface IssueRef {
  id: string;
  key: string;
  type: string;
  typeId: string;
}

export interface ProjectRef {
  id: string;
  key: string;
  type: string;
}

export interface IssueFacts {
  issue: IssueRef;
  /** The issue type's hierarchy level (epic 1, standard 0, sub-task -1): what display conditions test. */
  hierarchyLevel: number;
  project: ProjectRef;
  summary: string;
  status: string;
  statusCategory: string;
  fields: Record<string, unknown>;
}

const rec = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

/** Read one issue through the emulator's REST API as `accountId`, as Jira's issue view would. */
export async function readIssue(jira: JiraEmulator, accountId: string, issueKey: string): Promise<IssueFacts> {
  const fields = ['summary', 'issuetype', 'project', 'status', jira.appFieldId].join(',');
  const res = await jira.handle({
    method: 'GET',
    path: `/rest/api/3/issue/${encodeURIComponent(issueKey)}?fields=${fields}`,
    headers: { accept: 'application/json' },
    as: { kind: 'user', accountId },
  });
  if (res.status === 404 || res.status === 403) {
    throw new LocalError(404, 'NOT_FOUND', `Issue ${issueKey} does not exist or you do not have permission to see it.`);
  }
  if (res.status !== 200 || res.body === null) {
    throw new LocalError(502, 'JIRA_UNAVAILABLE', `Jira answered ${res.status} for issue ${issueKey}.`);
  }
  const body = rec(JSON.parse(res.body) as unknown);
  const f = rec(body.fields);
  const type = rec(f.issuetype);
  const project = rec(f.project);
  const status = rec(f.status);
  // Jira always gives the level with the type; without it no display condition could be judged.
  if (typeof type.hierarchyLevel !== 'number') throw new LocalError(502, 'JIRA_UNAVAILABLE', `Jira gave issue ${issueKey}'s type without its hierarchy level.`);
  return {
    issue: { id: text(body.id), key: text(body.key, issueKey), type: text(type.name), typeId: text(type.id) },
    hierarchyLevel: type.hierarchyLevel,
    project: { id: text(project.id), key: text(project.key), type: text(project.projectTypeKey, 'software') },
    summary: text(f.summary),
    status: text(status.name),
    statusCategory: text(rec(status.statusCategory).key),
    fields: f,
  };
}

/** Read a project as the user, for a field edit on the create screen (there is no issue yet). */
async function readProject(jira: JiraEmulator, accountId: string, projectKey: string): Promise<ProjectRef> {
  // `project/search?keys=` answers only with projects the user may browse, as the create screen offers.
  const res = await jira.handle({
    method: 'GET',
    path: `/rest/api/3/project/search?keys=${encodeURIComponent(projectKey)}`,
    headers: { accept: 'application/json' },
    as: { kind: 'user', accountId },
  });
  if (res.status !== 200 || res.body === null) throw new LocalError(502, 'JIRA_UNAVAILABLE', `Jira answered ${res.status} for project ${projectKey}.`);
  const values = rec(JSON.parse(res.body) as unknown).values;
  const p = Array.isArray(values) ? rec(values[0]) : {};
  if (!p.key) throw new LocalError(404, 'NOT_FOUND', `Project ${projectKey} does not exist or you do not have permission to see it.`);
  return { id: text(p.id), key: text(p.key), type: text(p.projectTypeKey, 'software') };
}

/** What a display condition sees for an issue the user views. */
export function issueViewContext(facts: IssueFacts, accountId: string): IssueViewContext {
  return {
    issue: { id: facts.issue.id, key: facts.issue.key, issueType: { id: facts.issue.typeId, name: facts.issue.type, hierarchyLevel: facts.hierarchyLevel } },
    project: { id: facts.project.id, key: facts.project.key },
    user: { accountId },
  };
}

/** The issue view modules Jira would show on this issue for this user: their display conditions hold. */
export function modulesShownOn(manifest: Manifest, facts: IssueFacts, accountId: string): string[] {
  const context = issueViewContext(facts, accountId);
  return [...manifest.surfaces.values()]
    .filter((s) => s.type === 'jira:issuePanel' || s.type === 'jira:customField')
    .filter((s) => s.displayCondition === null || s.displayCondition(context))
    .map((s) => s.moduleKey);
}

export function surfaceOf(manifest: Manifest, moduleKey: string): Surface {
  const surface = manifest.surfaces.get(moduleKey);
  if (!surface) throw new LocalError(404, 'NOT_FOUND', `The manifest has no Custom UI module ${moduleKey}.`);
  return surface;
}

/** The `fieldType` Jira reports for a Forge custom field: the extension ARI of the module. */
export function fieldTypeAri(appId: string, environmentId: string, moduleKey: string): string {
  const uuid = appId.split('/').pop() ?? appId;
  return `ari:cloud:ecosystem::extension/${uuid}/${environmentId}/static/${moduleKey}`;
}

/** The `extension` object Jira gives the module, and the full context returned by `view.getContext()`. */
/** The dashboard the shell shows, and the configuration Jira keeps per gadget on it. */
export interface Dashboard {
  id: string;
  /** The gadget's saved configuration (`{}` until its edit view submits one); undefined: no such gadget. */
  configurationOf(gadgetId: string, moduleKey: string): Record<string, unknown> | undefined;
}

export async function buildContext(
  jira: JiraEmulator,
  manifest: Manifest,
  site: SiteInfo,
  frame: FrameSpec,
  dashboard?: Dashboard,
): Promise<{ context: Record<string, unknown>; extension: Record<string, unknown>; surface: Surface }> {
  const surface = surfaceOf(manifest, frame.moduleKey);
  let extension: Record<string, unknown>;
  switch (surface.type) {
    case 'jira:issuePanel': {
      if (!frame.issueKey) throw new LocalError(400, 'INVALID_INPUT', 'An issue panel needs ?issue=KEY.');
      const facts = await readIssue(jira, frame.accountId, frame.issueKey);
      extension = { type: surface.type, issue: facts.issue, project: facts.project, isNewToIssue: false };
      break;
    }
    case 'jira:customField': {
      const experience = frame.experience ?? 'issue-view';
      const common = {
        type: surface.type,
        entryPoint: 'edit',
        renderContext: experience,
        fieldId: jira.appFieldId,
        fieldType: fieldTypeAri(manifest.appId ?? 'local', site.environmentId, surface.moduleKey),
      };
      if (experience === 'issue-create') {
        if (!frame.projectKey) throw new LocalError(400, 'INVALID_INPUT', 'A field on the create screen needs ?project=KEY.');
        extension = { ...common, project: await readProject(jira, frame.accountId, frame.projectKey), fieldValue: null };
      } else {
        if (!frame.issueKey) throw new LocalError(400, 'INVALID_INPUT', 'A field edit in the issue view needs ?issue=KEY.');
        const facts = await readIssue(jira, frame.accountId, frame.issueKey);
        extension = { ...common, issue: facts.issue, project: facts.project, fieldValue: facts.fields[jira.appFieldId] ?? null };
      }
      break;
    }
    case 'jira:globalPage':
      extension = { type: surface.type, location: `${site.siteUrl}/jira/apps/local/${surface.moduleKey}` };
      break;
    case 'jira:adminPage':
      extension = { type: surface.type, location: `${site.siteUrl}/jira/settings/apps/local/${surface.moduleKey}` };
      break;
    case 'jira:dashboardGadget': {
      // A gadget exists only as an item on a dashboard: its id and saved configuration come from there.
      if (!frame.gadget || !dashboard) throw new LocalError(400, 'INVALID_INPUT', 'A dashboard gadget needs ?gadget=ID (a gadget on the dashboard).');
      const gadgetConfiguration = dashboard.configurationOf(frame.gadget.id, surface.moduleKey);
      if (gadgetConfiguration === undefined) throw new LocalError(404, 'NOT_FOUND', `The dashboard has no gadget ${frame.gadget.id} of ${surface.moduleKey}.`);
      extension = {
        type: surface.type,
        gadget: { id: frame.gadget.id },
        dashboard: { id: dashboard.id },
        gadgetConfiguration,
        location: `${site.siteUrl}/jira/dashboards/${dashboard.id}`,
        // Forge's documented way for one resource to tell its edit view from its view.
        ...(frame.gadget.entryPoint === 'edit' ? { entryPoint: 'edit' } : {}),
      };
      break;
    }
  }
  // A Forge modal keeps its opener's module context and adds what the opener passed, under `modal`.
  if (frame.modal) extension = { ...extension, modal: frame.modal.context };
  const context: Record<string, unknown> = {
    accountId: frame.accountId,
    cloudId: site.cloudId,
    siteUrl: site.siteUrl,
    locale: site.locale,
    timezone: site.timezone,
    moduleKey: surface.moduleKey,
    localId: `${surface.moduleKey}-${frame.frameId}`,
    environmentId: site.environmentId,
    environmentType: 'DEVELOPMENT',
    theme: { colorMode: frame.colorMode },
    extension,
  };
  return { context, extension, surface };
}
