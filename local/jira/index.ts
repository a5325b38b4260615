/** The Jira Cloud site emulator of the local Forge platform. */
export { createJiraEmulator, type EmulatorOptions, type JiraSiteEmulator, type IssueSnapshot } from './emulator';
export { loadSite, SiteError, isRealDate, DEFAULT_ISSUE_TYPES, DEFAULT_STATUSES, DEFAULT_STORY_POINTS_FIELD } from './site';
export type { Site, SiteInput, SiteIssue, SiteUser, SiteProject, SiteDestination } from './site';
export { JqlError, parseJql } from './jql/parse';
export { bindJql, type JqlIssue, type JqlSchema, type BoundQuery } from './jql/evaluate';
export type { IssueRecord } from './store';
