/**
 * The issue panel asks for its epic before it has read its context: `epic/alignment` without an issue key
 * answers for the issue Jira framed the panel on (`extension.issue` of the call's context), never for one a
 * browser names in its place, and says what is missing when there is no such issue.
 */
import { smallSite } from '../../local/jira/testing/small-site';
import { startTestApp, type TestApp } from '../helpers/local-app';

const framedOn = (key: string) => ({ type: 'jira:issuePanel', issue: { id: '10001', key, type: 'Epic', typeId: '10000' } });

describe('epic/alignment from the panel context', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(smallSite());
  });
  afterAll(() => app.close());

  it('answers for the framed issue exactly as when the key is named', async () => {
    const named = await app.data('panel', 'epic/alignment', { issueKey: 'PAY-1' }, 'u-dev');
    const framed = await app.data('panel', 'epic/alignment', {}, 'u-dev', framedOn('PAY-1'));
    expect(framed.epic.key).toBe('PAY-1');
    expect(framed).toEqual(named);
  });

  it('keeps a named key before the context (the panel names none; other callers still may)', async () => {
    const answer = await app.data('panel', 'epic/alignment', { issueKey: 'PAY-3' }, 'u-dev', framedOn('PAY-1'));
    expect(answer.epic.key).toBe('PAY-3');
  });

  it('says the issue is missing when neither the payload nor the context names one', async () => {
    const answer = await app.call('panel', 'epic/alignment', {}, 'u-dev');
    expect(answer).toEqual({ ok: false, error: { code: 'INVALID_INPUT', field: 'issueKey', message: 'Name the issue (issueKey): this view does not show one.' } });
    const blank = await app.call('panel', 'epic/alignment', {}, 'u-dev', { type: 'jira:issuePanel', issue: { key: '' } });
    expect(blank.ok).toBe(false);
  });
});
