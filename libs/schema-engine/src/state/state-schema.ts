import { qualified, quoteIdent } from '../sql/identifiers';
import type { Queryable } from '../introspection/queryable';

/** Where the engine keeps its state in the target database. Never a migration target itself. */
export const DEFAULT_STATE_SCHEMA = 'bascule_schema';

/**
 * Statuses in which a migration holds its schema: at most one such row per schema. `completing` and
 * `rolling_back` mark a phase that began and must be finished by running the same phase again.
 */
export const HOLDING_STATUSES = ['starting', 'backfilling', 'active', 'completing', 'rolling_back'] as const;

/**
 * DDL of the state schema. `one_active_migration_per_schema` is the database's own guarantee of
 * "at most one active migration per schema", behind the advisory lock the runner takes.
 */
export function stateSchemaDdl(stateSchema: string): string {
  const t = (name: string) => qualified(stateSchema, name);
  const holding = HOLDING_STATUSES.map((status) => `'${status}'`).join(', ');
  return `
CREATE SCHEMA IF NOT EXISTS ${quoteIdent(stateSchema)};
CREATE TABLE IF NOT EXISTS ${t('migrations')} (
  schema text NOT NULL,
  name text NOT NULL,
  version_schema text NOT NULL,
  parent text,
  previous_version_schema text,
  operations jsonb NOT NULL,
  op_models jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL CHECK (status IN (${holding}, 'completed', 'rolled_back', 'failed')),
  started_ops integer NOT NULL DEFAULT 0,
  phase_progress integer NOT NULL DEFAULT 0,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  rolled_back_at timestamptz,
  PRIMARY KEY (schema, name)
);
CREATE UNIQUE INDEX IF NOT EXISTS one_active_migration_per_schema
  ON ${t('migrations')} (schema) WHERE status IN (${holding});
CREATE TABLE IF NOT EXISTS ${t('backfill_checkpoints')} (
  schema text NOT NULL,
  migration text NOT NULL,
  table_name text NOT NULL,
  rows_done bigint NOT NULL DEFAULT 0,
  batches integer NOT NULL DEFAULT 0,
  last_key jsonb,
  done boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schema, migration, table_name)
);
CREATE TABLE IF NOT EXISTS ${t('history')} (
  id bigserial PRIMARY KEY,
  schema text NOT NULL,
  migration text NOT NULL,
  event text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  recorded_at timestamptz NOT NULL DEFAULT now()
);`;
}

/** Key of the advisory lock serialising the creation of the state schema across engines. */
const STATE_SCHEMA_LOCK_KEY = 0x62617363; // "basc"

/**
 * Creates the state schema if missing. `CREATE ... IF NOT EXISTS` is not safe against a
 * concurrent twin (both pass the check, one fails on the catalog's unique index), hence the lock.
 */
export async function ensureStateSchema(client: Queryable, stateSchema: string): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [STATE_SCHEMA_LOCK_KEY]);
    await client.query(stateSchemaDdl(stateSchema));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
