/** Which projects a person may browse, and people's names: through the viewer cache when there is one. */
import type { JiraPort } from './ports';
import type { ViewerCache } from './rollup-ports';

export function viewerLookups(jira: JiraPort, viewers: ViewerCache | undefined) {
  const loadVisible = async (accountId: string) => jira.browsableProjects(accountId, await jira.projects());
  return {
    visible: (accountId: string) => (viewers ? viewers.visibleProjects(accountId, () => loadVisible(accountId)) : loadVisible(accountId)),
    names: (ids: string[]) => (viewers ? viewers.userNames(ids, (missing) => jira.userNames(missing)) : jira.userNames(ids)),
  };
}
