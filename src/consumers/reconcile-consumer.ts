/**
 * The background recalculation, one step per queue message (consumers get up to 900 s; a step stops well
 * before). A failed step is delivered again and resumes from the saved progress; after Forge's last retry the
 * run is marked failed and the previous complete rollup stays in use.
 */
import type { InvocationError } from '@forge/events';
import { appContainer } from '../app/container';
import type { CompactionService } from '../services/compaction-service';
import { retryOrGiveUp } from './retries';

const RETRY_AFTER_SECONDS = 60;
/** A new generation or a new day: the outline cold views read follows a minute later, in the next window of
 *  storage read units (what a rebuild or the daily run read has used this one). */
const OUTLINE_AFTER_SECONDS = 60;

/** The compaction consumer brings the portfolio's outline up to date (compaction-consumer.ts). */
async function outlineLater(compaction: Pick<CompactionService, 'request'>): Promise<void> {
  await compaction.request({ delaySeconds: OUTLINE_AFTER_SECONDS, outline: true }).catch((error: unknown) => console.warn('portfolio outline refresh not asked for', error instanceof Error ? error.message : error));
}

interface StepEvent {
  body?: { runId?: unknown; step?: unknown };
  retryContext?: { retryCount?: number };
}

export async function reconcileConsumer(event: StepEvent): Promise<InvocationError | { ok: true; outcome: string }> {
  const runId = typeof event.body?.runId === 'string' ? event.body.runId : undefined;
  const step = typeof event.body?.step === 'number' ? event.body.step : undefined;
  if (runId === undefined || step === undefined) return { ok: true, outcome: 'ignored' };
  const { reconcile, compaction } = appContainer().background();
  try {
    const outcome = await reconcile.step({ runId, step });
    if (outcome === 'done') await outlineLater(compaction);
    return { ok: true, outcome };
  } catch (error) {
    return retryOrGiveUp(event, error, {
      what: `recalculation ${runId} step ${step}`,
      retryAfterSeconds: RETRY_AFTER_SECONDS,
      giveUp: (message) => reconcile.fail({ runId }, message),
    });
  }
}

/**
 * Daily: catch up with what events missed over the last day (reading only what changed), or rebuild everything
 * when the stored rollup cannot be trusted (see `catch-up-service.ts`). May run twice: catching up twice
 * applies the same facts, and a second rebuild start joins the first. Forge counts a scheduled trigger as
 * successful only when it answers `{statusCode: 204}` (any other reply is recorded as a failure).
 */
export async function dailyReconcile(): Promise<{ statusCode: 204 }> {
  const { catchUp, compaction } = appContainer().background();
  await catchUp.daily();
  // The day's trip snapshots (docs/decisions/0014) and then the outline, in the compaction consumer: with the
  // catch-up, a 250,000-issue site's snapshots ran past the trigger's 55 s.
  await compaction
    .push({ delaySeconds: 0, snapshots: true })
    .catch((error: unknown) => console.warn('daily trip snapshots not asked for', error instanceof Error ? error.message : error));
  return { statusCode: 204 };
}
