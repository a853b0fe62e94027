import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { libpqEnvironment } from './libpq-environment';

const run = promisify(execFile);

/**
 * `pg_dump --schema-only` of some schemas, without what differs between two dumps of the same
 * schema: comments, blank lines and psql's `\restrict` guard lines (pg_dump 15.14+ writes a random key).
 */
export async function dumpSchemas(databaseUrl: string, schemas: readonly string[]): Promise<string> {
  const { args, env } = pgDumpInvocation(databaseUrl, schemas);
  const { stdout } = await run(process.env['BASCULE_PG_DUMP'] ?? 'pg_dump', args, { env, maxBuffer: 64 * 1024 * 1024 });
  return normalizeDump(stdout);
}

/** pg_dump's arguments and environment: the connection (password included) goes in the environment only. */
export function pgDumpInvocation(databaseUrl: string, schemas: readonly string[]): { args: string[]; env: NodeJS.ProcessEnv } {
  const args = ['--schema-only', '--no-owner', '--no-privileges', ...schemas.flatMap((schema) => ['--schema', schema])];
  return { args, env: { ...process.env, ...libpqEnvironment(databaseUrl) } };
}

export function normalizeDump(dump: string): string {
  return dump
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('--') && !line.startsWith('\\'))
    .join('\n');
}
