/** Users and projects: who the caller is, user lookups and searches, and the projects they may browse. */
import type { SiteUser } from '../site';
import { BASE_URL } from '../store';
import { HttpError, intParam, json, type AddRoute } from './http';
import type { SiteState } from './state';

export function userRoutes(s: SiteState, route: AddRoute): void {
  route('GET', '/rest/api/3/project/search', (ctx) => {
    const startAt = intParam(ctx.query, 'startAt', 0, Number.MAX_SAFE_INTEGER);
    const maxResults = Math.max(1, intParam(ctx.query, 'maxResults', 50, 100));
    const keys = ctx.query.getAll('keys').flatMap((k) => k.split(',')).filter(Boolean);
    const text = (ctx.query.get('query') ?? '').toLowerCase();
    const visible = s.cat.projects
      .filter((p) => s.seesProject(ctx.caller, p.key))
      .filter((p) => keys.length === 0 || keys.includes(p.key) || keys.includes(p.id))
      .filter((p) => !text || p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text));
    const page = visible.slice(startAt, startAt + maxResults);
    const isLast = startAt + page.length >= visible.length;
    const self = `${BASE_URL}/rest/api/3/project/search?startAt=${startAt}&maxResults=${maxResults}`;
    return json(200, {
      self,
      ...(isLast ? {} : { nextPage: `${BASE_URL}/rest/api/3/project/search?startAt=${startAt + page.length}&maxResults=${maxResults}` }),
      maxResults, startAt, total: visible.length, isLast,
      values: page.map((p) => s.cat.projectBean(p)),
    });
  });

  route('GET', '/rest/api/3/myself', (ctx) => json(200, ctx.caller.kind === 'app' ? s.appUserBean() : s.userBean(ctx.caller.user)));



  route('GET', '/rest/api/3/user', (ctx) => {
    const id = ctx.query.get('accountId');
    if (!id) throw new HttpError(400, ['The accountId query parameter needs to be provided.']);
    if (id === s.appAccountId) return json(200, s.appUserBean());
    const u = s.findUser(id);
    if (!u) throw new HttpError(404, [`Specified user does not exist or you do not have required permissions`]);
    return json(200, s.userBean(u));
  });

  route('GET', '/rest/api/3/user/bulk', (ctx) => {
    const ids = ctx.query.getAll('accountId').flatMap((a) => a.split(',')).filter(Boolean);
    if (ids.length === 0) throw new HttpError(400, ['The accountId query parameter needs to be provided.']);
    const startAt = intParam(ctx.query, 'startAt', 0, Number.MAX_SAFE_INTEGER);
    const maxResults = Math.max(1, intParam(ctx.query, 'maxResults', 10, 200));
    const found = ids.map(s.findUser).filter((u): u is SiteUser => !!u);
    const page = found.slice(startAt, startAt + maxResults);
    const isLast = startAt + page.length >= found.length;
    return json(200, { self: `${BASE_URL}/rest/api/3/user/bulk?startAt=${startAt}&maxResults=${maxResults}`, maxResults, startAt, total: found.length, isLast, values: page.map(s.userBean) });
  });

  route('GET', '/rest/api/3/user/search', (ctx) => {
    const text = ctx.query.get('query');
    const accountId = ctx.query.get('accountId');
    if (!text && !accountId) throw new HttpError(400, ["One of 'query' or 'accountId' parameters is required."]);
    const startAt = intParam(ctx.query, 'startAt', 0, Number.MAX_SAFE_INTEGER);
    const maxResults = Math.max(1, intParam(ctx.query, 'maxResults', 50, 1000));
    const needle = (text ?? '').toLowerCase();
    const found = s.site.users.filter((u) => (accountId ? u.accountId === accountId : true) && (!needle || u.displayName.toLowerCase().includes(needle) || (u.emailAddress ?? '').toLowerCase().startsWith(needle) || u.accountId === text));
    return json(200, found.slice(startAt, startAt + maxResults).map(s.userBean));
  });
}
