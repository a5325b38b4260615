/**
 * One schema per resolver key: every payload is validated here, at the edge, before any service sees it.
 */
import { z } from 'zod';
import type { ResolverKey } from '../contract';
import { isDestinationId } from '../domain/destination-rules';
import { textProblem, type TextKind } from '../domain/text';

/** The app's one rule for typed text (no control characters, not invisible-only), as a zod refinement. */
function textRule(kind: TextKind) {
  return (value: string, ctx: z.RefinementCtx): void => {
    const problem = textProblem(value, kind);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  };
}
const plainText = () => z.string().superRefine(textRule('line'));

const id = z.string().trim().refine(isDestinationId, 'must be a destination id such as D-3');
const version = z.number().int().min(0, 'must be a version number');
const issueKey = z.string().trim().regex(/^[A-Z][A-Z0-9_]{0,9}-\d{1,9}$/, 'must be an issue key such as PAY-12');
const accountId = z.string().trim().min(1).max(128).superRefine(textRule('line'));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
const empty = z.object({}).strict().optional().transform(() => ({}) as Record<string, never>);

// The name and the description are held to the same text rule by `validateDraft`, which answers on the
// field itself ("Give the destination a name.") rather than with a schema message.
const draft = z.object({
  name: z.string().max(1000, 'is far too long'),
  description: z.string().max(20_000, 'is far too long').optional(),
  businessOwner: plainText().max(128),
  deliveryLead: accountId.optional(),
  targetDate: plainText().max(40),
  startDate: plainText().max(40).optional(),
  status: z.enum(['draft', 'active', 'achieved']).optional(),
}).strict();

export const PAYLOADS = {
  'me/get': empty,
  'users/search': z.object({ query: z.string().trim().max(100).superRefine(textRule('line')) }).strict(),
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
      projectKeys: z.array(plainText().max(20)).max(1000),
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
