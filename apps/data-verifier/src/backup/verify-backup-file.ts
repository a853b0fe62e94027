import { randomBytes } from 'node:crypto';
import type { BackupTableCheck } from '@bascule/contracts';
import { quoteIdent } from '@bascule/schema-engine';
import { Client } from 'pg';
import { parseTableRef } from '../table-ref';
import { BackupError } from './backup.errors';
import { pgConnectionEnv, urlOnDatabase } from './pg-connection-env';
import { resolvePgTool, runPgTool, type PgInvocation, type Spawner } from './pg-tools';
import { tableChecksum, type TableChecksum } from './table-checksum';

export interface RestoreCheck {
  database: string;
  tables: BackupTableCheck[];
  passed: boolean;
  durationMs: number;
}

export interface VerifyBackupOptions {
  /** Connection URL of the server the file came from; the scratch database is created there. */
  targetUrl: string;
  /** What the restored tables must hold: the live tables' checksums in the dump's snapshot. */
  expected: ReadonlyArray<{ table: string } & TableChecksum>;
  env?: NodeJS.ProcessEnv;
  spawner?: Spawner;
}

/** pg_restore of `file` into `database`: the connection through the environment, only names and paths in argv. */
export function restoreInvocation(file: string, targetUrl: string, database: string, env: NodeJS.ProcessEnv = process.env): PgInvocation {
  return {
    tool: 'pg_restore',
    file: resolvePgTool('pg_restore', env),
    // --exit-on-error: a file that restores half-way is a failed backup, not a warning.
    args: ['--exit-on-error', '--no-owner', '--no-privileges', `--dbname=${database}`, file],
    env: pgConnectionEnv(targetUrl, database),
  };
}

/**
 * Restores `file` into a scratch database of the target's server, checksums every expected table
 * there and compares. The scratch database is dropped afterwards, whether the restore worked or
 * not. A file that does not restore rejects (RESTORE_FAILED); a restored table that differs is a
 * `passed: false` check naming it.
 */
export async function verifyBackupFile(file: string, options: VerifyBackupOptions): Promise<RestoreCheck> {
  const began = Date.now();
  const database = `bascule_backup_check_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: options.targetUrl, application_name: 'bascule-data-verifier-backup' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(database)}`).catch((error: unknown) => {
      throw new BackupError('SCRATCH_DATABASE_FAILED', `could not create the scratch database the backup is restored into (${(error as Error).message}): the target's role needs CREATEDB`, { cause: error });
    });
    try {
      await restoreInto(database, file, options);
      const tables = await compareRestored(urlOnDatabase(options.targetUrl, database), options.expected);
      return { database, tables, passed: tables.every((table) => table.equal), durationMs: Date.now() - began };
    } finally {
      // FORCE: a pg_restore still connected after a kill must not keep the copy alive.
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

async function restoreInto(database: string, file: string, options: VerifyBackupOptions): Promise<void> {
  // pg_dump --table dumps tables, not the schemas holding them: the copy needs them first.
  const schemas = [...new Set(options.expected.map(({ table }) => parseTableRef(table).schema))].filter((schema) => schema !== 'public');
  if (schemas.length > 0) {
    const scratch = new Client({ connectionString: urlOnDatabase(options.targetUrl, database) });
    await scratch.connect();
    try {
      for (const schema of schemas) await scratch.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } finally {
      await scratch.end();
    }
  }
  await runPgTool(restoreInvocation(file, options.targetUrl, database, options.env), options.spawner);
}

async function compareRestored(url: string, expected: VerifyBackupOptions['expected']): Promise<BackupTableCheck[]> {
  const scratch = new Client({ connectionString: url });
  await scratch.connect();
  try {
    const checks: BackupTableCheck[] = [];
    for (const { table, rowCount, checksum } of expected) {
      const restored = await tableChecksum(scratch, table);
      const source = { rowCount, checksum };
      checks.push({ table, source, restored, equal: restored.rowCount === rowCount && restored.checksum === checksum });
    }
    return checks;
  } finally {
    await scratch.end();
  }
}
