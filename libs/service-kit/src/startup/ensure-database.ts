import { Client } from 'pg';
import { quoteIdent } from './quote-ident';

/** Postgres: "database does not exist". */
export const UNDEFINED_DATABASE = '3D000';
/** Lost race of two concurrent `CREATE DATABASE`: the loser sees one of these. */
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';

export function databaseNameOf(url: string): string | undefined {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  return name === '' ? undefined : name;
}

/** The same server, the `postgres` maintenance database: where `CREATE DATABASE` can run. */
export function maintenanceUrlOf(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

/**
 * Creates the database named in `url` if it does not exist. Six services boot at once, so two
 * may race: the loser's 42P04 (or 23505 from pg_database's unique index) means the work is done.
 */
export async function ensureDatabaseExists(url: string, connectTimeoutMs = 3000): Promise<void> {
  const name = databaseNameOf(url);
  if (name === undefined) return;
  const client = new Client({ connectionString: maintenanceUrlOf(url), connectionTimeoutMillis: connectTimeoutMs });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw error;
  } finally {
    await client.end();
  }
}
