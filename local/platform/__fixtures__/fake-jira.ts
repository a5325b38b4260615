/**
 * A small stand-in for the Jira emulator (written in parallel in `local/jira/`), enough to prove the seams:
 * it records every request with its principal, answers `/rest/api/3/myself` as that principal, 204 on DELETE,
 * and lets a test emit issue events.
 */
import type { IssueEvent, JiraEmulator, ProductRequest, ProductResponse } from '../../types';

export interface FakeJira extends JiraEmulator {
  requests: ProductRequest[];
  emit(event: IssueEvent): void;
}

export function createFakeJira(today = '2026-03-02'): FakeJira {
  const listeners = new Set<(e: IssueEvent) => void>();
  const requests: ProductRequest[] = [];
  const notInFake = (): never => {
    throw new Error('not implemented by the fake Jira');
  };
  return {
    requests,
    today,
    appFieldId: 'customfield_10100',
    faults: { latencyMs: 0, spikeRate: 0, spikeMs: 0, rate429: 0, retryAfterSeconds: 1, rate5xx: 0, rateGarbage: 0, staleIndex: false, seed: 1 },
    async handle(req: ProductRequest): Promise<ProductResponse> {
      requests.push(req);
      if (req.method === 'DELETE') return { status: 204, headers: {}, body: null };
      if (req.path === '/rest/api/3/myself') {
        const accountId = req.as.kind === 'user' ? req.as.accountId : 'app-account';
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accountId }) };
      }
      return { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errorMessages: ['not found'] }) };
    },
    requestLog: () => ({}),
    resetRequestLog: () => undefined,
    onIssueEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const l of listeners) l(event);
    },
    users: () => [],
    epics: () => [],
    createIssue: notInFake,
    updateIssue: notInFake,
    deleteIssue: notInFake,
  };
}
