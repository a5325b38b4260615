/**
 * Destinations in the Custom Entity Store, written only through conditional transactions: each write checks
 * the version the caller read, so concurrent saves produce exactly one winner and no lost update.
 */
import { createHash, randomUUID } from 'node:crypto';
import { WhereConditions, FilterConditions, Filter } from '@forge/kvs';
import { kvs } from './kvs-retry';
import { DELETION_LEASE_MS, destinationNumber } from '../../domain/destination-rules';
import { fail, ok } from '../../domain/errors';
import type { Destination } from '../../domain/types';
import type { Clock, DestinationPlan, DestinationStore } from '../../services/ports';
import { ENTITY, INDEX, KEY } from './keys';
import { storageFailure } from './storage-errors';

interface NameClaim {
  destinationId: string;
}
interface Sequence {
  value: number;
}
interface DeletionMark {
  token: string;
  since: number;
}

type TransactionBuilder = ReturnType<typeof kvs.transact>;

/** Forge takes at most 25 operations in one transaction. */
const MAX_OPS = 25;
/**
 * A change that lost a race waits a random time up to a limit that doubles each try (full jitter), and
 * keeps trying for as long as a resolver may run: 50 admins creating at once all get through.
 */
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 400;
const RETRY_BUDGET_MS = 18_000;

/** Entity keys allow a narrow character set; names do not, so claims are keyed by a hash of the name. */
export function nameClaimKey(name: string): string {
  return `n-${createHash('sha256').update(name.trim().toLocaleLowerCase('en')).digest('hex').slice(0, 40)}`;
}

const versionIs = (version: number) => new Filter<Destination>().and('version', FilterConditions.equalTo(version));
const isNew = () => new Filter<Destination>().and('version', FilterConditions.notExists());

