import type { RowKey } from '../catalog/resolve-key';
import type { KeyValue } from '../checksum/key-range';
import type { RowHashAlgorithm } from '../checksum/row-hash';

/** One key range of a baseline with its checksum; bounds are key text, [lower, upper). */
export interface BaselineSegment {
  lower: KeyValue | null;
  upper: KeyValue | null;
  rowCount: number;
  checksum: string;
}

/**
 * A table's state before a phase, as plain JSON (the data-verifier can store it in an event).
 * `coverage: 'whole-table'` means the table had no key: one checksum, no segments to narrow to.
 */
export interface Baseline {
  version: 1;
  id: string;
  schema: string;
  table: string;
  takenAt: string;
  /** The compared columns, in canonical order. */
  columns: string[];
  hash: RowHashAlgorithm;
  key: RowKey | null;
  coverage: 'segments' | 'whole-table';
  segmentRows: number;
  rowCount: number;
  checksum: string;
  segments: BaselineSegment[];
  /** Where per-row hashes were stored (`mode: 'rows'`), so a comparison can name differing keys. */
  rowHashes: { schema: string; table: string } | null;
  note?: string;
}
