/**
 * What a queue consumer does with a failed step: Forge delivers it again after `retryAfterSeconds`, until its
 * last retry, when the step is given up (the caller says how) and the event acknowledged.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';

/** Forge retries a consumer event at most 4 times. */
const LAST_RETRY = 4;

/** The message a failure is logged with (an AppError's is already fit for people). */
export function failureMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'unexpected failure';
}

export async function retryOrGiveUp(
  event: { retryContext?: { retryCount?: number } },
  error: unknown,
  step: { what: string; retryAfterSeconds: number; giveUp: (message: string) => Promise<void> },
): Promise<InvocationError | { ok: true; outcome: 'failed' }> {
  const message = failureMessage(error);
  if ((event.retryContext?.retryCount ?? 0) >= LAST_RETRY) {
    await step.giveUp(message).catch(() => undefined);
    return { ok: true, outcome: 'failed' };
  }
  console.warn(`${step.what} failed, will retry: ${message}`);
  return new InvocationError({ retryAfter: step.retryAfterSeconds, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
}
