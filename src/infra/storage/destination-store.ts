/**
 * Destinations in the Custom Entity Store, written only through conditional transactions: each write checks
 * the version the caller read, so concurrent saves produce exactly one winner and no lost update.
 */
import { createHash } from 'node:crypto';
import { kvs, WhereConditions, FilterConditions, Filter } from '@forge/kvs';
import { fail, ok } from '../../domain/errors';
import type { Destination } from '../../domain/types';
import type { DestinationStore } from '../../services/ports';
import { ENTITY, INDEX, KEY } from './keys';
import { storageFailure } from './storage-errors';

interface NameClaim {
  destinationId: string;
}
interface Sequence {
  value: number;
}

/** Entity keys allow a narrow character set; names do not, so claims are keyed by a hash of the name. */
export function nameClaimKey(name: string): string {
  return `n-${createHash('sha256').update(name.trim().toLocaleLowerCase('en')).digest('hex').slice(0, 40)}`;
}

const versionIs = (version: number) => new Filter<Destination>().and('version', FilterConditions.equalTo(version));
const isNew = () => new Filter<Destination>().and('version', FilterConditions.notExists());

export function createDestinationStore(): DestinationStore {
  const destinations = () => kvs.entity<Destination>(ENTITY.destination);

  return {
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

    async nextId() {
      // Compare-and-set on the counter; a lost race simply tries again with the new value.
      for (let attempt = 0; attempt < 20; attempt++) {
        try {
          const current = await kvs.entity<Sequence>(ENTITY.sequence).get(KEY.destinationSequence);
          const next = (current?.value ?? 0) + 1;
          const condition =
            current === undefined
              ? new Filter<Sequence>().and('value', FilterConditions.notExists())
              : new Filter<Sequence>().and('value', FilterConditions.equalTo(current.value));
          await kvs
            .transact()
            .set<Sequence>(KEY.destinationSequence, { value: next }, { entityName: ENTITY.sequence, conditions: condition })
            .execute();
          return `D-${next}`;
        } catch (error) {
          if (!isConditionFailure(error)) throw storageFailure(error);
        }
      }
      throw storageFailure(new Error('could not reserve a destination id'));
    },

    async save(changes) {
      const tx = kvs.transact();
      for (const { destination, previous } of changes) {
        tx.set<Destination>(destination.id, destination, {
          entityName: ENTITY.destination,
          conditions: previous === null ? isNew() : versionIs(previous.version),
        });
        const live = destination.status !== 'archived';
        const wasLive = previous !== null && previous.status !== 'archived';
        const renamed = previous !== null && nameClaimKey(previous.name) !== nameClaimKey(destination.name);
        if (wasLive && (renamed || !live)) {
          tx.delete(nameClaimKey(previous.name), { entityName: ENTITY.destinationName });
        }
        if (live && (!wasLive || renamed)) {
          // Claim the name only if nobody else holds it.
          tx.set<NameClaim>(nameClaimKey(destination.name), { destinationId: destination.id }, {
            entityName: ENTITY.destinationName,
            conditions: new Filter<NameClaim>()
              .or('destinationId', FilterConditions.notExists())
              .or('destinationId', FilterConditions.equalTo(destination.id)),
          });
        }
      }
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

    async remove(destination) {
      try {
        const tx = kvs
          .transact()
          .delete<Destination>(destination.id, { entityName: ENTITY.destination, conditions: versionIs(destination.version) });
        // An archived destination holds no name claim; the name may belong to a live one now.
        if (destination.status !== 'archived') tx.delete(nameClaimKey(destination.name), { entityName: ENTITY.destinationName });
        await tx.execute();
        return ok(undefined);
      } catch (error) {
        if (isConditionFailure(error)) {
          return fail('CONFLICT', `Destination ${destination.id} was changed by someone else. Reload and try again.`);
        }
        throw storageFailure(error);
      }
    },
  };

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

/** A failed transaction condition: the one storage failure that means "someone else got there first". */
export function isConditionFailure(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  return /CONDITION|CONFLICT|TRANSACTION_CANCEL/i.test(code);
}
