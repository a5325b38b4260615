/**
 * The trip history's stored values. Daily snapshots are kept one value per destination per calendar year
 * (`trip-snap:<id>:<year>`, days as compact tuples keyed by `MM-DD`): a full year is about 27 KB, far under
 * the 240 KiB value limit, and two years back is three reads. A baseline is one value per destination; a route
 * whose ids would not fit is kept as a note (`too big`). The weekly scenery snapshots are one small value.
 */
import type { TripSnapshot } from '../../contract/trip';
import type { ScenerySnapshot } from '../../domain/scenery-trend';
import type { IsoDate } from '../../domain/types';
import type { Clock } from '../../services/ports';
import type { StoredBaseline, TripStore } from '../../services/trip-ports';
import { KEY } from './keys';
import { kvs } from './kvs-retry';
import { storageFailure } from './storage-errors';
import { bytesOf, MAX_VALUE_BYTES } from './value-size';

/** `[done, scope, doneEstimate, scopeEstimate, forecastDate, likelyFrom, likelyTo, chance]`. */
type Day = [number, number, number, number, IsoDate | null, IsoDate | null, IsoDate | null, number | null];
type Year = Record<string, Day>;

const yearKey = (destinationId: string, year: number) => `${KEY.tripSnapshotPrefix}${destinationId}:${year}`;

function toDay(s: TripSnapshot): Day {
  return [s.done, s.scope, s.doneEstimate, s.scopeEstimate, s.forecastDate, s.likelyFrom, s.likelyTo, s.chance];
}

function fromDay(date: IsoDate, d: Day): TripSnapshot {
  return { date, done: d[0], scope: d[1], doneEstimate: d[2], scopeEstimate: d[3], forecastDate: d[4], likelyFrom: d[5], likelyTo: d[6], chance: d[7] };
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw storageFailure(error);
  }
}

/** `clock` is the app's: a year's value is read up to the year the app lives in, not the machine's. */
export function createTripStore(clock: Clock): TripStore {
  return {
    snapshots: (destinationId, from) => guarded(async () => {
      const first = Number(from.slice(0, 4));
      const last = Number(clock.today().slice(0, 4));
      const years = Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => first + i);
      const values = await Promise.all(years.map((y) => kvs.get<Year>(yearKey(destinationId, y))));
      const out: TripSnapshot[] = [];
      for (const [i, value] of values.entries()) {
        for (const [monthDay, day] of Object.entries(value ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
          const date = `${years[i] as number}-${monthDay}`;
          if (date >= from) out.push(fromDay(date, day));
        }
      }
      return out;
    }),

    writeSnapshots: (snapshots, keepFrom) => guarded(async () => {
      const byKey = new Map<string, Array<{ destinationId: string; snapshot: TripSnapshot }>>();
      for (const s of snapshots) {
        const key = yearKey(s.destinationId, Number(s.snapshot.date.slice(0, 4)));
        byKey.set(key, [...(byKey.get(key) ?? []), s]);
      }
      const keepYear = Number(keepFrom.slice(0, 4));
      const cut = (year: number, value: Year) => {
        for (const monthDay of Object.keys(value)) if (`${year}-${monthDay}` < keepFrom) delete value[monthDay];
      };
      for (const [key, items] of byKey) {
        const year = Number(key.slice(key.lastIndexOf(':') + 1));
        const value: Year = { ...((await kvs.get<Year>(key)) ?? {}) };
        for (const { snapshot } of items) value[snapshot.date.slice(5)] = toDay(snapshot);
        if (year === keepYear) cut(year, value);
        if (bytesOf(value) > MAX_VALUE_BYTES) throw new Error(`a year of trip snapshots is ${bytesOf(value)} bytes, over the value limit`);
        await kvs.set(key, value);
      }
      // The two-year cut: the year `keepFrom` falls in loses its earlier days, older years go whole (two of
      // them, so a missed daily run leaves nothing behind).
      for (const destinationId of new Set(snapshots.map((s) => s.destinationId))) {
        if (byKey.has(yearKey(destinationId, keepYear))) continue;
        const oldest = await kvs.get<Year>(yearKey(destinationId, keepYear));
        if (oldest) {
          cut(keepYear, oldest);
          if (Object.keys(oldest).length === 0) await kvs.delete(yearKey(destinationId, keepYear));
          else await kvs.set(yearKey(destinationId, keepYear), oldest);
        }
        for (const old of [keepYear - 1, keepYear - 2]) await kvs.delete(yearKey(destinationId, old));
      }
    }),

    baseline: (destinationId) => guarded(async () => (await kvs.get<StoredBaseline>(`${KEY.tripBaselinePrefix}${destinationId}`)) ?? undefined),

    saveBaseline: (destinationId, baseline) => guarded(async () => {
      // Ids that would not fit one value (ids are longer than the rule's estimate on old sites): keep the note.
      const value: StoredBaseline = baseline.kind === 'kept' && bytesOf(baseline) > MAX_VALUE_BYTES - 1024
        ? { kind: 'too big', takenAt: baseline.baseline.takenAt, issues: baseline.baseline.issues.length }
        : baseline;
      await kvs.set(`${KEY.tripBaselinePrefix}${destinationId}`, value);
    }),

    forget: (destinationId) => guarded(async () => {
      // Snapshots are kept two years back from today, so at most three year values exist (plus a next one
      // the local clock may have written).
      const year = Number(clock.today().slice(0, 4));
      for (const y of [year - 2, year - 1, year, year + 1]) await kvs.delete(yearKey(destinationId, y));
      await kvs.delete(`${KEY.tripBaselinePrefix}${destinationId}`);
    }),

    scenery: () => guarded(async () => (await kvs.get<ScenerySnapshot[]>(KEY.tripScenery)) ?? []),

    saveScenery: (snapshot, keepFrom) => guarded(async () => {
      const kept = ((await kvs.get<ScenerySnapshot[]>(KEY.tripScenery)) ?? []).filter((s) => s.weekEnd !== snapshot.weekEnd && s.weekEnd >= keepFrom);
      await kvs.set(KEY.tripScenery, [...kept, snapshot].sort((a, b) => (a.weekEnd < b.weekEnd ? -1 : 1)));
    }),
  };
}
