import { inMemoryAppJira, inMemoryUserJira, inMemoryViewerCache } from '../../test/helpers/in-memory-ports';
import { viewerLookups } from './viewer-lookups';

const people = { visible: { 'user-1': ['ALPHA', 'BETA'] } };
const names = { 'user-1': 'Uma', 'user-2': 'Vic' };

describe('viewerLookups', () => {
  it('asks Jira for a viewer\'s projects once when there is a cache', async () => {
    const userJira = inMemoryUserJira(people);
    const lookups = viewerLookups(userJira, inMemoryAppJira({ names }), inMemoryViewerCache());
    expect(await lookups.visible('user-1')).toEqual(new Set(['ALPHA', 'BETA']));
    expect(await lookups.visible('user-1')).toEqual(new Set(['ALPHA', 'BETA']));
    expect(userJira.calls).toEqual(['visibleProjects:user-1']);
  });

  it('asks Jira only for the names the cache does not hold', async () => {
    const jira = inMemoryAppJira({ names });
    const lookups = viewerLookups(inMemoryUserJira(people), jira, inMemoryViewerCache());
    expect(await lookups.names(['user-1'])).toEqual(new Map([['user-1', 'Uma']]));
    expect(await lookups.names(['user-1', 'user-2'])).toEqual(new Map([['user-1', 'Uma'], ['user-2', 'Vic']]));
    expect(await lookups.names(['user-2', 'user-1'])).toEqual(new Map([['user-2', 'Vic'], ['user-1', 'Uma']]));
    expect(jira.calls).toEqual(['userNames', 'userNames']);
  });

  it('asks Jira every time when there is no cache', async () => {
    const userJira = inMemoryUserJira(people);
    const jira = inMemoryAppJira({ names });
    const lookups = viewerLookups(userJira, jira, undefined);
    await lookups.visible('user-1');
    await lookups.visible('user-1');
    await lookups.names(['user-1']);
    await lookups.names(['user-1']);
    expect(userJira.calls).toEqual(['visibleProjects:user-1', 'visibleProjects:user-1']);
    expect(jira.calls).toEqual(['userNames', 'userNames']);
  });
});
