/**
 * One schema per resolver key: every payload is validated here, at the edge, before any service sees it.
 */
import { z } from 'zod';
import type { ResolverKey } from '../contract';

const id = z.string().trim().regex(/^D-\d{1,9}$/, 'must be a destination id such as D-3');
const version = z.number().int().min(0, 'must be a version number');
const issueKey = z.string().trim().regex(/^[A-Z][A-Z0-9_]{0,9}-\d{1,9}$/, 'must be an issue key such as PAY-12');
const accountId = z.string().trim().min(1).max(128);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
const empty = z.object({}).strict().optional().transform(() => ({}) as Record<string, never>);

const draft = z.object({
  name: z.string().max(1000, 'is far too long'),
  description: z.string().max(20_000, 'is far too long').optional(),
  businessOwner: z.string().max(128),
  deliveryLead: accountId.optional(),
  targetDate: z.string().max(40),
  startDate: z.string().max(40).optional(),
  status: z.enum(['draft', 'active', 'achieved']).optional(),
}).strict();

export const PAYLOADS = {
  'me/get': empty,
  'users/search': z.object({ query: z.string().trim().max(100) }).strict(),
  'destinations/list': z.object({ includeArchived: z.boolean().optional(), withEpicCounts: z.boolean().optional() }).strict().optional().transform((p) => p ?? {}),
  'destinations/get': z.object({ id }).strict(),
  'destinations/create': z.object({ draft }).strict(),
  'destinations/update': z.object({ id, version, draft }).strict(),
  'destinations/reorder': z.object({ orderedIds: z.array(id).max(1000) }).strict(),
  'destinations/archive': z.object({ id, version }).strict(),
  'destinations/restore': z.object({ id, version }).strict(),
  'destinations/delete': z.object({ id, version }).strict(),
  'epic/alignment': z.object({ issueKey }).strict(),
  'epic/set-destination': z.object({ issueKey, destinationId: id.nullable() }).strict(),
  'portfolio/get': z.object({
    projectKey: z.string().regex(/^[A-Z][A-Z0-9_]{0,9}$/, 'must be a project key').optional(),
    owner: accountId.optional(),
    status: z.array(z.enum(['draft', 'active', 'achieved', 'archived'])).max(4).optional(),
  }).strict().optional().transform((p) => p ?? {}),
  'reconcile/start': empty,
  'reconcile/status': empty,
  'settings/get': empty,
  'settings/save': z.object({
    settings: z.object({
      projectKeys: z.array(z.string().max(20)).max(1000),
      estimateField: z.unknown(),
      throughputWeeks: z.number(),
      // Optional so callers that predate them keep working: an absent threshold keeps its current value.
      onTrackChance: z.number().optional(),
      atRiskChance: z.number().optional(),
    }).strict(),
    version,
  }).strict(),
} satisfies Record<ResolverKey, z.ZodType>;

export { isoDate };
