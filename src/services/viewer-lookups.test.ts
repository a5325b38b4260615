import { inMemoryAppJira, inMemoryUserJira, inMemoryViewerCache } from '../../test/helpers/in-memory-ports';
import { mayView, viewerLookups } from './viewer-lookups';

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

  it('hides issues under a security level the viewer is not in, and never asks about projects they cannot browse', async () => {
    const userJira = inMemoryUserJira({ ...people, hiddenIssues: { 'user-1': ['102', 'BETA-9'] } });
    const lookups = viewerLookups(userJira, inMemoryAppJira({ names }), inMemoryViewerCache());
    const epics = [
      { id: '101', key: 'ALPHA-1', projectKey: 'ALPHA' },
      { id: '102', key: 'ALPHA-2', projectKey: 'ALPHA' },
      { id: '201', key: 'GAMMA-1', projectKey: 'GAMMA' },
    ];
    const v = await lookups.issues('user-1', epics, undefined, ['BETA-8', 'BETA-9', 'GAMMA-4']);
    expect([...v.hiddenKeys].sort()).toEqual(['ALPHA-2', 'BETA-9']);
    expect(epics.filter((e) => mayView(v, e)).map((e) => e.key)).toEqual(['ALPHA-1']);
    expect(mayView(v, { key: 'BETA-8', projectKey: 'BETA' })).toBe(true);
    // Warm: the cache answers.
    await lookups.issues('user-1', epics, undefined, ['BETA-8', 'BETA-9']);
    expect(userJira.calls).toEqual(['visibleProjects:user-1', 'browsableIssues:user-1', 'browsableKeys:user-1']);
  });
});
