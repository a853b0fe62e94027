import type { Baseline } from '../baseline/baseline';
import { ROW_HASH_COLUMN } from '../baseline/row-hash-store';
import { loadTableShape } from '../catalog/load-table-shape';
import { typesOf, type RowKey } from '../catalog/resolve-key';
import { columnByName, type TableShape } from '../catalog/table-shape';
import { checksumRanges, checksumWholeTable, type ChecksumSide } from '../checksum/checksum-side';
import { innerBoundaries, keyRecord, WHOLE_TABLE, type KeyRange } from '../checksum/key-range';
import { rowHashSql } from '../checksum/row-hash';
import { addChecksums, sameChecksum, type SegmentChecksum } from '../checksum/segment-checksum';
import { BaselineNotComparableError } from '../errors/baseline-not-comparable.error';
import type { Db, Session } from '../sql/db';
import { inVerificationTransaction, type TransactionLimits } from '../sql/read-only-transaction';
import { qualified, quoteIdent } from '../sql/sql-identifiers';
import { bisectRange, type Bisection } from './bisect';
import { resolveBisectionOptions, type BisectionOptions } from './bisection-options';
import type { ComparisonReport, MismatchedSegment } from './comparison-report';
import { DifferingKeysCollector } from './differing-keys-collector';

export type CompareOptions = TransactionLimits & BisectionOptions;

/**
 * Recomputes the baseline's segment checksums now (one scan, same key ranges, same columns and
 * hash) in a READ ONLY snapshot and reports the segments that differ. With a row-level baseline
 * the stored (key, hash) table is the "before" side of a bisection inside each differing segment,
 * which names the exact keys added, removed and changed; without one, only segments are named.
 */
export async function compareWithBaseline(db: Db, baseline: Baseline, options: CompareOptions = {}): Promise<ComparisonReport> {
  const bisection = resolveBisectionOptions(options);
  return inVerificationTransaction(db, options, async (session) => {
    const shape = await loadTableShape(session, baseline.schema, baseline.table);
    assertColumnsRemain(shape, baseline);
    const rowHash = rowHashSql(baseline.columns, baseline.hash);
    if (!baseline.key) {
      const now = await checksumWholeTable({ session, relation: shape.relation, rowHash });
      const before = baseline.segments[0];
      const same = sameChecksum(before, now);
      return {
        ok: same,
        rowCount: { before: baseline.rowCount, after: now.rowCount },
        mismatchedSegments: same ? [] : [{ lower: null, upper: null, before: checksumOf(before), after: now }],
        differingKeys: null,
        bisection: null,
        note: 'whole-table baseline (the table had no key): a difference cannot be narrowed to rows',
      };
    }

    const key: RowKey = { ...baseline.key, ...typesOf(shape, baseline.key.columns) };
    const live: ChecksumSide = { session, relation: shape.relation, key, rowHash };
    const ranges: KeyRange[] = baseline.segments.map(({ lower, upper }) => ({ lower, upper }));
    const now = await checksumRanges(live, WHOLE_TABLE, innerBoundaries(ranges));
    const mismatched = ranges
      .map((range, i) => ({ range, before: checksumOf(baseline.segments[i]), after: now[i] }))
      .filter((segment) => !sameChecksum(segment.before, segment.after));
    const report = {
      ok: mismatched.length === 0,
      rowCount: { before: baseline.rowCount, after: addChecksums(now).rowCount },
      mismatchedSegments: mismatched.map(({ range, before, after }) => toReportSegment(key.columns, range, before, after)),
    };
    if (!baseline.rowHashes) {
      return {
        ...report,
        differingKeys: null,
        bisection: null,
        note: report.ok
          ? undefined
          : "segment baseline: take the baseline with mode 'rows' (or use diffTables) to name the differing keys",
      };
    }

    const stored = await rowHashSide(session, baseline, baseline.key);
    const found: Bisection = {
      found: new DifferingKeysCollector(key.columns, bisection.maxKeys),
      stats: { checksumQueries: 0, leafRanges: 0, rowsFetched: 0 },
      leaves: [],
    };
    for (const segment of mismatched) {
      await bisectRange(stored, live, segment.range, { before: segment.before, after: segment.after }, bisection, found);
    }
    return { ...report, differingKeys: found.found.report(), bisection: found.stats };
  });
}

function checksumOf(segment: SegmentChecksum): SegmentChecksum {
  return { rowCount: segment.rowCount, checksum: segment.checksum };
}

function toReportSegment(columns: string[], range: KeyRange, before: SegmentChecksum, after: SegmentChecksum): MismatchedSegment {
  return {
    lower: range.lower ? keyRecord(columns, range.lower) : null,
    upper: range.upper ? keyRecord(columns, range.upper) : null,
    before,
    after,
  };
}

function assertColumnsRemain(shape: TableShape, baseline: Baseline): void {
  const needed = [...new Set([...baseline.columns, ...(baseline.key?.columns ?? [])])];
  const missing = needed.filter((name) => !columnByName(shape, name));
  if (missing.length > 0) {
    throw new BaselineNotComparableError(
      baseline.id,
      `${shape.relation} no longer has column ${missing.map((c) => `"${c}"`).join(', ')} the baseline was computed over`,
    );
  }
}

async function rowHashSide(session: Session, baseline: Baseline, key: RowKey): Promise<ChecksumSide> {
  const store = baseline.rowHashes as { schema: string; table: string };
  const relation = qualified(store.schema, store.table);
  const exists = await session.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [relation]);
  if (!exists.rows[0].found) {
    const reason = `its stored row hashes ${relation} are gone (dropped, or another database)`;
    throw new BaselineNotComparableError(baseline.id, reason);
  }
  return { session, relation, key, rowHash: quoteIdent(ROW_HASH_COLUMN) };
}
