import type { RowKey } from '../catalog/resolve-key';
import { KeyNotUsableError } from '../errors/key-not-usable.error';
import type { Db, Session } from '../sql/db';
import { inVerificationTransaction, type TransactionLimits } from '../sql/read-only-transaction';
import { qualified, quoteIdent } from '../sql/sql-identifiers';

/** Scratch schema holding row-level baselines; nothing else of ours writes anywhere. */
export const VERIFY_SCHEMA = 'bascule_verify';

/** Column of a row-level baseline holding each row's hash, next to the key columns. */
export const ROW_HASH_COLUMN = 'bascule_row_hash';

export function rowHashTableName(baselineId: string): string {
  return `baseline_${baselineId}`;
}

/**
 * Stores (key, row hash) for every row in `bascule_verify.baseline_<id>` with one streaming
 * INSERT … SELECT (CREATE TABLE AS): the key plus 8 bytes a row, never a copy of the row's data.
 * The primary key added afterwards makes each key range of the store an index range scan when a
 * later comparison bisects it.
 */
export async function storeRowHashes(
  session: Session,
  source: { relation: string; key: RowKey; rowHash: string },
  baselineId: string,
): Promise<{ schema: string; table: string }> {
  if (source.key.columns.includes(ROW_HASH_COLUMN)) {
    const reason = `a key column is named "${ROW_HASH_COLUMN}", which a row-level baseline needs for its hashes`;
    throw new KeyNotUsableError(source.relation, source.key.columns, reason);
  }
  const table = rowHashTableName(baselineId);
  const store = qualified(VERIFY_SCHEMA, table);
  const keyColumns = source.key.columns.map(quoteIdent).join(', ');
  await session.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(VERIFY_SCHEMA)}`, []);
  await session.query(
    `CREATE TABLE ${store} AS SELECT ${keyColumns}, ${source.rowHash} AS ${quoteIdent(ROW_HASH_COLUMN)} FROM ${source.relation}`,
    [],
  );
  await session.query(`ALTER TABLE ${store} ADD PRIMARY KEY (${keyColumns})`, []);
  return { schema: VERIFY_SCHEMA, table };
}

/** Removes a row-level baseline's stored hashes; a baseline without them, or already dropped, is a no-op. */
export async function dropBaselineRows(
  db: Db,
  baseline: { rowHashes: { schema: string; table: string } | null },
  limits: TransactionLimits = {},
): Promise<void> {
  const store = baseline.rowHashes;
  if (!store) return;
  await inVerificationTransaction(db, { ...limits, readWrite: true }, (session) =>
    session.query(`DROP TABLE IF EXISTS ${qualified(store.schema, store.table)}`, []),
  );
}
