/**
 * The composition root: adapters from `infra/` plugged into the services' ports, by hand, in one place.
 * Resolvers, the issue trigger, the queue consumer and the schedule take their services from here, and so do
 * the benchmark and the tests' harnesses. A container owns what outlives an invocation (site facts, the
 * shards last read, the last assembled portfolio, the read timer), so nothing else keeps module-level state.
 */
import { getAppContext } from '@forge/api';
import { systemClock, readTimer } from '../infra/clock';
import { createAppJira, type SiteMetaCache } from '../infra/jira/app-jira';
import { BACKGROUND_RETRY, RESOLVER_RETRY, type RetryPolicy } from '../infra/jira/jira-client';
import { createPrecomputationApi } from '../infra/jira/precomputation-api';
import { createUserJira } from '../infra/jira/user-jira';
import { createFieldSyncQueue } from '../infra/queue/field-sync-queue';
import { createCompactionQueue } from '../infra/queue/compaction-queue';
import { createReconcileQueue } from '../infra/queue/reconcile-queue';
import { createDestinationStore } from '../infra/storage/destination-store';
import { withMemberMarks } from '../infra/storage/member-marks';
import { createOutlineStore } from '../infra/storage/outline-store';
import { createRollupStore, createRunStore, type ShardCache } from '../infra/storage/rollup-store';
import { createSettingsStore } from '../infra/storage/settings-store';
import { createSiteFactsStore } from '../infra/storage/site-facts-store';
import { createTripStore } from '../infra/storage/trip-store';
import { createViewerCache } from '../infra/storage/viewer-cache';
import { createVoicesStore } from '../infra/storage/voices-store';
import { accessService } from '../services/access-service';
import { compactionService } from '../services/compaction-service';
import { destinationsService } from '../services/destinations-service';
import { epicService } from '../services/epic-service';
import { catchUpService } from '../services/catch-up-service';
import { fieldSyncService } from '../services/field-sync-service';
import { freshnessService } from '../services/freshness-service';
import { historyService } from '../services/history-service';
import { portfolioService, type AssemblyMemo } from '../services/portfolio-service';
import { gadgetService } from '../services/gadget-service';
import type { Clock } from '../services/ports';
import { reconcileService } from '../services/reconcile-service';
import { settingsService } from '../services/settings-service';
import { voicesService } from '../services/voices-service';
import { destinationWorkService, refreshQuietly, withPrecomputationRefresh } from '../jql-function/destination-work-service';

/** An event handler retries briefly and then hands the event back to Forge, which redelivers it later. */
const EVENT_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 200, budgetMs: 5_000, maxWaitMs: 5_000, reserveShare: BACKGROUND_RETRY.reserveShare };

export interface ContainerOptions {
  clock?: Clock;
}

