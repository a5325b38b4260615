/**
 * What people say about destinations, in the Custom Entity Store: a destination's check-in history (one value,
 * two years), its concerns (one value, answers included), and ONE site-wide summary (per destination: the
 * newest owner and lead check-in, the open concern count, the last check-in day), so a portfolio view or a
 * dashboard card reads one value however many rows it shows.
 *
 * Every write is one transaction that sets the changed value and the summary, each conditioned on the version
 * read (docs/decisions/0002): two people writing at once get exactly one winner, the other re-reads and tries
 * again, and the summary can never disagree with the values it sums up. Every value is sized in UTF-8 bytes
 * before it is written and kept under Forge's 240 KiB (docs/decisions/0013).
 */
import { Filter, FilterConditions } from '@forge/kvs';
import { latestCheckIns, type CheckIn } from '../../domain/check-ins';
import type { Concern } from '../../domain/concerns';
import { fail, ok, type Result } from '../../domain/errors';
import type { Clock, VoiceLatest, VoicesStore, VoiceSummaryEntry } from '../../services/ports';
import { isConditionFailure } from './destination-store';
import { kvs } from './kvs-retry';
import { ENTITY, KEY } from './keys';
import { storageFailure } from './storage-errors';
import { bytesOf, MAX_VALUE_BYTES } from './value-size';

interface Stored<T> {
  version: number;
  items: T[];
}
interface StoredSummary {
  version: number;
  byDestination: Record<string, VoiceSummaryEntry>;
}

/**
 * What a per-destination value may weigh. Check-ins at their longest (500 CJK characters, 1.5 KB a note) for
 * two people over two years would be 370 KB: past this budget the oldest notes are shortened (their status,
 * week, time and measure stay on the timeline). Concerns past it lose their oldest closed ones.
 */
export const VOICES_VALUE_BUDGET = 200 * 1024;
/** A shortened note keeps this many characters, then an ellipsis. */
export const SHORTENED_NOTE = 80;

const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 400;
const RETRY_BUDGET_MS = 18_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Within `budget` bytes: the oldest notes shortened first (the history is kept oldest first). */
export function fitCheckIns(history: CheckIn[], budget = VOICES_VALUE_BUDGET): CheckIn[] {
  let size = bytesOf(history);
  if (size <= budget) return history;
  const out = [...history];
  for (let i = 0; i < out.length && size > budget; i++) {
    const c = out[i]!;
    if (c.note.length <= SHORTENED_NOTE + 1) continue;
    const shorter = { ...c, note: `${c.note.slice(0, SHORTENED_NOTE)}…` };
    size -= bytesOf(c) - bytesOf(shorter);
    out[i] = shorter;
  }
  return out;
}

/** Within `budget` bytes: the oldest closed concerns dropped first; open and answered ones are never dropped. */
export function fitConcerns(concerns: Concern[], budget = VOICES_VALUE_BUDGET): Concern[] {
  let size = bytesOf(concerns);
  if (size <= budget) return concerns;
  const closed = concerns.filter((c) => c.state === 'closed').sort((a, b) => (a.at < b.at ? -1 : 1));
  const dropped = new Set<string>();
  for (const c of closed) {
    if (size <= budget) break;
    dropped.add(c.id);
    size -= bytesOf(c) + 1;
  }
  return concerns.filter((c) => !dropped.has(c.id));
}

const latestOf = (c: CheckIn | undefined): VoiceLatest | null => (c ? { status: c.status, at: c.at, by: c.by } : null);

/** A destination's line of the summary, `null` when there is nothing to say (no check-in, nothing open). */
export function summaryEntryOf(history: readonly CheckIn[], concerns: readonly Concern[]): VoiceSummaryEntry | null {
  const { owner, lead } = latestCheckIns(history);
  const open = concerns.filter((c) => c.state !== 'closed').length;
  let lastDay: string | null = null;
  for (const c of history) if (lastDay === null || c.at.slice(0, 10) > lastDay) lastDay = c.at.slice(0, 10);
  if (!owner && !lead && open === 0) return null;
  return { owner: latestOf(owner), lead: latestOf(lead), open, lastDay };
}

const versionIs = (version: number) => (version === 0 ? new Filter<{ version: number }>().and('version', FilterConditions.notExists()) : new Filter<{ version: number }>().and('version', FilterConditions.equalTo(version)));

