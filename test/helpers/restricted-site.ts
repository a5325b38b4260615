/**
 * A site where a developer (`u-dev`) may not browse two projects: SEC, in the app's scope (set it to PAY and
 * SEC with `scopeToPayAndSec`), and HTR, outside it. Both hold epics aligned to destinations; SEC also holds
 * epics pointing at an archived (D-8) and an unknown (D-77) destination, an off-route epic, an unestimated
 * story and an orphan in flight. PAY has the same situations in the open; OPS is visible and out of scope.
 */
import type { SiteInput } from '../../local/jira/site';
import type { TestApp } from './local-app';

export const RESTRICTED_VIEWER = 'u-dev';
const VIEWER = RESTRICTED_VIEWER;

export function restrictedSite(): SiteInput {
  return {
    today: '2026-11-25',
    users: [
      { accountId: 'u-admin', displayName: 'Ada Admin', admin: true },
      { accountId: 'u-leader', displayName: 'Bea Leader' },
      { accountId: VIEWER, displayName: 'Dev Patel' },
    ],
    projects: [
      { key: 'PAY', name: 'Payments' },
      { key: 'OPS', name: 'Operations' },
      { key: 'SEC', name: 'Security', browse: ['u-admin', 'u-leader'], edit: ['u-admin'] },
      { key: 'HTR', name: 'Hidden Treasury', browse: ['u-admin', 'u-leader'], edit: ['u-admin'] },
    ],
    destinations: [
      { id: 'D-1', name: 'Instant payouts', targetDate: '2027-03-01', status: 'active', priority: 1, businessOwner: 'u-leader' },
      { id: 'D-2', name: 'Fraud shield', targetDate: '2027-06-01', status: 'active', priority: 2, businessOwner: 'u-leader' },
      { id: 'D-3', name: 'Empty goal', targetDate: '2027-09-01', status: 'active', priority: 3, businessOwner: 'u-leader' },
      { id: 'D-8', name: 'Vault', targetDate: '2026-06-01', status: 'archived', priority: 8, businessOwner: 'u-leader' },
    ],
    issues: [
      { key: 'PAY-1', type: 'Epic', summary: 'Payout engine', status: 'In Progress', destination: 'D-1', created: '2026-09-01' },
      { key: 'PAY-2', type: 'Story', summary: 'Ledger entries', status: 'Done', parent: 'PAY-1', points: 3, created: '2026-09-02', resolved: '2026-11-01' },
      { key: 'PAY-3', type: 'Story', summary: 'Payout API', status: 'In Progress', parent: 'PAY-1', points: 5, created: '2026-09-03' },
      { key: 'PAY-4', type: 'Epic', summary: 'Payments upkeep', status: 'In Progress', created: '2026-09-04' },
      { key: 'PAY-5', type: 'Story', summary: 'Dependency bumps', status: 'In Progress', parent: 'PAY-4', points: 1, created: '2026-09-05' },
      { key: 'PAY-6', type: 'Task', summary: 'Orphan payments task', status: 'In Progress', points: 2, created: '2026-09-06' },
      { key: 'PAY-7', type: 'Epic', summary: 'Old ledger retirement', status: 'In Progress', destination: 'D-8', created: '2026-09-07' },
      { key: 'PAY-8', type: 'Story', summary: 'Switch off ledger', status: 'In Progress', parent: 'PAY-7', points: 2, created: '2026-09-08' },
      { key: 'PAY-9', type: 'Epic', summary: 'Stray payments epic', status: 'In Progress', destination: 'D-99', created: '2026-09-09' },
      { key: 'PAY-10', type: 'Story', summary: 'Stray story', status: 'In Progress', parent: 'PAY-9', created: '2026-09-10' },
      { key: 'SEC-1', type: 'Epic', summary: 'Secret hardening', status: 'In Progress', destination: 'D-1', created: '2026-09-11' },
      { key: 'SEC-2', type: 'Story', summary: 'Rotate signing keys', status: 'Done', parent: 'SEC-1', points: 8, created: '2026-09-12', resolved: '2026-11-20' },
      { key: 'SEC-3', type: 'Story', summary: 'Unestimated token audit', status: 'In Progress', parent: 'SEC-1', created: '2026-09-13' },
      { key: 'SEC-4', type: 'Epic', summary: 'Quiet cipher rewrite', status: 'In Progress', destination: 'D-2', created: '2026-09-14' },
      { key: 'SEC-5', type: 'Story', summary: 'Replace legacy cipher', status: 'In Progress', parent: 'SEC-4', points: 3, created: '2026-09-15' },
      { key: 'SEC-68', type: 'Epic', summary: 'Security tooling upkeep', status: 'In Progress', created: '2026-09-16' },
      { key: 'SEC-69', type: 'Story', summary: 'Scanner licence renewal', status: 'In Progress', parent: 'SEC-68', points: 1, created: '2026-09-17' },
      { key: 'SEC-70', type: 'Epic', summary: 'Vault secret migration', status: 'In Progress', destination: 'D-8', created: '2026-09-18' },
      { key: 'SEC-71', type: 'Story', summary: 'Move secrets to the vault', status: 'In Progress', parent: 'SEC-70', points: 2, created: '2026-09-19' },
      { key: 'SEC-72', type: 'Epic', summary: 'Forgotten compliance target', status: 'In Progress', destination: 'D-77', created: '2026-09-20' },
      { key: 'SEC-73', type: 'Story', summary: 'Compliance evidence pack', status: 'In Progress', parent: 'SEC-72', points: 2, created: '2026-09-21' },
      { key: 'SEC-74', type: 'Task', summary: 'Hidden orphan incident', status: 'In Progress', points: 1, created: '2026-09-22' },
      { key: 'OPS-1', type: 'Epic', summary: 'Runbook automation', status: 'In Progress', destination: 'D-1', created: '2026-09-23' },
      { key: 'OPS-2', type: 'Story', summary: 'Pager rota', status: 'In Progress', parent: 'OPS-1', points: 1, created: '2026-09-24' },
      { key: 'HTR-1', type: 'Epic', summary: 'Treasury bunker', status: 'In Progress', destination: 'D-1', created: '2026-09-25' },
      { key: 'HTR-2', type: 'Story', summary: 'Bunker doors', status: 'In Progress', parent: 'HTR-1', points: 1, created: '2026-09-26' },
    ],
  };
}

/** The app's scope: PAY and SEC (OPS and HTR are outside it). */
export async function scopeToPayAndSec(app: TestApp): Promise<void> {
  const { version, ...current } = (await app.data('admin', 'settings/get', {}, 'u-admin')).settings;
  await app.data('admin', 'settings/save', { settings: { ...current, projectKeys: ['PAY', 'SEC'] }, version }, 'u-admin');
}
