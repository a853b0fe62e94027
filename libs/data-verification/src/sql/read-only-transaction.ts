import type { ClientBase, PoolClient } from 'pg';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { QueryTimeoutError } from '../errors/query-timeout.error';
import { isPool, type Db, type Session } from './db';

export interface TransactionLimits {
  /** Per statement, in ms; 0 disables. Default 600 000 (a checksum scan of a large table is one statement). */
  statementTimeoutMs?: number;
  /** Wait for a lock at most this long, in ms; 0 disables. Default 5 000. */
  lockTimeoutMs?: number;
}

export interface TransactionOptions extends TransactionLimits {
  /** Only a row-level baseline writes (into the `bascule_verify` scratch schema); everything else is READ ONLY. */
  readWrite?: boolean;
  /**
   * A snapshot exported by another transaction (`pg_export_snapshot()`), imported before the first
   * query: this transaction then sees exactly the rows that one saw (a pg_dump --snapshot's rows).
   */
  snapshot?: string;
}

const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+-[0-9]+$/i;

export const DEFAULT_STATEMENT_TIMEOUT_MS = 600_000;
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;

// The canonical row text is a value's text output, which depends on these settings; pinning them
// makes two sessions (two servers, two client configurations) print the same row the same way.
const CANONICAL_SETTINGS: ReadonlyArray<[string, string]> = [
  ['DateStyle', 'ISO, YMD'],
  ['TimeZone', 'UTC'],
  ['IntervalStyle', 'postgres'],
  ['extra_float_digits', '1'],
  ['bytea_output', 'hex'],
];

/**
 * Runs `work` in one REPEATABLE READ transaction, READ ONLY unless asked: every query of a
 * verification sees one snapshot, so a count and the checksums next to it describe the same rows.
 * Settings are SET LOCAL (via set_config(..., true)) so a pooled connection goes back unchanged.
 */
export async function inVerificationTransaction<T>(
  db: Db,
  options: TransactionOptions,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  const statementTimeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const pooled = isPool(db) ? await db.connect() : undefined;
  const client: ClientBase = pooled ?? (db as ClientBase);
  let failed = false;
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ ${options.readWrite ? 'READ WRITE' : 'READ ONLY'}`);
    if (options.snapshot !== undefined) {
      // SET TRANSACTION SNAPSHOT takes a literal, not a parameter: only the server's id format passes.
      if (!SNAPSHOT_ID.test(options.snapshot)) throw new InvalidOptionError('snapshot', `is not an exported snapshot id: ${JSON.stringify(options.snapshot.slice(0, 40))}`);
      await client.query(`SET TRANSACTION SNAPSHOT '${options.snapshot}'`);
    }
    const settings: Array<[string, string]> = [
      ...CANONICAL_SETTINGS,
      ['statement_timeout', String(statementTimeoutMs)],
      ['lock_timeout', String(lockTimeoutMs)],
    ];
    await client.query(
      `SELECT ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
      settings.flat(),
    );
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw translateTimeout(error, statementTimeoutMs, lockTimeoutMs);
  } finally {
    (pooled as PoolClient | undefined)?.release(failed ? true : undefined);
  }
}

function translateTimeout(error: unknown, statementTimeoutMs: number, lockTimeoutMs: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  // 57014 is also a user cancel; with a statement_timeout set it is almost always the timeout.
  if (code === '57014' && statementTimeoutMs > 0) {
    return new QueryTimeoutError('statement_timeout', statementTimeoutMs, { cause: error });
  }
  if (code === '55P03' && lockTimeoutMs > 0) return new QueryTimeoutError('lock_timeout', lockTimeoutMs, { cause: error });
  return error;
}
