import { AppError } from '../domain/errors';
import { accessService } from './access-service';
import { inMemoryAppJira, inMemoryUserJira } from '../../test/helpers/in-memory-ports';

function setup() {
  const userJira = inMemoryUserJira({ admins: ['admin-1'] });
  return { userJira, service: accessService({ userJira, jira: inMemoryAppJira({ names: { 'admin-1': 'Ada Admin' } }) }) };
}

describe('accessService', () => {
  it('refuses a non-admin with FORBIDDEN and a sentence', async () => {
    const refused = setup().service.requireAdmin('user-2');
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Only Jira administrators can change destinations and settings.' });
  });

  it('lets an admin through', async () => {
    await expect(setup().service.requireAdmin('admin-1')).resolves.toBeUndefined();
  });

  it('says who the caller is, falling back to the account id when Jira has no name', async () => {
    const { service } = setup();
    expect(await service.me('admin-1')).toEqual({ accountId: 'admin-1', displayName: 'Ada Admin', isAdmin: true });
    expect(await service.me('user-2')).toEqual({ accountId: 'user-2', displayName: 'user-2', isAdmin: false });
  });

  it('answers an empty people search without asking Jira', async () => {
    const { service, userJira } = setup();
    expect(await service.searchUsers('')).toEqual([]);
    expect(userJira.calls).toEqual([]);
    expect(await service.searchUsers('ad')).toEqual([{ accountId: 'acc-ad', displayName: 'ad' }]);
  });
});
