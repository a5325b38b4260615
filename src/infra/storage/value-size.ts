/**
 * Forge storage limits in bytes (docs/platform-facts.md, "Storage limits"), and how the rollup store stays
 * under them: values are measured as the UTF-8 bytes of their JSON (a CJK character is 3 bytes, so string
 * length is not a measure), and anything that can grow with the site is split across keys by bytes.
 */

/** Forge: a value is at most 240 KiB (raw). */
export const MAX_VALUE_BYTES = 240 * 1024;
/** What a split value aims for: well under the limit, so an entry added by a compaction still fits. */
export const VALUE_TARGET_BYTES = 160 * 1024;
/** Forge: a batch set or a transaction carries at most 4 MB; keep a margin for keys and framing. */
export const BATCH_PAYLOAD_BYTES = 3 * 1024 * 1024;
/** Forge: a batch or a transaction holds at most 25 operations. */
export const BATCH_OPERATIONS = 25;

export function bytesOf(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}

/**
 * Items in order, cut into runs whose JSON array stays under `targetBytes` (each run holds at least one item).
 * An item alone over the value limit cannot be stored at all: that is a bug upstream, reported as such.
 */
export function splitByBytes<T>(items: readonly T[], targetBytes = VALUE_TARGET_BYTES): T[][] {
  const out: T[][] = [];
  let run: T[] = [];
  let size = 2;
  for (const item of items) {
    const bytes = bytesOf(item) + 1;
    if (bytes > MAX_VALUE_BYTES) throw new Error(`a stored item of ${bytes} bytes is over the ${MAX_VALUE_BYTES}-byte value limit`);
    if (run.length > 0 && size + bytes > targetBytes) {
      out.push(run);
      run = [];
      size = 2;
    }
    run.push(item);
    size += bytes;
  }
  if (run.length > 0 || out.length === 0) out.push(run);
  return out;
}

/** Writes grouped for one batch call each: at most 25 operations and `BATCH_PAYLOAD_BYTES`. */
export function batchesByBytes<T extends { key: string; value: unknown }>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  let group: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = bytesOf(item.value) + Buffer.byteLength(item.key) + 16;
    if (group.length > 0 && (group.length >= BATCH_OPERATIONS || size + bytes > BATCH_PAYLOAD_BYTES)) {
      out.push(group);
      group = [];
      size = 0;
    }
    group.push(item);
    size += bytes;
  }
  if (group.length > 0) out.push(group);
  return out;
}
