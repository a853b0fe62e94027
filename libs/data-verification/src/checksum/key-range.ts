/** A key as the text of each key column, in key column order (text round-trips every key type exactly). */
export type KeyValue = string[];

/** The rows whose key k satisfies lower <= k < upper; a null bound is unbounded on that side. */
export interface KeyRange {
  lower: KeyValue | null;
  upper: KeyValue | null;
}

export const WHOLE_TABLE: KeyRange = { lower: null, upper: null };

/**
 * Cuts a range at ascending boundary keys inside it: [lower, b1), [b1, b2), …, [bk, upper).
 * k boundaries give k + 1 ranges, in key order; no key falls in two of them or in none.
 */
export function splitRange(range: KeyRange, boundaries: readonly KeyValue[]): KeyRange[] {
  const cuts = [range.lower, ...boundaries, range.upper];
  return cuts.slice(0, -1).map((lower, i) => ({ lower, upper: cuts[i + 1] }));
}

/** The boundaries of consecutive ranges, inverse of splitRange: every range's lower except the first. */
export function innerBoundaries(ranges: readonly KeyRange[]): KeyValue[] {
  return ranges.slice(1).map((range, i) => {
    if (!range.lower) throw new Error(`range ${i + 1} has no lower bound, so the ranges are not consecutive`);
    return range.lower;
  });
}

/** `{id: '42'}` for reports: a key value named by its columns. */
export function keyRecord(columns: readonly string[], key: KeyValue): Record<string, string> {
  return Object.fromEntries(columns.map((column, i) => [column, key[i]]));
}
