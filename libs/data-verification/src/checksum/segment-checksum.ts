/**
 * The checksum of a set of rows: how many, and the sum of their 64-bit row hashes as an exact
 * decimal (Postgres sums bigints into numeric, so it never overflows). A sum is order-independent,
 * so it needs no sort; unlike XOR, two identical rows do not cancel out. Two different row sets
 * share a checksum only if their counts match and their hash sums collide (about 2^-64 for
 * unrelated changes).
 */
export interface SegmentChecksum {
  rowCount: number;
  checksum: string;
}

export const EMPTY_CHECKSUM: SegmentChecksum = { rowCount: 0, checksum: '0' };

export function sameChecksum(a: SegmentChecksum, b: SegmentChecksum): boolean {
  return a.rowCount === b.rowCount && a.checksum === b.checksum;
}

/** Adds checksums exactly (BigInt), e.g. segments into the table's checksum. */
export function addChecksums(parts: readonly SegmentChecksum[]): SegmentChecksum {
  return {
    rowCount: parts.reduce((total, part) => total + part.rowCount, 0),
    checksum: parts.reduce((total, part) => total + BigInt(part.checksum), 0n).toString(),
  };
}
