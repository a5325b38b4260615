/** A small site for the emulator's own tests: every situation appears once or twice, nothing more. */
import type { SiteInput } from '../site';

export const APP = {
  appId: 'ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000',
  environmentId: 'env-1',
  fieldModuleKey: 'business-destination-field',
};

export function smallSite(): SiteInput {
  return {
    today: '2026-11-25',
    users: [
      { accountId: 'u-admin', displayName: 'Ada Admin', admin: true },
      { accountId: 'u-leader', displayName: 'Bea Leader' },
      { accountId: 'u-dev', displayName: 'Dev Patel' },
    ],
    projects: [
      { key: 'PAY', name: 'Payments' },
      { key: 'SEC', name: 'Security', browse: ['u-admin', 'u-leader'], edit: ['u-admin'] },
    ],
    destinations: [
      { id: 'D-1', name: 'Instant payouts', targetDate: '2026-12-01', status: 'active', priority: 1, businessOwner: 'u-leader' },
      { id: 'D-2', name: 'Old dream', targetDate: '2026-06-01', status: 'archived', priority: 2, businessOwner: 'u-leader' },
    ],
    issues: [
      { key: 'PAY-1', type: 'Epic', summary: 'Payout engine', status: 'In Progress', destination: 'D-1', created: '2026-09-01' },
      { key: 'PAY-2', type: 'Story', summary: 'Ledger entries', status: 'Done', parent: 'PAY-1', points: 3, created: '2026-09-02', resolved: '2026-10-01' },
      { key: 'PAY-3', type: 'Story', summary: 'Payout API', status: 'In Progress', parent: 'PAY-1', points: 5, originalEstimate: 28800, created: '2026-09-03' },
      { key: 'PAY-4', type: 'Story', summary: 'Unestimated cleanup', status: 'To Do', parent: 'PAY-1', created: '2026-09-04' },
      { key: 'PAY-5', type: 'Sub-task', summary: 'Write migration', status: 'Done', parent: 'PAY-3', created: '2026-09-05', resolved: '2026-11-20' },
      { key: 'PAY-6', type: 'Epic', summary: 'No destination yet', status: 'To Do', created: '2026-09-06' },
      { key: 'PAY-7', type: 'Task', summary: 'Orphan task', status: 'In Progress', points: 2, created: '2026-09-07' },
      { key: 'PAY-8', type: 'Epic', summary: 'Points at an unknown id', status: 'In Progress', destination: 'D-404', created: '2026-09-08' },
      { key: 'SEC-1', type: 'Epic', summary: 'Secret hardening', status: 'In Progress', destination: 'D-1', created: '2026-09-09' },
      { key: 'SEC-2', type: 'Story', summary: 'Rotate keys', status: 'Done', parent: 'SEC-1', points: 8, created: '2026-09-10', resolved: '2026-11-24' },
    ],
  };
}
