import type { Queryable } from '../introspection/queryable';
import type { SchemaModel } from '../model/schema-model';
import { qualified } from '../sql/identifiers';
import type { BackfillCheckpoint, MigrationRecord, MigrationStatus } from './migration-record';
import { HOLDING_STATUSES } from './state-schema';

interface MigrationRow {
  schema: string;
  name: string;
  version_schema: string;
  parent: string | null;
  previous_version_schema: string | null;
  operations: unknown[];
  op_models: SchemaModel[];
  status: MigrationStatus;
  started_ops: number;
  phase_progress: number;
  error: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  rolled_back_at: Date | null;
}

function toRecord(row: MigrationRow): MigrationRecord {
  return {
    schema: row.schema,
    name: row.name,
    versionSchema: row.version_schema,
    parent: row.parent,
    previousVersionSchema: row.previous_version_schema,
    operations: row.operations,
    opModels: row.op_models,
    status: row.status,
    startedOps: row.started_ops,
    phaseProgress: row.phase_progress,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    rolledBackAt: row.rolled_back_at,
  };
}

export interface NewMigration {
  schema: string;
  name: string;
  versionSchema: string;
  parent: string | null;
  previousVersionSchema: string | null;
  operations: unknown[];
  opModels: SchemaModel[];
}

/** Reads and writes the engine's state tables. Every method is one statement (autocommit). */
export class MigrationStore {
  private readonly migrations: string;
  private readonly checkpointTable: string;
  private readonly history: string;

  constructor(
    private readonly client: Queryable,
    stateSchema: string,
  ) {
    this.migrations = qualified(stateSchema, 'migrations');
    this.checkpointTable = qualified(stateSchema, 'backfill_checkpoints');
    this.history = qualified(stateSchema, 'history');
  }

  async find(schema: string, name: string): Promise<MigrationRecord | null> {
    const result = await this.client.query<MigrationRow>(`SELECT * FROM ${this.migrations} WHERE schema = $1 AND name = $2`, [
      schema,
      name,
    ]);
    return result.rows[0] ? toRecord(result.rows[0]) : null;
  }

  /** The migration holding the schema (starting, backfilling or active), if any. */
  async active(schema: string): Promise<MigrationRecord | null> {
    const result = await this.client.query<MigrationRow>(
      `SELECT * FROM ${this.migrations} WHERE schema = $1 AND status = ANY($2::text[])`,
      [schema, HOLDING_STATUSES],
    );
    return result.rows[0] ? toRecord(result.rows[0]) : null;
  }

  /** The latest completed migration: its version schema is the current version. */
  async latestCompleted(schema: string): Promise<MigrationRecord | null> {
    const result = await this.client.query<MigrationRow>(
      `SELECT * FROM ${this.migrations} WHERE schema = $1 AND status = 'completed'
        ORDER BY completed_at DESC LIMIT 1`,
      [schema],
    );
    return result.rows[0] ? toRecord(result.rows[0]) : null;
  }

  async list(schema: string, limit = 50): Promise<MigrationRecord[]> {
    const result = await this.client.query<MigrationRow>(
      `SELECT * FROM ${this.migrations} WHERE schema = $1 ORDER BY created_at DESC LIMIT $2`,
      [schema, limit],
    );
    return result.rows.map(toRecord);
  }

  /**
   * Records a migration as `starting`. A rolled-back or failed migration of the same name is
   * replaced (its name is free again, as in pgroll); the partial unique index refuses a second
   * holder of the schema even if two engines got past the advisory lock.
   */
  async insertStarting(migration: NewMigration): Promise<void> {
    await this.client.query(`DELETE FROM ${this.migrations} WHERE schema = $1 AND name = $2 AND status IN ('rolled_back', 'failed')`, [
      migration.schema,
      migration.name,
    ]);
    await this.client.query(
      `INSERT INTO ${this.migrations}
         (schema, name, version_schema, parent, previous_version_schema, operations, op_models, status, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'starting', now())`,
      [
        migration.schema,
        migration.name,
        migration.versionSchema,
        migration.parent,
        migration.previousVersionSchema,
        JSON.stringify(migration.operations),
        JSON.stringify(migration.opModels),
      ],
    );
  }

  async update(
    schema: string,
    name: string,
    change: Partial<{ status: MigrationStatus; startedOps: number; phaseProgress: number; error: string | null; opModels: SchemaModel[] }>,
  ): Promise<void> {
    const sets: string[] = ['updated_at = now()'];
    const values: unknown[] = [schema, name];
    const set = (column: string, value: unknown) => {
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    };
    if (change.status !== undefined) {
      set('status', change.status);
      if (change.status === 'completed') sets.push('completed_at = now()');
      if (change.status === 'rolled_back') sets.push('rolled_back_at = now()');
    }
    if (change.startedOps !== undefined) set('started_ops', change.startedOps);
    if (change.phaseProgress !== undefined) set('phase_progress', change.phaseProgress);
    if (change.error !== undefined) set('error', change.error);
    if (change.opModels !== undefined) set('op_models', JSON.stringify(change.opModels));
    await this.client.query(`UPDATE ${this.migrations} SET ${sets.join(', ')} WHERE schema = $1 AND name = $2`, values);
  }

  async recordHistory(schema: string, migration: string, event: string, details: Record<string, unknown> = {}): Promise<void> {
    await this.client.query(`INSERT INTO ${this.history} (schema, migration, event, details) VALUES ($1, $2, $3, $4)`, [
      schema,
      migration,
      event,
      JSON.stringify(details),
    ]);
  }

  async checkpoints(schema: string, migration: string): Promise<BackfillCheckpoint[]> {
    const result = await this.client.query<{
      table_name: string;
      rows_done: string;
      batches: number;
      last_key: string[] | null;
      done: boolean;
    }>(`SELECT * FROM ${this.checkpointTable} WHERE schema = $1 AND migration = $2 ORDER BY table_name`, [schema, migration]);
    return result.rows.map((row) => ({
      table: row.table_name,
      rowsDone: Number(row.rows_done),
      batches: row.batches,
      lastKey: row.last_key,
      done: row.done,
    }));
  }

  /** SQL (and its first parameters) that upserts a checkpoint; run inside a batch's transaction. */
  checkpointSql(): string {
    return `INSERT INTO ${this.checkpointTable} AS c (schema, migration, table_name, rows_done, batches, last_key, done, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, now())
            ON CONFLICT (schema, migration, table_name) DO UPDATE
              SET rows_done = EXCLUDED.rows_done, batches = EXCLUDED.batches, last_key = EXCLUDED.last_key,
                  done = EXCLUDED.done, updated_at = now()`;
  }

  async clearCheckpoints(schema: string, migration: string): Promise<void> {
    await this.client.query(`DELETE FROM ${this.checkpointTable} WHERE schema = $1 AND migration = $2`, [schema, migration]);
  }
}
