/**
 * Wiring by hand, in one place: adapters from `infra/` plugged into the services' ports.
 */
import { createJiraGateway } from '../infra/jira/jira-gateway';
import { createDestinationStore } from '../infra/storage/destination-store';
import { createSettingsStore } from '../infra/storage/settings-store';
import { createSnapshotStore } from '../infra/storage/snapshot-store';
import { AppError } from '../domain/errors';
import { destinationsService } from '../services/destinations-service';
import { epicService } from '../services/epic-service';
import { portfolioService, type SiteRollup } from '../services/portfolio-service';
import { settingsService } from '../services/settings-service';
import type { Clock, JiraPort } from '../services/ports';

const clock: Clock = { now: () => new Date() };

/** Services as a resolver uses them; built per invocation so nothing leaks between calls. */
export function services() {
  const jira = createJiraGateway();
  const destinations = createDestinationStore();
  const settings = createSettingsStore();
  const snapshots = createSnapshotStore<SiteRollup>('portfolio');
  const portfolio = portfolioService({ jira, destinations, settings, snapshots, clock });
  return {
    jira,
    destinations: destinationsService({ store: destinations, jira, clock }),
    settings: settingsService({ store: settings, jira }),
    portfolio,
    epic: epicService({ jira, destinations, settings, clock, onChanged: (at) => portfolio.invalidate(at) }),
  };
}

/** Server-side admin check, whatever surface calls: display conditions and UIs are never trusted. */
export async function requireAdmin(jira: JiraPort, accountId: string): Promise<void> {
  if (!(await jira.isAdmin(accountId))) {
    throw new AppError('FORBIDDEN', 'Only Jira administrators can change destinations and settings.');
  }
}
