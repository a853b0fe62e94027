/** Postgres: "database does not exist". */
export const UNDEFINED_DATABASE = '3D000';

/** The same server, the `postgres` maintenance database: where `CREATE DATABASE` can run. */
export function maintenanceUrlOf(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}
