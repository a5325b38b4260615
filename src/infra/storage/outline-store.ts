/**
 * The portfolio's outline, kept for the next cold container (see `OutlineStore`): one JSON text cut into parts
 * under `portfolio-outline:<i>`, and a small `portfolio-outline` naming the write, its part count, fingerprint
 * and time, written after the parts. All of it is read in one batch call. A reader that finds parts of another
 * write (a write under way), a missing part or anything unreadable answers "none": the outline is only a
 * shortcut, and a view without it assembles the figures from the stored rollups.
 */
import { randomUUID } from 'node:crypto';
import { kvs } from './kvs-retry';
import type { OutlineStore, StoredOutline } from '../../services/rollup-ports';
import { KEY } from './keys';
import { batchGet, batchSet } from './rollup-store';
import { BATCH_OPERATIONS, bytesOf, VALUE_TARGET_BYTES } from './value-size';

interface OutlineMeta {
  /** The write the parts belong to. */
  w: string;
  /** How many parts the write has. */
  n: number;
  /** The outline's fingerprint and when it was written (ms): what a background refresh compares. */
  f: string;
  t: number;
}

interface OutlinePart {
  /** The write this part belongs to. */
  w: string;
  /** This part's slice of the JSON text. */
  s: string;
}

/** Parts read with the meta in the first call (more are read in a second). */
const FIRST_READ_PARTS = 8;
/** Most parts an outline may have (about 10 MB): past it the outline is not kept. */
const MAX_PARTS = 64;
/** Characters a part starts from; a part over the byte target is cut again (CJK text, escapes). */
const PART_CHARS = 60_000;

const partKey = (i: number) => `${KEY.portfolioOutlinePrefix}${i}`;

/** The text cut into slices whose stored part stays under the value target in bytes. */
function slices(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < text.length) {
    let size = PART_CHARS;
    // Never split a surrogate pair, and halve a slice until its JSON (escapes, 3-byte characters) fits.
    for (;;) {
      let end = Math.min(text.length, at + size);
      if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
      const slice = text.slice(at, end);
      if (bytesOf(slice) + 100 <= VALUE_TARGET_BYTES || size <= 1) {
        out.push(slice);
        at = end;
        break;
      }
      size = Math.floor(size / 2);
    }
  }
  return out;
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

function isMeta(value: unknown): value is OutlineMeta {
  const m = value as Partial<OutlineMeta> | undefined;
  return typeof m?.w === 'string' && Number.isInteger(m.n) && (m.n ?? 0) >= 1 && (m.n ?? 0) <= MAX_PARTS && typeof m.f === 'string' && typeof m.t === 'number';
}

export function createOutlineStore(): OutlineStore {
  return {
    async read() {
      try {
        const first = await batchGet<unknown>([KEY.portfolioOutline, ...range(0, FIRST_READ_PARTS).map(partKey)]);
        const meta = first.get(KEY.portfolioOutline);
        if (!isMeta(meta)) return undefined;
        const found = meta.n > FIRST_READ_PARTS ? new Map([...first, ...(await batchGet<unknown>(range(FIRST_READ_PARTS, meta.n).map(partKey)))]) : first;
        const text: string[] = [];
        for (const i of range(0, meta.n)) {
          const part = found.get(partKey(i)) as Partial<OutlinePart> | undefined;
          if (part?.w !== meta.w || typeof part.s !== 'string') return undefined;
          text.push(part.s);
        }
        const outline = JSON.parse(text.join('')) as StoredOutline;
        return outline.fingerprint === meta.f ? outline : undefined;
      } catch (error) {
        console.warn('portfolio outline not read', error instanceof Error ? error.message : error);
        return undefined;
      }
    },

    async peek() {
      try {
        const meta = await kvs.get<unknown>(KEY.portfolioOutline);
        return isMeta(meta) ? { fingerprint: meta.f, writtenAt: meta.t } : undefined;
      } catch {
        return undefined;
      }
    },

    async write(outline) {
      const texts = slices(JSON.stringify(outline));
      if (texts.length > MAX_PARTS) {
        console.warn(`portfolio outline not kept: ${texts.length} parts, at most ${MAX_PARTS}`);
        return;
      }
      const w = randomUUID().slice(0, 8);
      const parts = texts.map((s, i) => ({ key: partKey(i), value: { w, s } satisfies OutlinePart }));
      try {
        await batchSet(parts);
        // The meta last: a reader never finds it before the parts it names.
        await kvs.set<OutlineMeta>(KEY.portfolioOutline, { w, n: texts.length, f: outline.fingerprint, t: outline.writtenAt });
        // Parts a longer outline left behind are never read (the meta says how many there are): deleted so none stays forever.
        const stale = range(texts.length, Math.min(MAX_PARTS, texts.length + BATCH_OPERATIONS)).map((i) => ({ key: partKey(i) }));
        if (stale.length > 0) await kvs.batchDelete(stale);
      } catch (error) {
        // A shortcut lost: the next view assembles the figures and tries again.
        console.warn('portfolio outline not kept', error instanceof Error ? error.message : error);
      }
    },
  };
}
