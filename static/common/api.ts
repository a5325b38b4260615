/**
 * The one typed way the UIs talk to the backend: `call('epic/alignment', {issueKey})` resolves with the
 * response data or throws an `ApiFailure` carrying the backend's code, message and offending field.
 */
import { invoke } from '@forge/bridge';
import type { ApiError, Envelope, ErrorCode, PayloadOf, ResolverKey, ResponseOf } from '../../src/contract';

export class ApiFailure extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiFailure';
    this.code = error.code;
    this.field = error.field;
  }
}

const isEnvelope = (value: unknown): value is Envelope<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

export async function call<K extends ResolverKey>(key: K, payload: PayloadOf<K>): Promise<ResponseOf<K>> {
  let raw: unknown;
  try {
    raw = await invoke(key, payload);
  } catch {
    // Bridge or transport failures carry nothing a person can act on; say what happened instead.
    throw new ApiFailure({ code: 'INTERNAL', message: 'The app could not be reached. Try again in a moment.' });
  }
  if (!isEnvelope(raw)) {
    throw new ApiFailure({ code: 'INTERNAL', message: 'The app answered in an unexpected way. Try again in a moment.' });
  }
  if (raw.ok) return raw.data as ResponseOf<K>;
  throw new ApiFailure(raw.error);
}

/** Turn anything thrown into something a person can read. */
export const toFailure = (e: unknown): ApiFailure =>
  e instanceof ApiFailure
    ? e
    : new ApiFailure({ code: 'INTERNAL', message: e instanceof Error ? e.message : 'Something went wrong.' });

/** The field name a form should mark for `error.field` (a dotted path such as `draft.name`). */
export const fieldOf = (failure: ApiFailure): string | undefined => failure.field?.split('.').pop();
