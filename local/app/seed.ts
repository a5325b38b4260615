/**
 * Puts a site file's destinations into the app's storage, through the app's own store (so the stored shape
 * is exactly what production writes) and inside the platform's runtime seams.
 */
import { Filter, FilterConditions, kvs } from '@forge/kvs';
import type { Destination } from '../../src/domain/types';
import { systemClock } from '../../src/infra/clock';
import { createDestinationStore } from '../../src/infra/storage/destination-store';
import { ENTITY, KEY } from '../../src/infra/storage/keys';
import type { Site } from '../jira';
import type { LocalPlatform } from '../platform';

export async function seedDestinations(platform: LocalPlatform, site: Site): Promise<void> {
  await platform.runAsApp(async () => {
    const store = createDestinationStore(systemClock);
    const at = `${site.today}T00:00:00.000Z`;
    let highest = 0;
    for (const d of site.destinations) {
      const destination: Destination = {
        id: d.id,
        name: d.name,
        description: d.description ?? '',
        businessOwner: d.businessOwner,
        targetDate: d.targetDate,
        priority: d.priority,
        status: d.status,
        version: 1,
        createdAt: at,
        createdBy: d.businessOwner,
        updatedAt: at,
        updatedBy: d.businessOwner,
      };
      if (d.deliveryLead) destination.deliveryLead = d.deliveryLead;
      if (d.startDate) destination.startDate = d.startDate;
      if (d.status === 'archived') destination.archivedFrom = 'active';
      const saved = await store.save([{ destination, previous: null }]);
      if (!saved.ok) throw new Error(`site destination ${d.id}: ${saved.error.message}`);
      highest = Math.max(highest, Number(/^D-(\d+)$/.exec(d.id)?.[1] ?? 0));
    }
    // The id sequence continues after the site's ids, so new destinations never collide with them.
    await kvs
      .transact()
      .set(KEY.destinationSequence, { value: highest }, { entityName: ENTITY.sequence, conditions: new Filter<{ value: number }>().and('value', FilterConditions.notExists()) })
      .execute();
  });
}
