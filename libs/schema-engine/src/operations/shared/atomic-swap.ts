import type { SqlAction } from '../operation';
import { qualified } from '../../sql/identifiers';
import { sqlAction } from './sql-action';

/**
 * Complete's swap of one table — drop the sync triggers, drop the old column, rename the new one
 * into its place, set NOT NULL, rename the copied constraints and indexes — as ONE action, so the
 * executor runs it in one transaction under `lock_timeout` with its retry. Run as separate
 * transactions, a writer between two of them sees the table without the column (the old one
 * dropped, the new one not yet renamed) or writes a row no trigger translates any more.
 *
 * The first statement takes the ACCESS EXCLUSIVE lock every later one needs: the transaction never
 * upgrades a weaker lock while writers queue behind it, and a lock timeout aborts it before it
 * changed anything. Every statement is catalog-only (validations and concurrent index builds run
 * before, outside it), so the lock is held for milliseconds. The statements stay re-runnable
 * (`IF EXISTS`, guarded `DO` blocks): a crash after the commit but before the phase's progress
 * was recorded re-runs the whole swap.
 */
export function atomicSwapActions(schema: string, table: string, statements: SqlAction[], what: string): SqlAction[] {
  if (statements.length === 0) return [];
  const lock = `LOCK TABLE ${qualified(schema, table)} IN ACCESS EXCLUSIVE MODE`;
  const sql = [lock, ...statements.map((statement) => statement.sql)].map((statement) => `${statement};`).join('\n');
  return [sqlAction(sql, `${what} in one transaction: ${statements.map((statement) => statement.description).join('; ')}`)];
}
