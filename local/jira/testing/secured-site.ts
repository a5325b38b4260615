/**
 * The people, statuses and secured project that the issue-security tests share (emulator and app): PAY has a
 * level only Bea may see (the app too) and one for both humans; "Parked" is in Jira's "No Category".
 */
import type { SiteInput } from '../site';

export function securedBase(): Pick<SiteInput, 'today' | 'users' | 'statuses'> & { pay: NonNullable<SiteInput['projects']>[number] } {
  return {
    today: '2026-11-25',
    users: [
      { accountId: 'u-admin', displayName: 'Ada Admin', admin: true },
      { accountId: 'u-board', displayName: 'Bea Board' },
      { accountId: 'u-dev', displayName: 'Dev Patel' },
    ],
    statuses: [
      { name: 'To Do', category: 'new' },
      { name: 'In Progress', category: 'indeterminate' },
      { name: 'Done', category: 'done' },
      { name: 'Parked', category: 'undefined' },
    ],
    pay: {
      key: 'PAY',
      name: 'Payments',
      securityLevels: [
        { name: 'Board only', users: ['u-board'], app: true },
        { name: 'Humans only', users: ['u-board', 'u-dev'] },
      ],
    },
  };
}
