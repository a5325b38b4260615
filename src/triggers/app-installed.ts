/**
 * The app was installed on a site (`avi:forge:installed:app`): start the first full recalculation, so the
 * stored rollups exist by the time anyone looks. Views never compute figures themselves; until this run
 * finishes they say it is calculating, and how far it has got. A second start joins the run already going.
 */
import { InvocationError, InvocationErrorCode } from '@forge/events';
import { appContainer } from '../app/container';

/** Seconds before Forge delivers the event again when the run could not be started. */
const RETRY_AFTER_SECONDS = 60;

export async function handleAppInstalled(): Promise<InvocationError | { ok: true; runId: string }> {
  try {
    const run = await appContainer().background().reconcile.start('install');
    return { ok: true, runId: run.runId };
  } catch (error) {
    console.warn(`first recalculation not started yet: ${error instanceof Error ? error.message : 'unexpected failure'}`);
    return new InvocationError({ retryAfter: RETRY_AFTER_SECONDS, retryReason: InvocationErrorCode.FUNCTION_RETRY_REQUEST });
  }
}