export function createDestinationStore(clock: Clock): DestinationStore {
  const now = () => clock.now().getTime();
  const destinations = () => kvs.entity<Destination>(ENTITY.destination);

  const store: DestinationStore = {
    async list() {
      try {
        const out: Destination[] = [];
        let cursor: string | undefined;
        do {
          let query = destinations().query().index(INDEX.destinationByPriority).where(WhereConditions.greaterThan(0)).limit(100);
          if (cursor) query = query.cursor(cursor);
          const page = await query.getMany();
          out.push(...page.results.map((r) => r.value));
          cursor = page.nextCursor;
        } while (cursor);
        return out.sort((a, b) => a.priority - b.priority);
      } catch (error) {
        throw storageFailure(error);
      }
    },

    async get(id) {
      try {
        return await destinations().get(id);
      } catch (error) {
        throw storageFailure(error);
      }
    },

    async change(plan, rank) {
      const deadline = now() + RETRY_BUDGET_MS;
      for (let attempt = 0; ; attempt++) {
        const read = await readForChange();
        const planned = plan(read.all, `D-${read.lastId + 1}`);
        if (!planned.ok) return planned;
        const written = await writePlan(read, planned.value, `D-${read.lastId + 1}`);
        if (written === 'done') return ok(planned.value.value);
        if (written === 'partly') {
          // The change itself is stored; only ranks behind it may be left to renumber. If that fails too, the
          // next change that moves ranks renumbers them (every plan ranks from what is stored).
          await tidy(rank, deadline).catch(() => undefined);
          return ok(planned.value.value);
        }
        const clash = await nameClash(read, planned.value);
        if (clash) return fail('CONFLICT', `Another destination is already named "${clash}". Choose another name.`);
        if (now() > deadline) {
          return fail('CONFLICT', 'Destinations are being changed by several people at this moment, so this change could not be saved. Nothing was changed; try again.');
        }
        await pause(attempt);
      }
    },

    async save(changes) {
      const tx = kvs.transact();
      for (const { destination, previous } of changes) writeOps(destination, previous).forEach((op) => op(tx));
      try {
        await tx.execute();
        return ok(undefined);
      } catch (error) {
        if (isConditionFailure(error)) {
          return fail('CONFLICT', await explainConflict(changes));
        }
        throw storageFailure(error);
      }
    },

    async markDeletion(destination, now) {
      const token = randomUUID();
      try {
        await kvs
          .transact()
          .check<Destination>(destination.id, { entityName: ENTITY.destination, conditions: versionIs(destination.version) })
          .set<DeletionMark>(destination.id, { token, since: now }, {
            entityName: ENTITY.destinationDeletion,
            // A mark left by a delete that died no longer counts.
            conditions: new Filter<DeletionMark>()
              .or('since', FilterConditions.notExists())
              .or('since', FilterConditions.lessThan(now - DELETION_LEASE_MS)),
          })
          .execute();
        return ok(token);
      } catch (error) {
        if (!isConditionFailure(error)) throw storageFailure(error);
        const stored = await store.get(destination.id);
        if (!stored) return fail('NOT_FOUND', `Destination ${destination.id} does not exist (it may have been deleted). Reload the list.`);
        if (stored.version !== destination.version) {
          return fail('CONFLICT', `Destination "${stored.name}" was changed by someone else (version ${stored.version}); reload and try again.`);
        }
        return fail('CONFLICT', `Destination "${stored.name}" is already being deleted by someone else.`);
      }
    },

    async deletionMark(id) {
      try {
        return (await kvs.entity<DeletionMark>(ENTITY.destinationDeletion).get(id))?.since;
      } catch (error) {
        throw storageFailure(error);
      }
    },

    async releaseDeletion(id, token) {
      try {
        await kvs
          .transact()
          .delete<DeletionMark>(id, { entityName: ENTITY.destinationDeletion, conditions: new Filter<DeletionMark>().and('token', FilterConditions.equalTo(token)) })
          .execute();
      } catch (error) {
        // Someone else's mark (ours expired and was replaced) stays.
        if (!isConditionFailure(error)) throw storageFailure(error);
      }
    },
  };

  interface ReadForChange {
    /** The ranking counter as read (`undefined`: never advanced). */
    ranking: number | undefined;
    lastId: number;
    idSequence: number | undefined;
    all: Destination[];
  }

  async function readForChange(): Promise<ReadForChange> {
    try {
      // The counter is read before the destinations: if anyone changes them after, the write's condition
      // on the counter fails and the change is planned again from a fresh read.
      const ranking = (await kvs.entity<Sequence>(ENTITY.sequence).get(KEY.destinationRanking))?.value;
      const [ids, all] = await Promise.all([kvs.entity<Sequence>(ENTITY.sequence).get(KEY.destinationSequence), store.list()]);
      const highest = all.reduce((max, d) => Math.max(max, destinationNumber(d.id) ?? 0), 0);
      return { ranking, idSequence: ids?.value, lastId: Math.max(ids?.value ?? 0, highest), all };
    } catch (error) {
      throw storageFailure(error);
    }
  }

  /**
   * Writes a plan: the first transaction holds the ranking counter, the id sequence when a new id is taken,
   * the primary destinations, the delete, and as many renumbered ones as fit; further transactions (large
   * renumberings only) each advance the counter again. `lost`: the first transaction's conditions failed
   * and nothing was written.
   */
  async function writePlan(read: ReadForChange, plan: DestinationPlan<unknown>, newId: string): Promise<'done' | 'partly' | 'lost'> {
    const before = new Map(read.all.map((d) => [d.id, d]));
    const primaryIds = new Set(plan.primary.map((d) => d.id));
    const changed = (d: Destination) => before.get(d.id)?.version !== d.version;
    const groups: Array<(tx: TransactionBuilder) => void> = [];
    const sizes: number[] = [];
    const takesId = plan.primary.some((d) => d.id === newId && !before.has(d.id));
    if (takesId) {
      groups.push((tx) => casSequence(tx, KEY.destinationSequence, read.idSequence, read.lastId + 1));
      sizes.push(1);
    }
    if (plan.remove) {
      const removed = plan.remove;
      groups.push((tx) => {
        tx.delete<Destination>(removed.id, { entityName: ENTITY.destination, conditions: versionIs(removed.version) });
        // An archived destination holds no name claim; the name may belong to a live one now.
        if (removed.status !== 'archived') tx.delete(nameClaimKey(removed.name), { entityName: ENTITY.destinationName });
        tx.delete(removed.id, { entityName: ENTITY.destinationDeletion });
      });
      sizes.push(removed.status !== 'archived' ? 3 : 2);
    }
    const ordered = [...plan.primary, ...plan.ranked.filter((d) => !primaryIds.has(d.id) && d.id !== plan.remove?.id)].filter(changed);
    for (const destination of ordered) {
      const previous = before.get(destination.id) ?? null;
      const ops = writeOps(destination, previous);
      groups.push((tx) => ops.forEach((op) => op(tx)));
      sizes.push(ops.length);
    }
    if (groups.length === 0) return 'done';

    let ranking = read.ranking;
    let first = true;
    let index = 0;
    while (index < groups.length) {
      const tx = kvs.transact();
      casSequence(tx, KEY.destinationRanking, ranking, (ranking ?? 0) + 1);
      let ops = 1;
      // The first transaction takes every primary write whatever the count; Forge refuses more than 25.
      const mustTake = first ? (takesId ? 1 : 0) + (plan.remove ? 1 : 0) + plan.primary.filter(changed).length : 0;
      let taken = 0;
      while (index < groups.length && (taken < mustTake || ops + (sizes[index] ?? 0) <= MAX_OPS)) {
        groups[index]?.(tx);
        ops += sizes[index] ?? 0;
        index += 1;
        taken += 1;
      }
      try {
        await tx.execute();
      } catch (error) {
        if (!isConditionFailure(error)) {
          if (first) throw storageFailure(error);
          return 'partly';
        }
        return first ? 'lost' : 'partly';
      }
      ranking = (ranking ?? 0) + 1;
      first = false;
    }
    return 'done';
  }

  /**
   * After a lost first transaction: when nothing it was conditional on moved (the counters and every
   * destination's version are as read), only a name claim can have failed. Returns that name.
   */
  async function nameClash(read: ReadForChange, plan: DestinationPlan<unknown>): Promise<string | undefined> {
    try {
      // Under contention the counter has moved: one read says so.
      if ((await kvs.entity<Sequence>(ENTITY.sequence).get(KEY.destinationRanking))?.value !== read.ranking) return undefined;
    } catch (error) {
      throw storageFailure(error);
    }
    const again = await readForChange();
    if (again.ranking !== read.ranking || again.idSequence !== read.idSequence) return undefined;
    const versions = new Map(again.all.map((d) => [d.id, d.version]));
    if (read.all.length !== again.all.length || read.all.some((d) => versions.get(d.id) !== d.version)) return undefined;
    return plan.primary.find((d) => d.status !== 'archived')?.name;
  }

  /** The writes that store one destination: the entity (conditional on the version read) and its name claim. */
  function writeOps(destination: Destination, previous: Destination | null): Array<(tx: TransactionBuilder) => void> {
    const ops: Array<(tx: TransactionBuilder) => void> = [
      (tx) => tx.set<Destination>(destination.id, destination, {
        entityName: ENTITY.destination,
        conditions: previous === null ? isNew() : versionIs(previous.version),
      }),
    ];
    const live = destination.status !== 'archived';
    const wasLive = previous !== null && previous.status !== 'archived';
    const renamed = previous !== null && nameClaimKey(previous.name) !== nameClaimKey(destination.name);
    if (previous !== null && wasLive && (renamed || !live)) {
      ops.push((tx) => tx.delete(nameClaimKey(previous.name), { entityName: ENTITY.destinationName }));
    }
    if (live && (!wasLive || renamed)) {
      // Claim the name only if nobody else holds it.
      ops.push((tx) => tx.set<NameClaim>(nameClaimKey(destination.name), { destinationId: destination.id }, {
        entityName: ENTITY.destinationName,
        conditions: new Filter<NameClaim>()
          .or('destinationId', FilterConditions.notExists())
          .or('destinationId', FilterConditions.equalTo(destination.id)),
      }));
    }
    return ops;
  }

  /** Renumber what an interrupted plan left, from a fresh read, until the ranking holds. */
  async function tidy(rank: (all: Destination[]) => Destination[], deadline: number): Promise<void> {
    for (let attempt = 0; now() <= deadline; attempt++) {
      const read = await readForChange();
      const written = await writePlan(read, { primary: [], ranked: rank(read.all), value: undefined }, '');
      if (written !== 'lost') return;
      await pause(attempt);
    }
  }

  return store;

  async function explainConflict(changes: Array<{ destination: Destination; previous: Destination | null }>): Promise<string> {
    for (const { destination, previous } of changes) {
      const stored = await destinations().get(destination.id);
      if ((stored?.version ?? null) !== (previous?.version ?? null)) {
        return `Destination "${stored?.name ?? destination.name}" was changed by someone else (now version ${stored?.version ?? 'deleted'}). Reload and try again.`;
      }
    }
    const first = changes[0]?.destination;
    return `Another destination is already named "${first?.name ?? ''}". Choose another name.`;
  }
}

/** Advance a counter in `tx` from the value read (compare-and-set). */
function casSequence(tx: TransactionBuilder, key: string, read: number | undefined, next: number): void {
  tx.set<Sequence>(key, { value: next }, {
    entityName: ENTITY.sequence,
    conditions: read === undefined
      ? new Filter<Sequence>().and('value', FilterConditions.notExists())
      : new Filter<Sequence>().and('value', FilterConditions.equalTo(read)),
  });
}

/** Full jitter: a random wait up to a limit that doubles with each lost race. */
function pause(attempt: number): Promise<void> {
  const limit = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 10));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * limit));
}

/** A failed transaction condition: the one storage failure that means "someone else got there first". */
export function isConditionFailure(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  return /CONDITION|CONFLICT|TRANSACTION_CANCEL/i.test(code);
}
