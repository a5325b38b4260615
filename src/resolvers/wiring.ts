/**
 * Wiring by hand, in one place: adapters from `infra/` plugged into the services' ports.
 */
import { createJiraGateway } from '../infra/jira/jira-gateway';
import { createDestinationStore } from '../infra/storage/destination-store';
import { createSettingsStore } from '../infra/storage/settings-store';
import { createRollupStore, createRunStore } from '../infra/storage/rollup-store';
import { createViewerCache } from '../infra/storage/viewer-cache';
import { createReconcileQueue } from '../infra/queue/reconcile-queue';
import { createRollupJira } from '../infra/jira/rollup-queries';
import type { RetryPolicy } from '../infra/jira/jira-client';
import { AppError } from '../domain/errors';
import { destinationsService } from '../services/destinations-service';
import { epicService } from '../services/epic-service';
import { freshnessService } from '../services/freshness-service';
import { portfolioService } from '../services/portfolio-service';
import { reconcileService } from '../services/reconcile-service';
import { settingsService } from '../services/settings-service';
import type { Clock, JiraPort } from '../services/ports';
import type { RollupStore } from '../services/rollup-ports';
import { isLive } from '../domain/epic-figures';

const clock: Clock = { now: () => new Date() };
const EVENT_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 200, budgetMs: 5_000 };

/** Services as a resolver uses them; built per invocation so nothing leaks between calls. */
export function services() {
  const jira = createJiraGateway();
  const destinations = createDestinationStore();
  const settings = createSettingsStore();
  const { rollups, runs, reconcile, freshness } = backgroundServices();
  const currentRun = () => runs.get();
  const startReconcile = async () => {
    await reconcile.start('app');
  };
  const viewers = createViewerCache();
  const portfolio = portfolioService({ jira, destinations, settings, rollups, clock, currentRun, startReconcile, viewers });
  return {
    jira,
    destinations: destinationsService({ store: destinations, jira, clock, epicCounts: () => epicCountsOf(rollups), alignedEpicIds: (id) => alignedEpicIdsOf(rollups, id) }),
    settings: settingsService({ store: settings, jira, onEstimateChanged: startReconcile }),
    portfolio,
    epic: epicService({ jira, destinations, settings, clock, rollups, currentRun, viewers, onEpicChanged: (issueId) => freshness.epicChanged(issueId) }),
    reconcile,
  };
}

/** The stored rollups and what keeps them fresh: shared by resolvers, the trigger, the consumer and the schedule. */
export function backgroundServices() {
  const rollups = createRollupStore();
  const runs = createRunStore();
  const settings = createSettingsStore();
  const jira = createRollupJira();
  return {
    rollups,
    runs,
    jira,
    reconcile: reconcileService({ jira, store: rollups, runs, queue: createReconcileQueue(), settings, clock }),
    // An event handler retries briefly and then hands the event back to Forge, which redelivers it later.
    freshness: freshnessService({ jira: createRollupJira(EVENT_RETRY), store: rollups, runs, settings, clock }),
  };
}

/** Live epics per destination id in the stored rollups (bounded storage reads, no Jira request). */
async function epicCountsOf(rollups: RollupStore): Promise<Map<string, number> | undefined> {
  const stored = await rollups.load();
  if (!stored) return undefined;
  const counts = new Map<string, number>();
  for (const epic of stored.epics.values()) {
    if (isLive(epic) && typeof epic.destinationId === 'string') counts.set(epic.destinationId, (counts.get(epic.destinationId) ?? 0) + 1);
  }
  return counts;
}

/** Ids of the live epics the stored rollups hold on a destination, deltas included. */
async function alignedEpicIdsOf(rollups: RollupStore, destinationId: string): Promise<string[]> {
  const stored = await rollups.load();
  if (!stored) return [];
  return [...stored.epics.values()].filter((e) => isLive(e) && e.destinationId === destinationId).map((e) => e.id);
}

/** Server-side admin check, whatever surface calls: display conditions and UIs are never trusted. */
export async function requireAdmin(jira: JiraPort, accountId: string): Promise<void> {
  if (!(await jira.isAdmin(accountId))) {
    throw new AppError('FORBIDDEN', 'Only Jira administrators can change destinations and settings.');
  }
}