export function createVoicesStore(clock: Clock): VoicesStore {
  const checkInsOf = () => kvs.entity<Stored<CheckIn>>(ENTITY.checkIns);
  const concernsOf = () => kvs.entity<Stored<Concern>>(ENTITY.concerns);
  const summaryOf = () => kvs.entity<StoredSummary>(ENTITY.voicesSummary);

  async function read<T>(entity: () => ReturnType<typeof checkInsOf> | ReturnType<typeof concernsOf>, key: string): Promise<Stored<T>> {
    const value = (await entity().get(key)) as Stored<T> | undefined;
    return value ?? { version: 0, items: [] };
  }
  async function readSummary(): Promise<StoredSummary> {
    return (await summaryOf().get(KEY.voicesSummary)) ?? { version: 0, byDestination: {} };
  }

  /**
   * Read both of a destination's values and the summary, apply `change` to one of them, and write it with the
   * summary in one conditional transaction; on a race, wait a jittered while and start again from the reads.
   */
  async function change<T, V>(
    kind: 'checkIns' | 'concerns',
    destinationId: string,
    apply: (items: T[]) => Result<{ items: T[]; value: V }>,
  ): Promise<Result<{ items: T[]; value: V }>> {
    const deadline = clock.now().getTime() + RETRY_BUDGET_MS;
    for (let attempt = 0; ; attempt++) {
      let history: Stored<CheckIn>;
      let concerns: Stored<Concern>;
      let summary: StoredSummary;
      try {
        [history, concerns, summary] = await Promise.all([read<CheckIn>(checkInsOf, destinationId), read<Concern>(concernsOf, destinationId), readSummary()]);
      } catch (error) {
        throw storageFailure(error);
      }
      const mine = (kind === 'checkIns' ? history : concerns) as unknown as Stored<T>;
      const applied = apply(mine.items);
      if (!applied.ok) return applied;
      const items = kind === 'checkIns' ? fitCheckIns(applied.value.items as CheckIn[]) : fitConcerns(applied.value.items as Concern[]);
      if (bytesOf(items) > MAX_VALUE_BYTES - 1024) {
        return fail('CONFLICT', 'This destination holds too much to add more: close some of its concerns first. Nothing was changed.');
      }
      const entry = kind === 'checkIns' ? summaryEntryOf(items as CheckIn[], concerns.items) : summaryEntryOf(history.items, items as Concern[]);
      const byDestination = { ...summary.byDestination };
      if (entry === null) delete byDestination[destinationId];
      else byDestination[destinationId] = entry;
      if (bytesOf(byDestination) > MAX_VALUE_BYTES - 1024) {
        return fail('CONFLICT', 'The app keeps a summary of every destination\'s check-ins and concerns, and it is full. Archive or delete destinations no longer followed. Nothing was changed.');
      }
      try {
        await kvs.transact()
          .set<Stored<T>>(destinationId, { version: mine.version + 1, items: items as T[] }, { entityName: ENTITY[kind], conditions: versionIs(mine.version) })
          .set<StoredSummary>(KEY.voicesSummary, { version: summary.version + 1, byDestination }, { entityName: ENTITY.voicesSummary, conditions: versionIs(summary.version) })
          .execute();
        // The items as stored (shortened to fit), and whatever else the caller's change answered.
        return ok({ items: items as T[], value: applied.value.value });
      } catch (error) {
        if (!isConditionFailure(error)) throw storageFailure(error);
      }
      if (clock.now().getTime() > deadline) {
        return fail('CONFLICT', 'Several people are writing check-ins or concerns at this moment, so this one could not be saved. Nothing was changed; try again.');
      }
      await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
    }
  }

  /** Delete a destination's values and its summary line together; on a race with a write, start again. */
  async function forget(destinationId: string): Promise<void> {
    const deadline = clock.now().getTime() + RETRY_BUDGET_MS;
    for (let attempt = 0; ; attempt++) {
      let summary: StoredSummary;
      try {
        summary = await readSummary();
      } catch (error) {
        throw storageFailure(error);
      }
      const byDestination = { ...summary.byDestination };
      delete byDestination[destinationId];
      try {
        await kvs.transact()
          .delete(destinationId, { entityName: ENTITY.checkIns })
          .delete(destinationId, { entityName: ENTITY.concerns })
          .set<StoredSummary>(KEY.voicesSummary, { version: summary.version + 1, byDestination }, { entityName: ENTITY.voicesSummary, conditions: versionIs(summary.version) })
          .execute();
        return;
      } catch (error) {
        if (!isConditionFailure(error)) throw storageFailure(error);
      }
      if (clock.now().getTime() > deadline) throw new Error(`the voices of ${destinationId} could not be removed: the summary kept changing`);
      await sleep(Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt));
    }
  }

  return {
    forget,
    async checkIns(destinationId) {
      try {
        return (await read<CheckIn>(checkInsOf, destinationId)).items;
      } catch (error) {
        throw storageFailure(error);
      }
    },
    async concerns(destinationId) {
      try {
        return (await read<Concern>(concernsOf, destinationId)).items;
      } catch (error) {
        throw storageFailure(error);
      }
    },
    async summary() {
      try {
        return (await readSummary()).byDestination;
      } catch (error) {
        throw storageFailure(error);
      }
    },
    async changeCheckIns(destinationId, apply) {
      const changed = await change<CheckIn, null>('checkIns', destinationId, (items) => {
        const next = apply(items);
        return next.ok ? ok({ items: next.value, value: null }) : next;
      });
      return changed.ok ? ok(changed.value.items) : changed;
    },
    async changeConcerns<T>(destinationId: string, apply: (concerns: Concern[]) => Result<{ concerns: Concern[]; value: T }>) {
      const changed = await change<Concern, T>('concerns', destinationId, (items) => {
        const next = apply(items);
        return next.ok ? ok({ items: next.value.concerns, value: next.value.value }) : next;
      });
      return changed.ok ? ok({ concerns: changed.value.items, value: changed.value.value }) : changed;
    },
  };
}
