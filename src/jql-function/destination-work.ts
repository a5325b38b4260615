/**
 * The `jira:jqlFunction` entry point for `destinationWork` (see `destination-work-service.ts`): Jira calls it
 * with the clause when it has no precomputation for those arguments, and stores the answer.
 */
import { appContainer } from '../app/container';
import type { JqlFunctionArgs } from './destination-work-service';
import type { FragmentResult } from './destination-work-jql';

export async function destinationWork(args: JqlFunctionArgs): Promise<FragmentResult> {
  return appContainer().background().destinationWork.evaluate(args);
}
