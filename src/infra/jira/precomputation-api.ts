/**
 * Jira's precomputation API for the app's own JQL functions (`/rest/api/3/jql/function/computation`): list
 * them (paged by `startAt`), and update their values. Only apps may call it, and an app sees only its own.
 */
import { route } from '@forge/api';
import { z } from 'zod';
import type { Clock } from '../../services/ports';
import { createJiraClient, type RetryPolicy } from './jira-client';
import { parseJira } from './jira-dto';

const precomputationPageSchema = z
  .object({
    isLast: z.boolean().optional(),
    startAt: z.number().optional(),
    total: z.number().optional(),
    values: z.array(
      z
        .object({
          id: z.string(),
          functionName: z.string(),
          field: z.string().optional(),
          operator: z.string(),
          arguments: z.array(z.string()).default([]),
          value: z.string().optional(),
          error: z.string().optional(),
        })
        .passthrough(),
    ),
  })
  .passthrough();

export type StoredPrecomputation = z.infer<typeof precomputationPageSchema>['values'][number];
export type PrecomputationUpdate = { id: string; value: string } | { id: string; error: string };

/** Pages of 100, Jira's default; a safety net against a listing that never ends. */
const PAGE = 100;
const MAX_PAGES = 100;
/** Updates sent per request. Jira documents no limit; small batches keep one failure small. */
const UPDATE_BATCH = 50;

export interface PrecomputationApi {
  list(): Promise<StoredPrecomputation[]>;
  /** Send updates; returns the ids Jira no longer has (removed after 7 days unused). */
  update(updates: PrecomputationUpdate[]): Promise<string[]>;
}

export function createPrecomputationApi(policy: RetryPolicy, clock: Clock): PrecomputationApi {
  const client = createJiraClient(policy, clock);
  return {
    async list() {
      const out: StoredPrecomputation[] = [];
      for (let page = 0, startAt = 0; page < MAX_PAGES; page++) {
        const answer = await client.request('app', route`/rest/api/3/jql/function/computation?startAt=${startAt}&maxResults=${PAGE}`);
        const parsed = parseJira(precomputationPageSchema, answer.json, 'a precomputation list');
        out.push(...parsed.values);
        if (parsed.isLast !== false || parsed.values.length === 0) break;
        startAt += parsed.values.length;
      }
      return out;
    },
    async update(updates) {
      const missing: string[] = [];
      for (let i = 0; i < updates.length; i += UPDATE_BATCH) {
        const body = { values: updates.slice(i, i + UPDATE_BATCH) };
        const answer = await client.request('app', route`/rest/api/3/jql/function/computation?skipNotFoundPrecomputations=true`, { method: 'POST', body });
        const ids = (answer.json as { notFoundPrecomputationIDs?: unknown } | undefined)?.notFoundPrecomputationIDs;
        if (Array.isArray(ids)) missing.push(...ids.filter((x): x is string => typeof x === 'string'));
      }
      return missing;
    },
  };
}
