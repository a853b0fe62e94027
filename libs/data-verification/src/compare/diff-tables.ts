import { loadTableShape } from '../catalog/load-table-shape';
import { resolveColumns, resolveKey } from '../catalog/resolve-key';
import { checksumRanges, countRows, type ChecksumSide } from '../checksum/checksum-side';
import { WHOLE_TABLE } from '../checksum/key-range';
import { ROW_HASH_ALGORITHMS, rowHashSql, type RowHashAlgorithm } from '../checksum/row-hash';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { NoKeyError } from '../errors/no-key.error';
import { isPool, type Db, type Session } from '../sql/db';
import { inVerificationTransaction, type TransactionLimits } from '../sql/read-only-transaction';
import { bisectRange, onBothSides, splitAndBisect, type Bisection } from './bisect';
import { resolveBisectionOptions, type BisectionOptions } from './bisection-options';
import type { ComparisonReport } from './comparison-report';
import { DifferingKeysCollector } from './differing-keys-collector';

export interface TableRef {
  schema: string;
  table: string;
}

export interface DiffTablesOptions extends TransactionLimits, BisectionOptions {
  /** Key columns (same names on both sides); default table A's primary key. Must identify rows on both. */
  keyColumns?: string[];
  /** Compared columns, same names on both sides; default table A's columns in attnum order. */
  columns?: string[];
  /** Default 'md5'. */
  hash?: RowHashAlgorithm;
}

/**
 * Compares two live tables — a snapshot copy and the current table, or a source and a target, on
 * the same or different servers — and names the keys that differ. Each side is read in its own
 * READ ONLY REPEATABLE READ snapshot; the same client for both sides shares one transaction.
 * Before = table A, after = table B; `mismatchedSegments` lists the ranges compared row by row.
 */
export async function diffTables(
  clientA: Db,
  tableA: TableRef,
  clientB: Db,
  tableB: TableRef,
  options: DiffTablesOptions = {},
): Promise<ComparisonReport> {
  const bisection = resolveBisectionOptions(options);
  const hash = options.hash ?? 'md5';
  if (!ROW_HASH_ALGORITHMS.includes(hash)) {
    throw new InvalidOptionError('hash', `must be one of ${ROW_HASH_ALGORITHMS.join(', ')}`);
  }

  const compare = async (sessionA: Session, sessionB: Session): Promise<ComparisonReport> => {
    const shapeA = await loadTableShape(sessionA, tableA.schema, tableA.table);
    const shapeB = await loadTableShape(sessionB, tableB.schema, tableB.table);
    const keyA = resolveKey(shapeA, options.keyColumns);
    if (!keyA) throw new NoKeyError(shapeA.relation, 'diffTables');
    const keyB = resolveKey(shapeB, keyA.columns);
    const columns = resolveColumns(shapeA, options.columns);
    resolveColumns(shapeB, columns);
    const rowHash = rowHashSql(columns, hash);
    const before: ChecksumSide = { session: sessionA, relation: shapeA.relation, key: keyA, rowHash };
    const after: ChecksumSide = { session: sessionB, relation: shapeB.relation, key: keyB as NonNullable<typeof keyB>, rowHash };

    const found: Bisection = {
      found: new DifferingKeysCollector(keyA.columns, bisection.maxKeys),
      stats: { checksumQueries: 0, leafRanges: 0, rowsFetched: 0 },
      leaves: [],
    };
    // No whole-table checksum first: the first level's segment checksums cover the whole table
    // in one scan per side and already say whether anything differs.
    const [countBefore, countAfter] = await onBothSides(before, after, countRows);
    const counts = { before: countBefore, after: countAfter };
    const tooBig = Math.max(countBefore, countAfter) > bisection.leafRows;
    const split = tooBig && (await splitAndBisect(before, after, WHOLE_TABLE, counts, bisection, found));
    if (!split) {
      const whole = async (side: ChecksumSide) => (await checksumRanges(side, WHOLE_TABLE, []))[0];
      const [wholeBefore, wholeAfter] = await onBothSides(before, after, whole);
      found.stats.checksumQueries += 1;
      await bisectRange(before, after, WHOLE_TABLE, { before: wholeBefore, after: wholeAfter }, bisection, found);
    }
    return {
      ok: found.found.total === 0,
      rowCount: counts,
      mismatchedSegments: found.leaves,
      differingKeys: found.found.report(),
      bisection: found.stats,
    };
  };

  // One held client cannot run two transactions; two checkouts of one pool can.
  if (clientA === clientB && !isPool(clientA)) {
    return inVerificationTransaction(clientA, options, (session) => compare(session, session));
  }
  return inVerificationTransaction(clientA, options, (sessionA) =>
    inVerificationTransaction(clientB, options, (sessionB) => compare(sessionA, sessionB)),
  );
}
