import { DEFAULT_LOCK_RETRY_POLICY, DEFAULT_STATE_SCHEMA, qualified, quoteIdent } from '@bascule/schema-engine';
import { DatabaseError, type ClientBase, type QueryResult } from 'pg';

/**
 * `<state schema>.sql_steps`: one row per (migration, step, action) that ran on this target. The
 * row is written in the same transaction as the step's SQL, so "did `up` run?" has one answer even
 * when the agent crashed between COMMIT and recording the event: a redelivered command finds the
 * row, runs nothing and only records the event.
 */
export const SQL_STEPS_TABLE = qualified(DEFAULT_STATE_SCHEMA, 'sql_steps');

/** The schema engine's own key for creating its state schema: both creators serialise on it. */
const STATE_SCHEMA_LOCK_KEY = 0x62617363;

export type SqlStepAction = 'apply' | 'revert';

export interface LedgerRow {
  action: SqlStepAction;
  ran: boolean;
  durationMs: number;
  rowsAffected: number | null;
}

export async function ensureSqlStepLedger(client: ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [STATE_SCHEMA_LOCK_KEY]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(DEFAULT_STATE_SCHEMA)}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SQL_STEPS_TABLE} (
      migration_id text NOT NULL,
      step_id text NOT NULL,
      action text NOT NULL CHECK (action IN ('apply', 'revert')),
      ran boolean NOT NULL,
      duration_ms integer NOT NULL DEFAULT 0,
      rows_affected bigint,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (migration_id, step_id, action)
    )`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

export interface StepKey {
  migrationId: string;
  stepId: string;
}

/** What a step transaction's work decided: its value, and the ledger row to write with the COMMIT (none: write nothing). */
export interface StepWork<T> {
  value: T;
  record?: LedgerRow;
}

/**
 * Opens the step's transaction in one round trip (a chain of sql steps pays every round trip once
 * per step): BEGIN, `SET LOCAL lock_timeout`, the step's advisory lock, then its ledger rows. The
 * lock serialises apply and revert of one step across agents: a revert that arrives while the
 * apply is mid-transaction waits for its COMMIT and then sees its row, because the ledger read is
 * its own statement, with a snapshot taken after the lock (READ COMMITTED takes one per statement,
 * also within one query string). The values are quoted literals: a simple query takes no parameters.
 */
function openStepSql(client: ClientBase, step: StepKey, lockTimeoutMs: number): string {
  const migrationId = client.escapeLiteral(step.migrationId);
  const stepId = client.escapeLiteral(step.stepId);
  return [
    'BEGIN',
    `SET LOCAL lock_timeout = ${Math.trunc(lockTimeoutMs)}`,
    `SELECT pg_advisory_xact_lock(hashtextextended('bascule.sql_step:' || ${migrationId} || ':' || ${stepId}, 0))`,
    `SELECT action, ran, duration_ms, rows_affected FROM ${SQL_STEPS_TABLE} WHERE migration_id = ${migrationId} AND step_id = ${stepId}`,
  ].join('; ');
}

/** The ledger row and the COMMIT, in one round trip; an error in the INSERT skips the COMMIT. */
function recordAndCommitSql(client: ClientBase, step: StepKey, row: LedgerRow): string {
  const values = [
    client.escapeLiteral(step.migrationId),
    client.escapeLiteral(step.stepId),
    client.escapeLiteral(row.action),
    row.ran ? 'true' : 'false',
    String(Math.round(row.durationMs)),
    row.rowsAffected === null ? 'NULL' : String(Math.trunc(row.rowsAffected)),
  ];
  return `INSERT INTO ${SQL_STEPS_TABLE} (migration_id, step_id, action, ran, duration_ms, rows_affected) VALUES (${values.join(', ')}); COMMIT`;
}

type LedgerDbRow = { action: SqlStepAction; ran: boolean; duration_ms: number; rows_affected: string | null };

function ledgerOf(rows: LedgerDbRow[]): Map<SqlStepAction, LedgerRow> {
  return new Map(
    rows.map((row) => [
      row.action,
      { action: row.action, ran: row.ran, durationMs: row.duration_ms, rowsAffected: row.rows_affected === null ? null : Number(row.rows_affected) },
    ]),
  );
}

const RETRYABLE = new Set(['55P03', '40P01']);

/** The step's SQL waited too long for a lock on every attempt. */
export class SqlStepLockTimeoutError extends Error {
  readonly code = 'LOCK_TIMEOUT';
  constructor(readonly attempts: number, options?: { cause?: unknown }) {
    super(
      `could not take a lock within ${DEFAULT_LOCK_RETRY_POLICY.lockTimeoutMs} ms after ${attempts} attempts: ` +
        'a long transaction holds a table the step needs; end it, then run the migration again',
      options,
    );
    this.name = 'SqlStepLockTimeoutError';
  }
}

/**
 * One transaction of a step under `SET LOCAL lock_timeout` (the schema engine's policy: a
 * statement queued behind a long transaction must not block every query queued behind it), holding
 * the step's lock, retried from BEGIN on lock timeout or deadlock with jittered backoff, as the
 * engine does for its own DDL. `work` gets the step's ledger rows as of the lock and says which row
 * to write with the COMMIT. Three round trips for a step's one statement: open, the statement, commit.
 */
export async function inStepTransaction<T>(client: ClientBase, step: StepKey, work: (done: Map<SqlStepAction, LedgerRow>) => Promise<StepWork<T>>): Promise<T> {
  const policy = DEFAULT_LOCK_RETRY_POLICY;
  for (let attempt = 0; ; attempt++) {
    try {
      const results = (await client.query(openStepSql(client, step, policy.lockTimeoutMs))) as unknown as QueryResult<LedgerDbRow>[];
      const done = ledgerOf(results[results.length - 1].rows);
      const { value, record } = await work(done);
      await client.query(record ? recordAndCommitSql(client, step, record) : 'COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const code = error instanceof DatabaseError ? error.code : undefined;
      if (code === undefined || !RETRYABLE.has(code)) throw error;
      if (attempt + 1 >= policy.maxAttempts) throw new SqlStepLockTimeoutError(attempt + 1, { cause: error });
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * cap)));
    }
  }
}
