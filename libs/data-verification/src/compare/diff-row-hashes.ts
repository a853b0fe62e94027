import type { KeyValue } from '../checksum/key-range';
import type { Difference } from './differing-keys-collector';

export interface RowHash {
  key: KeyValue;
  hash: string;
}

export interface RowDifference {
  kind: Difference;
  key: KeyValue;
}

/**
 * Compares the rows of one key range on both sides: keys only before are removed, keys only after
 * are added, keys on both with different hashes are changed. Returns the first duplicated key of a
 * side as `duplicate` (the key does not identify rows there), otherwise the differences in key
 * order of `before` then `after`.
 */
export function diffRowHashes(
  before: readonly RowHash[],
  after: readonly RowHash[],
): { differences: RowDifference[]; duplicate?: { side: 'before' | 'after'; key: KeyValue } } {
  const beforeByKey = new Map<string, RowHash>();
  for (const row of before) {
    const id = JSON.stringify(row.key);
    if (beforeByKey.has(id)) return { differences: [], duplicate: { side: 'before', key: row.key } };
    beforeByKey.set(id, row);
  }
  const differences: RowDifference[] = [];
  const seenAfter = new Set<string>();
  for (const row of after) {
    const id = JSON.stringify(row.key);
    if (seenAfter.has(id)) return { differences: [], duplicate: { side: 'after', key: row.key } };
    seenAfter.add(id);
    const old = beforeByKey.get(id);
    if (!old) differences.push({ kind: 'added', key: row.key });
    else if (old.hash !== row.hash) differences.push({ kind: 'changed', key: row.key });
  }
  for (const [id, row] of beforeByKey) if (!seenAfter.has(id)) differences.push({ kind: 'removed', key: row.key });
  return { differences };
}
