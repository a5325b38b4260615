/**
 * Who the caller is and what they may do: the server-side admin check every admin action passes, whatever
 * surface calls (display conditions and UIs are never trusted), and the people search admins use.
 */
import type { Me, UserRef } from '../contract';
import { AppError } from '../domain/errors';
import type { AppJira, UserJira } from './ports';

export interface AccessDeps {
  userJira: UserJira;
  jira: AppJira;
}

export function accessService({ userJira, jira }: AccessDeps) {
  return {
    async requireAdmin(accountId: string): Promise<void> {
      if (!(await userJira.isAdmin(accountId))) {
        throw new AppError('FORBIDDEN', 'Only Jira administrators can change destinations and settings.');
      }
    },
    async me(accountId: string): Promise<Me> {
      const [names, isAdmin] = await Promise.all([jira.userNames([accountId]), userJira.isAdmin(accountId)]);
      return { accountId, displayName: names.get(accountId) ?? accountId, isAdmin };
    },
    async searchUsers(query: string): Promise<UserRef[]> {
      return query === '' ? [] : userJira.searchUsers(query);
    },
  };
}
