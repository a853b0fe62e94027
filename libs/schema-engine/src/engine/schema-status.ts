import type { Queryable } from '../introspection/queryable';
import type { BackfillCheckpoint, MigrationRecord, MigrationStatus } from '../state/migration-record';
import { MigrationStore } from '../state/migration-store';
import { HOLDING_STATUSES } from '../state/state-schema';
import { qualified } from '../sql/identifiers';

export interface MigrationSummary {
  name: string;
  versionSchema: string;
  status: MigrationStatus;
  parent: string | null;
  previousVersionSchema: string | null;
  operations: string[];
  startedAt: string | null;
  completedAt: string | null;
  rolledBackAt: string | null;
  error: string | null;
  backfill: BackfillCheckpoint[];
}

export interface SchemaStatus {
  schema: string;
  /** The migration holding the schema (starting, backfilling, active, completing, rolling back). */
  active: MigrationSummary | null;
  /** Version schema applications should use for the newest version (null: use the physical schema). */
  latestVersionSchema: string | null;
  /** Newest first. */
  migrations: MigrationSummary[];
}

function kindsOf(operations: unknown[]): string[] {
  return operations.map((operation) =>
    operation !== null && typeof operation === 'object' ? (Object.keys(operation)[0] ?? '?') : '?',
  );
}

async function summarize(store: MigrationStore, record: MigrationRecord, withBackfill: boolean): Promise<MigrationSummary> {
  return {
    name: record.name,
    versionSchema: record.versionSchema,
    status: record.status,
    parent: record.parent,
    previousVersionSchema: record.previousVersionSchema,
    operations: kindsOf(record.operations),
    startedAt: record.startedAt?.toISOString() ?? null,
    completedAt: record.completedAt?.toISOString() ?? null,
    rolledBackAt: record.rolledBackAt?.toISOString() ?? null,
    error: record.error,
    backfill: withBackfill ? await store.checkpoints(record.schema, record.name) : [],
  };
}

/** Reads the state without creating it: a database Bascule never touched simply has no migrations. */
export async function readSchemaStatus(client: Queryable, stateSchema: string, schema: string): Promise<SchemaStatus> {
  const exists = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [qualified(stateSchema, 'migrations')]);
  if (!exists.rows[0].found) return { schema, active: null, latestVersionSchema: null, migrations: [] };
  const store = new MigrationStore(client, stateSchema);
  const records = await store.list(schema);
  const active = records.find((record) => (HOLDING_STATUSES as readonly string[]).includes(record.status));
  const latestCompleted = records
    .filter((record) => record.status === 'completed')
    .sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0))[0];
  return {
    schema,
    active: active ? await summarize(store, active, true) : null,
    latestVersionSchema: active?.versionSchema ?? latestCompleted?.versionSchema ?? null,
    migrations: await Promise.all(records.map((record) => summarize(store, record, false))),
  };
}
