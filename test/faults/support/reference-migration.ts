import { schemaFingerprint } from '@bascule/data-verification';
import type { StoredEvent } from '@bascule/event-store';
import type { Pool } from 'pg';

/** Rows of `accounts` at the start of each run: a backfill of a few seconds in batches of 500. */
export const REFERENCE_ROWS = 20_000;

/** The target of one run: its own schema in the fault run's target database. */
export async function prepareReferenceTarget(app: Pool, schema: string): Promise<void> {
  await app.query(`
    CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.accounts (id integer PRIMARY KEY, balance integer NOT NULL);
    CREATE TABLE ${schema}.audit_log (id serial PRIMARY KEY, note text NOT NULL);
    INSERT INTO ${schema}.accounts SELECT g, g % 1000 FROM generate_series(1, ${REFERENCE_ROWS}) AS g;
    ANALYZE ${schema}.accounts;
  `);
}

/**
 * The reference migration: expand with a backfill (accounts.balance integer → bigint), a sql step
 * whose double execution would show (one audit row more), a verify step, and complete (window 0 s:
 * the process manager completes it as soon as it is expanded).
 */
export function referenceSpec(schema: string) {
  return {
    name: `faults-${schema}`,
    target: 'app',
    rehearse: false,
    rollback: { automatic: true, window: '0s' },
    phases: [
      {
        name: 'expand',
        steps: [
          {
            id: 'widen_balance',
            schema: {
              schema,
              operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', down: 'CAST(balance AS integer)' } }],
              backfill: { batchSize: 500, delayMs: 20 },
            },
          },
        ],
      },
      { name: 'data', steps: [{ id: 'audit', sql: { up: `INSERT INTO ${schema}.audit_log (note) VALUES ('applied')`, down: `DELETE FROM ${schema}.audit_log WHERE note = 'applied'` } }] },
      {
        name: 'verify',
        steps: [{ id: 'check', verify: { tables: [`${schema}.accounts`], invariants: [{ name: 'one-audit-row', sql: `SELECT count(*) FROM ${schema}.audit_log`, expect: 1 }] } }],
      },
    ],
  };
}

/** The shape of the run's tables with the run's schema name taken out, comparable across runs. */
export async function normalizedShape(app: Pool, schema: string): Promise<string> {
  const fingerprint = await schemaFingerprint(app, [
    { schema, table: 'accounts' },
    { schema, table: 'audit_log' },
  ]);
  return JSON.stringify(fingerprint.tables).split(schema).join('<run>');
}

/** Steps' outcome events: each must appear exactly once in a run that completed. */
export const ONCE_PER_RUN = ['SchemaStepExpanded', 'SqlStepApplied', 'VerifyStepPassed', 'SchemaStepCompleted', 'MigrationCompleted'];

export function countsOf(events: readonly StoredEvent[], types: readonly string[]): Record<string, number> {
  return Object.fromEntries(types.map((type) => [type, events.filter((event) => event.type === type).length]));
}

/**
 * An application writing while the migration runs: inserts rows with known values (balance = id %
 * 1000) into the old shape, one after another, and counts what committed and what failed.
 */
export class WriteLoad {
  committed = 0;
  failed = 0;
  lastError: string | null = null;
  private running = true;
  private readonly done: Promise<void>;

  constructor(
    private readonly app: Pool,
    private readonly schema: string,
    private readonly firstId = 1_000_001,
  ) {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }

  private async loop(): Promise<void> {
    let id = this.firstId;
    while (this.running) {
      try {
        await this.app.query(`INSERT INTO ${this.schema}.accounts (id, balance) VALUES ($1, $1 % 1000)`, [id]);
        this.committed++;
        id++;
      } catch (error) {
        this.failed++;
        this.lastError = (error as Error).message;
        // The same id again: a write whose commit was lost with the connection is found, not doubled.
        const exists = await this.app.query(`SELECT 1 FROM ${this.schema}.accounts WHERE id = $1`, [id]).then((result) => result.rowCount === 1, () => false);
        if (exists) {
          this.committed++;
          id++;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** Rows the run must hold: every initial row and every committed write, each with its known value. */
export async function rowCheck(app: Pool, schema: string, committed: number): Promise<{ rows: number; expected: number; wrongValues: number }> {
  const { rows } = await app.query<{ n: string; wrong: string }>(`SELECT count(*) AS n, count(*) FILTER (WHERE balance <> id % 1000) AS wrong FROM ${schema}.accounts`);
  return { rows: Number(rows[0].n), expected: REFERENCE_ROWS + committed, wrongValues: Number(rows[0].wrong) };
}
