/**
 * Forge async events (`@forge/events` `Queue`), behind `remote: 'stargate'`. The SDK POSTs
 * `/webhook/queue/publish/...` `{queueName, jobId, payload: [{body, delayInSeconds?, concurrency?}], ...}` and
 * needs 201; `getStats` POSTs `/webhook/queue/stats/...` and needs 200 `{success, inProgress, failed}` (404 for
 * an unknown job); `cancel` POSTs `/webhook/queue/cancel/...` and needs 204. See `@forge/events/out/validators.js`.
 * Delivery is at least once: an `InvocationError` result or a throw redelivers, up to `MAX_RETRIES` times.
 */
import { randomUUID } from 'node:crypto';
import type { Scheduler } from './scheduler';
import type { SeamResponse, StargateHandler } from './runtime';

/** Forge: "at most 4 retries", `retryAfter` up to 900 s (for triggers and for queue events). */
export const MAX_RETRIES = 4;
export const MAX_RETRY_AFTER_SECONDS = 900;

export interface RetryRequest {
  retryAfter: number;
  retryReason: string;
  retryData?: unknown;
}

/** `new InvocationError(...)` returns its `toJSON()`: `{_retry: true, retryOptions}`; a `QueueResponse` with
 *  `retry()` called has `_retry: true` and no options. */
export function retryRequested(result: unknown): RetryRequest | undefined {
  if (typeof result !== 'object' || result === null || (result as { _retry?: unknown })._retry !== true) return undefined;
  const opts = (result as { retryOptions?: Partial<RetryRequest> }).retryOptions ?? {};
  const after = typeof opts.retryAfter === 'number' && opts.retryAfter > 0 ? opts.retryAfter : 1;
  return {
    retryAfter: Math.min(after, MAX_RETRY_AFTER_SECONDS),
    retryReason: opts.retryReason ?? 'FUNCTION_RETRY_REQUEST',
    ...(opts.retryData !== undefined ? { retryData: opts.retryData } : {}),
  };
}

/** What a consumer function receives as its first argument (`AsyncEvent` in `@forge/events` types). */
export interface QueueEvent {
  body: Record<string, unknown>;
  queueName: string;
  jobId: string;
  eventId: string;
  delayInSeconds?: number;
  concurrency?: { key: string; limit: number };
  retryContext?: { retryCount: number; retryReason: string; retryData?: unknown };
}

export interface JobStats {
  success: number;
  inProgress: number;
  failed: number;
}

interface Job {
  queueName: string;
  stats: JobStats;
  cancelled: boolean;
}

export interface QueueEmulatorOptions {
  scheduler: Scheduler;
  /** Queue names that have a consumer in the manifest. */
  hasConsumer: (queueName: string) => boolean;
  /** Call the consumer of `event.queueName`; resolves to the handler's result. */
  deliver: (event: QueueEvent) => Promise<unknown>;
  log: (message: string, error?: unknown) => void;
}

function json(status: number, body: unknown): SeamResponse {
  return { status, body: JSON.stringify(body) };
}

export class QueueEmulator implements StargateHandler {
  private jobs = new Map<string, Job>();
  /** Every event pushed, in order, for tests that assert what was queued. */
  readonly pushed: Array<{ queueName: string; jobId: string; body: Record<string, unknown>; delayInSeconds?: number }> = [];

  constructor(private readonly options: QueueEmulatorOptions) {}

  getStats(jobId: string): JobStats | undefined {
    const job = this.jobs.get(jobId);
    return job ? { ...job.stats } : undefined;
  }

  handle(path: string, rawBody: string | undefined): SeamResponse {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody ?? '{}') as Record<string, unknown>;
    } catch {
      return json(400, { message: 'Request body is not JSON' });
    }
    const jobId = String(body.jobId ?? '');
    if (path.startsWith('/webhook/queue/publish/')) return this.publish(body);
    if (path.startsWith('/webhook/queue/stats/')) {
      const stats = this.getStats(jobId);
      return stats ? json(200, stats) : json(404, { message: `Job ${jobId} not found` });
    }
    if (path.startsWith('/webhook/queue/cancel/')) {
      const job = this.jobs.get(jobId);
      if (!job) return json(404, { message: `Job ${jobId} not found` });
      job.cancelled = true;
      return { status: 204, body: null };
    }
    return json(404, { message: `Unknown queue endpoint ${path}` });
  }

  private publish(body: Record<string, unknown>): SeamResponse {
    const queueName = String(body.queueName ?? '');
    const jobId = String(body.jobId ?? randomUUID());
    const payload = Array.isArray(body.payload) ? (body.payload as Array<Record<string, unknown>>) : [];
    if (!this.options.hasConsumer(queueName)) {
      // Forge would accept the push and nothing would ever consume it; failing loudly catches a manifest typo.
      return json(400, { message: `No consumer in manifest.yml reads queue '${queueName}'` });
    }
    const job = this.jobs.get(jobId) ?? { queueName, stats: { success: 0, inProgress: 0, failed: 0 }, cancelled: false };
    this.jobs.set(jobId, job);
    for (const item of payload) {
      const delay = typeof item.delayInSeconds === 'number' ? item.delayInSeconds : 0;
      const event: QueueEvent = {
        body: JSON.parse(JSON.stringify(item.body ?? {})) as Record<string, unknown>,
        queueName,
        jobId,
        eventId: randomUUID(),
        ...(typeof item.delayInSeconds === 'number' ? { delayInSeconds: item.delayInSeconds } : {}),
        ...(item.concurrency ? { concurrency: item.concurrency as QueueEvent['concurrency'] } : {}),
      };
      this.pushed.push({ queueName, jobId, body: event.body, ...(event.delayInSeconds !== undefined ? { delayInSeconds: event.delayInSeconds } : {}) });
      job.stats.inProgress += 1;
      this.options.scheduler.schedule(delay, () => this.attempt(job, event, 0));
    }
    return { status: 201, body: JSON.stringify({ jobId }) };
  }

  private async attempt(job: Job, event: QueueEvent, retryCount: number): Promise<void> {
    if (job.cancelled) {
      job.stats.inProgress -= 1;
      return;
    }
    let retry: RetryRequest | undefined;
    try {
      retry = retryRequested(await this.options.deliver(event));
    } catch (e) {
      this.options.log(`consumer of queue '${event.queueName}' threw (event ${event.eventId}, attempt ${retryCount + 1})`, e);
      retry = { retryAfter: 1, retryReason: 'FUNCTION_PLATFORM_UNKNOWN_ERROR' };
    }
    if (!retry) {
      job.stats.inProgress -= 1;
      job.stats.success += 1;
      return;
    }
    if (retryCount >= MAX_RETRIES) {
      this.options.log(`queue '${event.queueName}' event ${event.eventId} failed after ${MAX_RETRIES} retries`);
      job.stats.inProgress -= 1;
      job.stats.failed += 1;
      return;
    }
    const next: QueueEvent = {
      ...event,
      retryContext: { retryCount: retryCount + 1, retryReason: retry.retryReason, ...(retry.retryData !== undefined ? { retryData: retry.retryData } : {}) },
    };
    this.options.scheduler.schedule(retry.retryAfter, () => this.attempt(job, next, retryCount + 1));
  }
}