export function createContainer(options: ContainerOptions = {}) {
  const clock = options.clock ?? systemClock;
  const metaCache: SiteMetaCache = {};
  const shardCache: ShardCache = {};
  const memo: AssemblyMemo = {};
  const readTime = readTimer(clock);
  const siteFacts = createSiteFactsStore();
  const appJira = (policy: RetryPolicy) => createAppJira({ policy, clock, metaCache, siteFacts });

  /** The stored rollups and what keeps them fresh: shared by resolvers, the trigger, the consumer and the schedule. */
  function background() {
    const stored = createRollupStore({ clock, shardCache, readTime });
    const runs = createRunStore();
    const settings = createSettingsStore();
    const destinationWork = destinationWorkService({ rollups: stored, destinations: createDestinationStore(clock), settings, api: createPrecomputationApi(EVENT_RETRY, clock) });
    // The `destinationWork` JQL function follows the rollups: refreshed when a rebuild publishes or epics change.
    const rollups = withPrecomputationRefresh(stored, () => destinationWork.refresh());
    const compaction = compactionService({ store: rollups, runs, clock, queue: createCompactionQueue() });
    // The rebuild's per-child marks reach the published epics, so events never re-read an epic's siblings.
    const reconcile = reconcileService({ jira: appJira(BACKGROUND_RETRY), store: withMemberMarks(rollups), runs, queue: createReconcileQueue(), settings, clock });
    const freshness = freshnessService({ jira: appJira(EVENT_RETRY), store: rollups, reader: rollups, runs, settings, clock, requestCompaction: () => compaction.request() });
    const catchUp = catchUpService({ jira: appJira(BACKGROUND_RETRY), freshness, reader: rollups, store: rollups, reconcile, runs, clock });
    const fieldSync = fieldSyncService({ jira: appJira(BACKGROUND_RETRY), destinations: createDestinationStore(clock), rollups, queue: createFieldSyncQueue() });
    // The daily snapshots read the stored rollups only (no Jira read): the Jira adapters are never asked here.
    const history = historyService({ rollups, destinations: createDestinationStore(clock), settings, trips: createTripStore(clock), clock, jira: appJira(BACKGROUND_RETRY), userJira: createUserJira({ policy: BACKGROUND_RETRY, clock }) });
    // The portfolio's outline, kept current for cold views after the stored figures change (docs/decisions/0015).
    const outline = portfolioService({
      jira: appJira(BACKGROUND_RETRY), userJira: createUserJira({ policy: BACKGROUND_RETRY, clock }), destinations: createDestinationStore(clock), settings, rollups, clock, memo, outlines: createOutlineStore(),
    });
    return { destinationWork, rollups, runs, compaction, reconcile, freshness, catchUp, fieldSync, history, outline };
  }

  /** Services as a resolver uses them: built per invocation (adapters count their own requests), over the container's caches. */
  function services() {
    const jira = appJira(RESOLVER_RETRY);
    const userJira = createUserJira({ policy: RESOLVER_RETRY, clock });
    const destinations = createDestinationStore(clock);
    const settings = createSettingsStore();
    const { rollups, runs, reconcile, freshness, fieldSync, destinationWork } = background();
    // Admins' changes of destinations or scope change what the `destinationWork` JQL function answers.
    const refreshDestinationWork = refreshQuietly(() => destinationWork.refresh());
    const currentRun = () => runs.get();
    const startReconcile = async () => {
      await reconcile.start('app');
    };
    const viewers = createViewerCache(clock);
    const voices = createVoicesStore(clock);
    const portfolio = portfolioService({ jira, userJira, destinations, settings, rollups, clock, currentRun, startReconcile, viewers, memo, voices, outlines: createOutlineStore() });
    // A destination's forecast as the portfolio works it out (memoised in a warm container, else from the
    // outline): what check-ins are compared with.
    const forecastOf = async (destinationId: string) => {
      const { site } = await portfolio.outline();
      return site.rollup.destinations.find((d) => d.destination.id === destinationId)?.forecast ?? null;
    };
    const trips = createTripStore(clock);
    const history = historyService({ rollups, destinations, settings, trips, clock, jira, userJira, viewers });
    // A destination that becomes active gets its scope baseline; a failure leaves the change saved and says so.
    const onActivated = async (id: string) => {
      await history.activated(id).catch((error: unknown) => console.warn(`baseline of ${id} not taken: ${error instanceof Error ? error.message : String(error)}`));
    };
    // A deleted destination's check-ins, concerns and history go with it.
    const onDeleted = async (id: string) => {
      await Promise.all([voices.forget(id), trips.forget(id)]);
    };
    return {
      access: accessService({ userJira, jira }),
      destinations: destinationsService({ store: destinations, jira, clock, rollups, onRenamed: (id) => fieldSync.renamed(id), onAlignmentChanged: refreshDestinationWork, onActivated, onDeleted }),
      settings: settingsService({ store: settings, jira, onEstimateChanged: startReconcile, onScopeChanged: refreshDestinationWork }),
      portfolio,
      gadget: gadgetService({ portfolio }),
      epic: epicService({ jira, userJira, destinations, settings, clock, rollups, currentRun, startReconcile, viewers, voices, onEpicChanged: (issueId) => freshness.epicChanged(issueId) }),
      voices: voicesService({ jira, userJira, destinations, settings, voices, clock, viewers, forecastOf }),
      reconcile,
      history,
    };
  }

  return { clock, services, background };
}

export type Container = ReturnType<typeof createContainer>;
export type Services = ReturnType<Container['services']>;

let current: { installation: string; container: Container } | undefined;

/**
 * The container of the installation being served: made on its first invocation and reused while the Forge
 * container stays warm. Another installation (another site) gets its own, so no site's facts reach another.
 */
export function appContainer(): Container {
  const installation = getAppContext().installationAri.installationId;
  if (current?.installation !== installation) current = { installation, container: createContainer() };
  return current.container;
}

/**
 * Forget the warm container, as Forge does when it recycles one: the next invocation starts cold (no site
 * facts, shards or assembled portfolio in memory). For the benchmark's cold views and for tests.
 */
export function dropAppContainer(): void {
  current = undefined;
}
