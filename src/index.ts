/**
 * Forge entry points: one export per `function` handler in manifest.yml, nothing else.
 */
export { adminResolver } from './resolvers/admin-resolver';
export { fieldResolver } from './resolvers/field-resolver';
export { gadgetResolver } from './resolvers/gadget-resolver';
export { panelResolver } from './resolvers/panel-resolver';
export { portfolioResolver } from './resolvers/portfolio-resolver';
export { handleAppInstalled as onAppInstalled } from './triggers/app-installed';
export { handleIssueEvent as onIssueEvent } from './triggers/issue-events';
export { reconcileConsumer, dailyReconcile } from './consumers/reconcile-consumer';
export { fieldSyncConsumer } from './consumers/field-sync-consumer';
export { compactionConsumer } from './consumers/compaction-consumer';
export { destinationWork } from './jql-function/destination-work';
