import type { SegmentChecksum } from '../checksum/segment-checksum';

export type KeyRecord = Record<string, string>;

/** Differing keys of one kind: the exact count, and the first `maxKeys` of them. */
export interface KeyList {
  count: number;
  keys: KeyRecord[];
  truncated: boolean;
}

/** Before = the baseline (or table A), after = now (or table B). */
export interface DifferingKeys {
  /** Keys present after but not before. */
  added: KeyList;
  /** Keys present before but not after. */
  removed: KeyList;
  /** Keys present on both sides whose compared columns differ. */
  changed: KeyList;
}

export interface MismatchedSegment {
  /** Inclusive lower key, null = unbounded. */
  lower: KeyRecord | null;
  /** Exclusive upper key, null = unbounded. */
  upper: KeyRecord | null;
  before: SegmentChecksum;
  after: SegmentChecksum;
}

export interface BisectionStats {
  /** Checksum queries run per side while narrowing. */
  checksumQueries: number;
  /** Ranges small enough to compare row by row. */
  leafRanges: number;
  /** Rows fetched (key + hash, both sides) at the leaves. */
  rowsFetched: number;
}

export interface ComparisonReport {
  ok: boolean;
  rowCount: { before: number; after: number };
  mismatchedSegments: MismatchedSegment[];
  /** Null when the keys cannot be named (a segment-only baseline, or a table without a key); see `note`. */
  differingKeys: DifferingKeys | null;
  bisection: BisectionStats | null;
  note?: string;
}
