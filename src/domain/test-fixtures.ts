/** Small builders shared by the domain tests (not used by production code). */
import type { Destination, Epic, StatusCategory, WorkItem } from './types';

export function destination(overrides: Partial<Destination> & Pick<Destination, 'id'>): Destination {
  return {
    name: `Destination ${overrides.id}`,
    description: '',
    businessOwner: 'owner-1',
    targetDate: '2026-12-31',
    priority: 1,
    status: 'active',
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'admin-1',
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'admin-1',
    ...overrides,
  };
}

export function epic(key: string, destinationId: string | null, projectKey = key.split('-')[0] ?? 'A'): Epic {
  return { id: `id-${key}`, key, summary: `Epic ${key}`, projectKey, statusCategory: 'indeterminate', destinationId };
}

let itemSeq = 0;
export function workItem(
  epicKey: string | null,
  statusCategory: StatusCategory,
  overrides: Partial<WorkItem> = {},
): WorkItem {
  itemSeq += 1;
  const projectKey = overrides.projectKey ?? epicKey?.split('-')[0] ?? 'A';
  return {
    id: `i${itemSeq}`,
    key: `${projectKey}-${1000 + itemSeq}`,
    projectKey,
    statusCategory,
    estimate: 1,
    resolved: null,
    epicKey,
    ...overrides,
  };
}
