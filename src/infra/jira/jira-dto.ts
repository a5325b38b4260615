/**
 * Schemas for the parts of Jira's answers the app reads. Jira's JSON is untrusted input: anything that does
 * not match is reported as Jira being unavailable, never read as zero.
 */
import { z } from 'zod';
import { AppError } from '../../domain/errors';
import type { StatusCategory } from '../../domain/types';

export const fieldListSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    custom: z.boolean().optional(),
    schema: z.object({ type: z.string().optional(), custom: z.string().optional() }).passthrough().optional(),
  }).passthrough(),
);

export const issueTypeListSchema = z.array(
  z.object({ id: z.string(), name: z.string(), hierarchyLevel: z.number().int().optional(), subtask: z.boolean().optional() }).passthrough(),
);

export const projectPageSchema = z.object({
  values: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() }).passthrough()),
  isLast: z.boolean().optional(),
  nextPage: z.string().optional(),
  total: z.number().optional(),
}).passthrough();

// Any key is read (Jira also has "No Category", key `undefined`); `statusCategoryOf` maps the ones the app does not know.
const statusCategoryKey = z.string();

/** "Get all statuses" (`GET /rest/api/3/status`): each status with its category. */
export const statusListSchema = z.array(z.object({ id: z.string(), statusCategory: z.object({ key: statusCategoryKey }).passthrough().optional() }).passthrough());


export const issueFieldsSchema = z.object({
  summary: z.string().optional(),
  status: z.object({ statusCategory: z.object({ key: statusCategoryKey }).passthrough() }).passthrough().optional(),
  project: z.object({ id: z.string(), key: z.string() }).passthrough().optional(),
  issuetype: z.object({ id: z.string(), hierarchyLevel: z.number().int().optional() }).passthrough().optional(),
  parent: z.object({ id: z.string(), key: z.string() }).passthrough().nullable().optional(),
  resolutiondate: z.string().nullable().optional(),
  created: z.string().nullable().optional(),
  timeoriginalestimate: z.number().nullable().optional(),
}).passthrough();

export const issueSchema = z.object({ id: z.string(), key: z.string(), fields: issueFieldsSchema.optional() }).passthrough();

export const searchPageSchema = z.object({
  issues: z.array(issueSchema),
  nextPageToken: z.string().nullable().optional(),
  isLast: z.boolean().optional(),
}).passthrough();

export const permissionCheckSchema = z.object({
  globalPermissions: z.array(z.string()).optional(),
  projectPermissions: z.array(
    z.object({ permission: z.string(), projects: z.array(z.number()).optional(), issues: z.array(z.number()).optional() }).passthrough(),
  ).optional(),
}).passthrough();

/** `POST /rest/api/3/issue/bulkfetch`: the issues the caller may see among those asked for. */
export const bulkFetchSchema = z.object({ issues: z.array(z.object({ id: z.string(), key: z.string() }).passthrough()) }).passthrough();

/** `GET /rest/api/3/mypermissions`: each asked key with whether the caller holds it. */
export const myPermissionsSchema = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean() }).passthrough()),
}).passthrough();

export const userListSchema = z.array(z.object({ accountId: z.string(), displayName: z.string().optional() }).passthrough());
export const userPageSchema = z.object({ values: userListSchema }).passthrough();

export type IssueDto = z.infer<typeof issueSchema>;

/** Parse a Jira answer or report Jira as unavailable (its body is not passed on). */
export function parseJira<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new AppError('JIRA_UNAVAILABLE', `Jira sent ${what} the app could not read. Try again in a moment.`);
  }
  return parsed.data;
}

export function statusCategoryOf(issue: IssueDto): StatusCategory {
  const key = issue.fields?.status?.statusCategory.key;
  if (key === undefined) throw new AppError('JIRA_UNAVAILABLE', `Jira sent issue ${issue.key} without a status.`);
  if (isStatusCategory(key)) return key;
  // "No Category" (`undefined`) or a key Jira adds later: counted as not started, as Jira draws it (a grey
  // lozenge like To Do), rather than failing a whole page. See docs/decisions/0012-issue-security.md.
  console.warn(`Jira sent status category "${key}" for issue ${issue.key}; counted as To Do.`);
  return 'new';
}

export function isStatusCategory(key: string): key is StatusCategory {
  return key === 'new' || key === 'indeterminate' || key === 'done';
}
