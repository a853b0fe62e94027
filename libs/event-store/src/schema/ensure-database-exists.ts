import { Client, escapeIdentifier } from 'pg';
import { EventStoreError } from '../errors/event-store.error';

export const DEFAULT_EVENT_STORE_URL = 'postgres://root@127.0.0.1:5432/bascule';

/** SQLSTATEs a concurrent CREATE DATABASE of the same name can end with: duplicate_database, unique_violation. */
const ALREADY_CREATED = new Set(['42P04', '23505']);

export class InvalidDatabaseUrlError extends EventStoreError {
  readonly code = 'INVALID_DATABASE_URL';
}

/** The database a connection URL names, or a typed error that never echoes the URL (it may hold a password). */
export function databaseNameOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new InvalidDatabaseUrlError('the event store database URL is not a valid URL', { cause });
  }
  const name = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (!/^postgres(ql)?:$/.test(parsed.protocol) || name === '' || name.includes('/')) {
    throw new InvalidDatabaseUrlError('the event store database URL must look like postgres://user@host:port/database');
  }
  return name;
}

/**
 * Creates the URL's database when missing, connecting to the `postgres` database of the same server.
 * Several services may race here; the loser's "already exists" is success.
 */
export async function ensureDatabaseExists(url: string, connectTimeoutMs?: number): Promise<void> {
  const name = databaseNameOf(url);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const client = new Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: connectTimeoutMs });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE ${escapeIdentifier(name)}`);
  } catch (error) {
    if (!ALREADY_CREATED.has((error as { code?: string }).code ?? '')) throw error;
  } finally {
    await client.end();
  }
}
