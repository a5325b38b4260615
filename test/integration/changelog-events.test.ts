/**
 * Events applied from their changelog: a status, estimate or parent change of an issue the app keeps a mark
 * for costs no Jira point at all, and ends in the figures a full recalculation computes. What the changelog
 * cannot say for certain, and events older than the stored fact, are read from Jira instead, so reordered
 * deliveries still converge. Events are driven through the real trigger handler on the local platform.
 */
import type { IssueEvent } from '../../local/types';
import { smallSite } from '../../local/jira/testing/small-site';
import { appContainer } from '../../src/app/container';
import { handleIssueEvent } from '../../src/triggers/issue-events';
import { liveFigures, reconcileToEnd, storedFigures } from '../faults/rollup-harness';
import { startTestApp, type TestApp } from '../helpers/local-app';

describe('events applied from their changelog', () => {
  // A recalculation before each test: slow on a loaded machine, never a timed assertion.
  jest.setTimeout(30_000);
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(smallSite());
    await reconcileToEnd(app);
    // Site facts (statuses included) are read once an hour; the points asserted here are the event's own.
    await app.platform.runAsApp(() => appContainer().background().freshness.siteFacts());
    app.jira.resetRequestLog();
  });
  afterEach(() => app.close());

  const points = () => app.jira.pointsSpent().total;
  const issueReads = () => app.jira.requestLog()['GET /rest/api/3/issue/{issueIdOrKey}'] ?? 0;

  /** Changes made as the app reach no trigger (`ignoreSelf`): the test delivers their events itself, in any order. */
  function captured(): IssueEvent[] {
    const events: IssueEvent[] = [];
    app.jira.onIssueEvent((e) => events.push(e));
    return events;
  }
  const deliver = async (event: IssueEvent) => {
    const { selfGenerated: _self, ...payload } = event;
    const answer = await app.platform.runAsApp(() => handleIssueEvent(JSON.parse(JSON.stringify(payload)) as never));
    await app.platform.settle();
    return answer;
  };

  it('costs no Jira point for a status change, and gives the figures a full recalculation gives', async () => {
    const before = points();
    app.jira.updateIssue('PAY-3', { status: 'Done' }, 'u-dev');
    await app.platform.settle();
    expect(app.platform.errors).toEqual([]);
    expect(points() - before).toBe(0);
    expect(app.jira.requestLog()).toEqual({});
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });

  it('costs no Jira point for an estimate change, a child moved between epics, or an orphan leaving flight', async () => {
    app.jira.updateIssue('PAY-3', { points: 8 }, 'u-dev');
    app.jira.updateIssue('PAY-4', { parent: 'PAY-6' }, 'u-dev');
    app.jira.updateIssue('PAY-7', { status: 'Done' }, 'u-dev');
    await app.platform.settle();
    expect(app.platform.errors).toEqual([]);
    expect(issueReads()).toBe(0);
    expect(points()).toBe(0);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });

  it('converges when a later change arrives first: the older event is read, never applied over the newer fact', async () => {
    const events = captured();
    app.jira.updateIssue('PAY-3', { status: 'Done' }, 'app');
    app.jira.updateIssue('PAY-3', { points: 13 }, 'app');
    app.jira.updateIssue('PAY-3', { status: 'In Progress' }, 'app');
    expect(events).toHaveLength(3);
    const [done, estimate, reopened] = events as [IssueEvent, IssueEvent, IssueEvent];
    await deliver(reopened);
    expect(issueReads()).toBe(0);
    await deliver(done);
    await deliver(estimate);
    // Both were older than the fact the newest event left: each was checked against Jira.
    expect(issueReads()).toBe(2);
    expect(app.platform.errors).toEqual([]);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
    // A duplicate of the newest changes nothing and is read too (not newer than the stored fact).
    await deliver(reopened);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });

  it('falls back to one read when the changelog does not say enough', async () => {
    const events = captured();
    app.jira.updateIssue('PAY-3', { status: 'Done' }, 'app');
    const event = events[0] as IssueEvent;
    const items = event.changelog?.items ?? [];
    // A status item without its new id, as for a field whose detail Jira leaves out.
    const withoutTo = { ...event, changelog: { items: items.map((i) => (i.fieldId === 'status' ? { ...i, to: null } : i)) } };
    const answer = await deliver(withoutTo);
    expect(answer).toMatchObject({ ok: true });
    expect(issueReads()).toBe(1);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });

  it('reads a status made done without a resolution item: the resolution date is not in the mark', async () => {
    const events = captured();
    app.jira.updateIssue('PAY-4', { status: 'Done' }, 'app');
    const event = events[0] as IssueEvent;
    const items = (event.changelog?.items ?? []).filter((i) => i.field !== 'resolution');
    await deliver({ ...event, changelog: { items } });
    expect(issueReads()).toBe(1);
    expect(await storedFigures(app)).toEqual(await liveFigures(app));
  });
});
