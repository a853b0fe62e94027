import type { DataSource } from 'typeorm';
import { MONITOR_SCHEMA, MONITOR_TABLES } from './monitor-data-source';

/** The monitor's tables are behind its code and its role may not bring them up to date. */
export class MonitorStoreOutdatedError extends Error {
  readonly code = 'MONITOR_STORE_OUTDATED';

  constructor(role: string, cause: unknown) {
    super(`the monitor's tables (schema ${MONITOR_SCHEMA}) are not up to date and role "${role}" may not update them: run \`bascule events init --grant ${role}\` as an admin`, { cause });
  }
}

export function isMonitorStoreOutdatedError(error: unknown): error is MonitorStoreOutdatedError {
  return error instanceof MonitorStoreOutdatedError;
}

/**
 * Brings the monitor's schema to the code's (creates the schema, runs TypeORM's pending migrations
 * in one transaction) and, with `grantTo`, gives the services' role exactly what the monitor does
 * with its tables: read the migrations table, read and write the three state tables, nothing else.
 * Run by `bascule events init` as an admin; by the monitor itself only when its role may.
 */
export async function prepareMonitorStore(dataSource: DataSource, grantTo?: string): Promise<void> {
  // IF NOT EXISTS checks the CREATE privilege before existence: only ask when the schema is missing.
  if (!(await schemaExists(dataSource))) await dataSource.query(`CREATE SCHEMA ${MONITOR_SCHEMA}`);
  await dataSource.runMigrations({ transaction: 'all' });
  if (grantTo === undefined) return;
  const grantee = `"${grantTo.replace(/"/g, '""')}"`;
  const tables = MONITOR_TABLES.map((table) => `${MONITOR_SCHEMA}.${table}`).join(', ');
  await dataSource.transaction(async (manager) => {
    for (const statement of [
      `REVOKE ALL ON SCHEMA ${MONITOR_SCHEMA} FROM PUBLIC`,
      `REVOKE ALL ON ALL TABLES IN SCHEMA ${MONITOR_SCHEMA} FROM ${grantee}`,
      `REVOKE CREATE ON SCHEMA ${MONITOR_SCHEMA} FROM ${grantee}`,
      `GRANT USAGE ON SCHEMA ${MONITOR_SCHEMA} TO ${grantee}`,
      `GRANT SELECT ON ${MONITOR_SCHEMA}.typeorm_migrations TO ${grantee}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ${tables} TO ${grantee}`,
    ]) {
      await manager.query(statement);
    }
  });
}

/**
 * At the monitor's boot: nothing to do when the tables are current; brings them up to date when
 * the role may (local development, an owner role); else MonitorStoreOutdatedError naming the role
 * and the command, and the monitor does not start half-ready.
 */
export async function ensureMonitorStore(dataSource: DataSource): Promise<void> {
  if (await isCurrent(dataSource)) return;
  // Two monitors booting at once (replicas) must not both run the migrations: the second waits on
  // this lock, held on a connection of its own, and then finds nothing pending.
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    if (await isCurrent(dataSource)) return;
    await prepareMonitorStore(dataSource);
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    const [{ role }] = await dataSource.query('SELECT current_user AS role');
    throw new MonitorStoreOutdatedError(role, error);
  } finally {
    await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
}

const MIGRATION_LOCK = 'bascule_monitor.migrations';

async function isCurrent(dataSource: DataSource): Promise<boolean> {
  return (await schemaExists(dataSource)) && !(await pendingMigrations(dataSource));
}

async function schemaExists(dataSource: DataSource): Promise<boolean> {
  const rows: Array<{ exists: boolean }> = await dataSource.query('SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS exists', [MONITOR_SCHEMA]);
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
