import { randomBytes } from 'node:crypto';
import { loadTableShape } from '../catalog/load-table-shape';
import { resolveColumns, resolveKey } from '../catalog/resolve-key';
import { checksumRanges, checksumWholeTable, sampleBoundaries } from '../checksum/checksum-side';
import { splitRange, WHOLE_TABLE } from '../checksum/key-range';
import { ROW_HASH_ALGORITHMS, rowHashSql, type RowHashAlgorithm } from '../checksum/row-hash';
import { addChecksums } from '../checksum/segment-checksum';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { NoKeyError } from '../errors/no-key.error';
import type { Db, Session } from '../sql/db';
import { inVerificationTransaction, type TransactionLimits } from '../sql/read-only-transaction';
import type { Baseline, BaselineSegment } from './baseline';
import { ROW_HASH_COLUMN, storeRowHashes } from './row-hash-store';
import { segmentRowsFor } from './segment-rows';
import { qualified, quoteIdent } from '../sql/sql-identifiers';

export interface TakeBaselineOptions extends TransactionLimits {
  schema: string;
  table: string;
  /** Unique NOT NULL columns naming a row; default the primary key. */
  keyColumns?: string[];
  /** Compared columns in canonical order; default all columns in attnum order. */
  columns?: string[];
  /** Rows per segment. Default 10 000; raised when the table would otherwise need more than maxSegments. */
  segmentRows?: number;
  /**
   * Most segments to cut (by the planner's row estimate). Default 1 000: width_bucket finds a row's
   * segment by binary search, but over text or composite bounds it steps through the array to each
   * probe, about one step per segment per row, so thousands of segments would dominate the scan.
   */
  maxSegments?: number;
  /** Default 'md5'. */
  hash?: RowHashAlgorithm;
  /** 'rows' also stores each row's (key, hash) so a later comparison names differing keys. Default 'segments'. */
  mode?: 'segments' | 'rows';
  /** Read in this exported snapshot (`pg_export_snapshot()`) instead of a fresh one. */
  snapshot?: string;
}

export const DEFAULT_SEGMENT_ROWS = 10_000;
export const DEFAULT_MAX_SEGMENTS = 1_000;

/**
 * Row count and per-key-range checksums of a table, taken in one REPEATABLE READ snapshot (READ
 * ONLY, except that mode 'rows' writes its hashes into the scratch schema). An index-only keyset
 * walk of the key picks a boundary every `segmentRows` keys, then one scan checksums every segment.
 */
export async function takeBaseline(db: Db, options: TakeBaselineOptions): Promise<Baseline> {
  const requestedSegmentRows = options.segmentRows ?? DEFAULT_SEGMENT_ROWS;
  const maxSegments = options.maxSegments ?? DEFAULT_MAX_SEGMENTS;
  const hash = options.hash ?? 'md5';
  const mode = options.mode ?? 'segments';
  if (!Number.isInteger(requestedSegmentRows) || requestedSegmentRows < 1) {
    throw new InvalidOptionError('segmentRows', `must be an integer >= 1, got ${options.segmentRows}`);
  }
  if (!Number.isInteger(maxSegments) || maxSegments < 1) {
    throw new InvalidOptionError('maxSegments', `must be an integer >= 1, got ${options.maxSegments}`);
  }
  if (!ROW_HASH_ALGORITHMS.includes(hash)) {
    throw new InvalidOptionError('hash', `must be one of ${ROW_HASH_ALGORITHMS.join(', ')}`);
  }
  if (mode !== 'segments' && mode !== 'rows') throw new InvalidOptionError('mode', "must be 'segments' or 'rows'");
  const id = randomBytes(8).toString('hex');

  return inVerificationTransaction(db, { ...options, readWrite: mode === 'rows' }, async (session) => {
    const shape = await loadTableShape(session, options.schema, options.table);
    const key = resolveKey(shape, options.keyColumns);
    const columns = resolveColumns(shape, options.columns);
    const rowHash = rowHashSql(columns, hash);
    const segmentRows = segmentRowsFor(requestedSegmentRows, maxSegments, await estimatedRows(session, shape.relation));
    const common = { version: 1 as const, id, schema: options.schema, table: options.table, columns, hash, segmentRows };
    const takenAt = new Date().toISOString();

    if (!key) {
      if (mode === 'rows') throw new NoKeyError(shape.relation, "takeBaseline with mode 'rows'");
      const whole = await checksumWholeTable({ session, relation: shape.relation, rowHash });
      return {
        ...common,
        takenAt,
        key: null,
        coverage: 'whole-table',
        rowCount: whole.rowCount,
        checksum: whole.checksum,
        segments: [{ lower: null, upper: null, ...whole }],
        rowHashes: null,
        note:
          `${shape.relation} has no primary key and no keyColumns were given: ` +
          'one whole-table checksum, so a mismatch cannot be narrowed to rows',
      };
    }

    const live = { session, relation: shape.relation, key, rowHash };
    const boundaries = await sampleBoundaries(live, WHOLE_TABLE, segmentRows);
    // With stored row hashes, the segment checksums are summed from the store (same snapshot,
    // our own writes), so each row is hashed once, not twice.
    const rowHashes = mode === 'rows' ? await storeRowHashes(session, live, id) : null;
    const checksummed = rowHashes
      ? { ...live, relation: qualified(rowHashes.schema, rowHashes.table), rowHash: quoteIdent(ROW_HASH_COLUMN) }
      : live;
    const checksums = await checksumRanges(checksummed, WHOLE_TABLE, boundaries);
    const segments: BaselineSegment[] = splitRange(WHOLE_TABLE, boundaries).map((range, i) => ({ ...range, ...checksums[i] }));
    const total = addChecksums(checksums);
    return {
      ...common,
      takenAt,
      key,
      coverage: 'segments',
      rowCount: total.rowCount,
      checksum: total.checksum,
      segments,
      rowHashes,
    };
  });
}

/** pg_class.reltuples: -1 (never analyzed) or an estimate; counts as 0 when unknown. */
async function estimatedRows(session: Session, relation: string): Promise<number> {
  const result = await session.query<{ rows: number }>(
    'SELECT reltuples::float8 AS rows FROM pg_class WHERE oid = $1::regclass',
    [relation],
  );
  return Math.max(0, result.rows[0]?.rows ?? 0);
}
