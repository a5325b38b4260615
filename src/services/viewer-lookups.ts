/**
 * What a person may browse (projects, issues under issue security, a panel's own issue), and people's names:
 * through the viewer cache when there is one. Browse answers are asked of Jira as the viewer (see UserJira).
 */
import { projectOfKey } from '../domain/portfolio';
import type { AppJira, UserJira } from './ports';
import type { IssueAccess, ViewerCache } from './rollup-ports';

/** What a viewer may see of issues the app stored: their project must be browsable and the issue itself. */
export interface IssueVisibility {
  projects: Set<string>;
  /** Keys of issues in browsable projects that the viewer may still not browse (issue security). */
  hiddenKeys: Set<string>;
}

export function viewerLookups(userJira: UserJira, jira: AppJira, viewers: ViewerCache | undefined) {
  const loadVisible = (accountId: string) => userJira.visibleProjects(accountId);
  const visible = (accountId: string) => (viewers ? viewers.visibleProjects(accountId, () => loadVisible(accountId)) : loadVisible(accountId));
  const cached = (accountId: string, kind: 'ids' | 'keys', refs: string[], load: (missing: string[]) => Promise<Set<string>>) =>
    refs.length === 0 ? Promise.resolve(new Set<string>()) : viewers ? viewers.browsableIssues(accountId, kind, refs, load) : load(refs);
  const browsable = (accountId: string, ids: string[]) => cached(accountId, 'ids', ids, (missing) => userJira.browsableIssues(accountId, missing));
  const browsableKeys = (accountId: string, keys: string[]) => cached(accountId, 'keys', keys, (missing) => userJira.browsableKeys(accountId, missing));
  return {
    visible,
    /**
     * Which of `issues` the viewer may see: by project, then, for those in browsable projects, each issue as
     * the viewer (issue security levels). Issues in projects they cannot browse are never asked about.
     */
    async issues(
      accountId: string,
      issues: Array<{ id: string; key: string; projectKey: string }>,
      projects?: Set<string> | Promise<Set<string>>,
      /** Issues known only by key (a warning's list of child issues): checked by key. */
      keys: string[] = [],
      /** Ask about every issue at once, side by side with the projects (a cold view's round trips), rather than
       *  only about those in projects the viewer may browse once those are known (fewer issues asked about). */
      together = false,
    ): Promise<IssueVisibility> {
      const projectsRead = Promise.resolve(projects ?? visible(accountId));
      const uniqueKeys = [...new Set(keys)];
      const ask = (shown: Set<string> | undefined) => {
        const candidates = shown ? issues.filter((i) => shown.has(i.projectKey)) : issues;
        const candidateKeys = shown ? uniqueKeys.filter((key) => shown.has(projectOfKey(key))) : uniqueKeys;
        return Promise.all([browsable(accountId, candidates.map((i) => i.id)), browsableKeys(accountId, candidateKeys)]);
      };
      const [shownProjects, [allowed, allowedKeys]] = together
        ? await Promise.all([projectsRead, ask(undefined)])
        : await projectsRead.then(async (shown) => [shown, await ask(shown)] as const);
      const candidates = issues.filter((i) => shownProjects.has(i.projectKey));
      const candidateKeys = uniqueKeys.filter((key) => shownProjects.has(projectOfKey(key)));
      const hidden = [...candidates.filter((i) => !allowed.has(i.id)).map((i) => i.key), ...candidateKeys.filter((key) => !allowedKeys.has(key))];
      return { projects: shownProjects, hiddenKeys: new Set(hidden) };
    },
    /** What a panel view asked Jira as the viewer about its own issue (see `IssueAccess`), if still kept. */
    issueAccess: async (accountId: string, issueKey: string) => viewers?.issueAccess(accountId, issueKey),
    rememberIssueAccess: async (accountId: string, issueKey: string, access: IssueAccess) => {
      await viewers?.rememberIssueAccess(accountId, issueKey, access);
    },
    names: (ids: string[]) => (viewers ? viewers.userNames(ids, (missing) => jira.userNames(missing)) : jira.userNames(ids)),
  };
}

/** Whether a viewer may see an issue the app stored (by key and project). */
export function mayView(v: IssueVisibility, issue: { key: string; projectKey: string }): boolean {
  return v.projects.has(issue.projectKey) && !v.hiddenKeys.has(issue.key);
}
