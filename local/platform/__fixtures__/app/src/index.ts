/**
 * Fixture app for the local platform's tests. It uses only Forge's public SDKs, exactly as production code
 * in `src/` does, so what passes here passes for the real app.
 */
import api, { asApp, asUser, getAppContext, route } from '@forge/api';
import { kvs } from '@forge/kvs';
import Resolver from '@forge/resolver';
import { InvocationError, InvocationErrorCode, Queue } from '@forge/events';

const resolver = new Resolver();
const workQueue = new Queue({ key: 'work-queue' });

resolver.define('whoami', ({ context }) => ({
  accountId: context.accountId,
  cloudId: context.cloudId,
  siteUrl: context.siteUrl,
  moduleKey: context.moduleKey,
  extension: context.extension,
  appModuleKey: getAppContext().moduleKey,
}));

resolver.define('echo', ({ payload }) => ({ payload, at: new Date(0), dropped: undefined }));

resolver.define('today', () => ({ today: new Date().toISOString().slice(0, 10), now: Date.now() }));

resolver.define('myselfAsUser', async () => {
  const res = await asUser().requestJira(route`/rest/api/3/myself`);
  return { status: res.status, body: await res.json() };
});

resolver.define('myselfAsApp', async () => {
  const res = await asApp().requestJira(route`/rest/api/3/myself`, { method: 'GET', headers: { Accept: 'application/json' } });
  return { status: res.status, body: await res.json() };
});

resolver.define('deleteIssue', async ({ payload }) => {
  const res = await api.asApp().requestJira(route`/rest/api/3/issue/${String(payload.key)}`, { method: 'DELETE' });
  return { status: res.status, text: await res.text() };
});

resolver.define('counter', async () => {
  const n = ((await kvs.get<number>('counter')) ?? 0) + 1;
  await kvs.set('counter', n);
  return n;
});

resolver.define('enqueue', async ({ payload }) => {
  const events = (payload.items as Array<{ n: number; delayInSeconds?: number }>).map(({ n, delayInSeconds }) => ({
    body: { n },
    ...(delayInSeconds !== undefined ? { delayInSeconds } : {}),
  }));
  return workQueue.push(events);
});

resolver.define('jobStats', async ({ payload }) => workQueue.getStats(String(payload.jobId)));

/** Never answers: only the platform's deadline ends it. */
resolver.define('hang', async () => {
  await kvs.set('hang:started', true);
  await new Promise(() => undefined);
});

/** Waits `ms` real ms, then writes: after a deadline, the write must not land. */
resolver.define('slowWrite', async ({ payload }) => {
  await kvs.set('slow:started', true);
  await new Promise((resolve) => setTimeout(resolve, Number(payload.ms)));
  await kvs.set('slow:late', true);
  return 'done';
});

resolver.define('boom', () => {
  throw new Error('resolver failed on purpose');
});

export const resolverHandler = resolver.getDefinitions();

interface FixtureEvent {
  eventType: string;
  issue: { key: string; fields: { failTimes?: number; hang?: boolean } };
  retryContext?: { retryCount: number };
  context?: { moduleKey?: string };
}

async function record(listKey: string, entry: unknown): Promise<void> {
  const list = (await kvs.get<unknown[]>(listKey)) ?? [];
  await kvs.set(listKey, [...list, entry]);
}

export async function onIssueIgnoreSelf(event: FixtureEvent): Promise<unknown> {
  const attempt = event.retryContext?.retryCount ?? 0;
  await record('seen:ignore-self', { key: event.issue.key, attempt, hasSelfGenerated: 'selfGenerated' in event });
  if (attempt < (event.issue.fields.failTimes ?? 0)) {
    return new InvocationError({ retryAfter: 60, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
  return undefined;
}

export async function onIssueAll(event: FixtureEvent): Promise<void> {
  let userCallFailed = false;
  try {
    await asUser().requestJira(route`/rest/api/3/myself`);
  } catch {
    userCallFailed = true;
  }
  await record('seen:all', { key: event.issue.key, moduleKey: event.context?.moduleKey, userCallFailed });
  if (event.issue.fields.hang) await new Promise(() => undefined);
}

interface WorkEvent {
  body: { n: number };
  queueName: string;
  jobId: string;
  eventId: string;
  retryContext?: { retryCount: number };
}

export async function onWork(event: WorkEvent): Promise<unknown> {
  const attempt = event.retryContext?.retryCount ?? 0;
  await record('work', { n: event.body.n, attempt, queueName: event.queueName, hasJobId: typeof event.jobId === 'string' });
  if (event.body.n === 2 && attempt === 0) return new InvocationError({ retryAfter: 30, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  if (event.body.n === 3 && attempt === 0) throw new Error('consumer failed once on purpose');
  if (event.body.n === 99) return new InvocationError({ retryAfter: 1, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  // Hangs on its first delivery: only the consumer's 900 s deadline ends it, and Forge delivers it again.
  if (event.body.n === 500 && attempt === 0) await new Promise(() => undefined);
  return undefined;
}

/** Answers what `scheduled:reply` holds (default `{statusCode: 204}`), so tests can give Forge a wrong reply. */
export async function onSchedule(request: { context: { cloudId: string; moduleKey: string } }): Promise<unknown> {
  await kvs.set('scheduled', request.context.moduleKey);
  return (await kvs.get('scheduled:reply')) ?? { statusCode: 204 };
}
