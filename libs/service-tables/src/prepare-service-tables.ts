import type { DataSource } from 'typeorm';

/** A service's own tables: one schema of the event store's database, kept up to date by TypeORM migrations. */
export interface ServiceTables {
  /** Who owns them, as the error names it: "monitor", "api-agent". */
  service: string;
  schema: string;
  /** Every table the service reads and writes (TypeORM's migrations table is read only). */
  tables: readonly string[];
}

/** A service's tables are behind its code and its role may not bring them up to date. */
export class ServiceTablesOutdatedError extends Error {
  readonly code = 'SERVICE_TABLES_OUTDATED';

  constructor(tables: ServiceTables, role: string, cause: unknown) {
    super(`the ${tables.service}'s tables (schema ${tables.schema}) are not up to date and role "${role}" may not update them: run \`bascule events init --grant ${role}\` as an admin`, { cause });
  }
}

export function isServiceTablesOutdatedError(error: unknown): error is ServiceTablesOutdatedError {
  return error instanceof ServiceTablesOutdatedError;
}

/**
 * Brings the schema to the code's (creates it, runs TypeORM's pending migrations in one
 * transaction) and, with `grantTo`, gives the services' role exactly what the service does with its
 * tables: read the migrations table, read and write its tables, nothing else. Run by
 * `bascule events init` as an admin; by the service itself only when its role may.
 */
export async function prepareServiceTables(dataSource: DataSource, tables: ServiceTables, grantTo?: string): Promise<void> {
  // IF NOT EXISTS checks the CREATE privilege before existence: only ask when the schema is missing.
  if (!(await schemaExists(dataSource, tables.schema))) await dataSource.query(`CREATE SCHEMA ${tables.schema}`);
  await dataSource.runMigrations({ transaction: 'all' });
  if (grantTo === undefined) return;
  const grantee = `"${grantTo.replace(/"/g, '""')}"`;
  const qualified = tables.tables.map((table) => `${tables.schema}.${table}`).join(', ');
  await dataSource.transaction(async (manager) => {
    for (const statement of [
      `REVOKE ALL ON SCHEMA ${tables.schema} FROM PUBLIC`,
      `REVOKE ALL ON ALL TABLES IN SCHEMA ${tables.schema} FROM ${grantee}`,
      `REVOKE CREATE ON SCHEMA ${tables.schema} FROM ${grantee}`,
      `GRANT USAGE ON SCHEMA ${tables.schema} TO ${grantee}`,
      `GRANT SELECT ON ${tables.schema}.typeorm_migrations TO ${grantee}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${qualified} TO ${grantee}`,
    ]) {
      await manager.query(statement);
    }
  });
}

/**
 * At a service's boot: nothing to do when its tables are current; brings them up to date when the
 * role may (local development, an owner role); else ServiceTablesOutdatedError naming the role and
 * the command, and the service does not start half-ready.
 */
export async function ensureServiceTables(dataSource: DataSource, tables: ServiceTables): Promise<void> {
  if (await isCurrent(dataSource, tables.schema)) return;
  // Two replicas booting at once must not both run the migrations: the second waits on this lock,
  // held on a connection of its own, and then finds nothing pending.
  const lock = dataSource.createQueryRunner();
  const name = `${tables.schema}.migrations`;
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    if (await isCurrent(dataSource, tables.schema)) return;
    await prepareServiceTables(dataSource, tables);
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    const [{ role }] = await dataSource.query('SELECT current_user AS role');
    throw new ServiceTablesOutdatedError(tables, role, error);
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
    await lock.release();
  }
}

async function isCurrent(dataSource: DataSource, schema: string): Promise<boolean> {
  return (await schemaExists(dataSource, schema)) && !(await pendingMigrations(dataSource));
}

async function schemaExists(dataSource: DataSource, schema: string): Promise<boolean> {
  const rows: Array<{ exists: boolean }> = await dataSource.query('SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS exists', [schema]);
  return rows[0]?.exists === true;
}

/** Whether a migration is pending; a role that may not even create TypeORM's table there counts as pending. */
async function pendingMigrations(dataSource: DataSource): Promise<boolean> {
  try {
    return await dataSource.showMigrations();
  } catch (error) {
    if ((error as { code?: string }).code === '42501') return true;
    throw error;
  }
}
