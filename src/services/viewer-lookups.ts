/** Which projects a person may browse, and people's names: through the viewer cache when there is one. */
import type { AppJira, UserJira } from './ports';
import type { ViewerCache } from './rollup-ports';

export function viewerLookups(userJira: UserJira, jira: AppJira, viewers: ViewerCache | undefined) {
  const loadVisible = (accountId: string) => userJira.visibleProjects(accountId);
  return {
    visible: (accountId: string) => (viewers ? viewers.visibleProjects(accountId, () => loadVisible(accountId)) : loadVisible(accountId)),
    names: (ids: string[]) => (viewers ? viewers.userNames(ids, (missing) => jira.userNames(missing)) : jira.userNames(ids)),
  };
}
