import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { BACKUP_TABLE_NAME } from '@bascule/contracts';
import { Client } from 'pg';
import { parseTableRef } from '../table-ref';
import { BackupDirNotSetError, BackupError, BackupMismatchError } from './backup.errors';
import { pgConnectionEnv } from './pg-connection-env';
import { resolvePgTool, runPgTool, type PgInvocation, type Spawner } from './pg-tools';
import { tableChecksum, type TableChecksum } from './table-checksum';
import { verifyBackupFile, type RestoreCheck } from './verify-backup-file';

export interface TakeBackupRequest {
  migrationId: string;
  stepId: string;
  targetUrl: string;
  tables: readonly string[];
}

export interface TakenBackup {
  path: string;
  sizeBytes: number;
  tables: Array<{ table: string } & TableChecksum>;
  restoreCheck: RestoreCheck;
  durationMs: number;
}

/** A spec table name as pg_dump's `--table` pattern: quoted, so case is kept and nothing is a wildcard. */
function tablePattern(table: string): string {
  // The spec refuses other names already; a forged plan must not turn a name into a pattern either.
  if (!BACKUP_TABLE_NAME.test(table)) throw new BackupError('INVALID_TABLE', `${JSON.stringify(table.slice(0, 80))} is not a table name`);
  const { schema, table: name } = parseTableRef(table);
  return `"${schema}"."${name}"`;
}

/** BASCULE_BACKUP_DIR, absolute; unset refuses the step (a default directory would fill a disk nobody watches). */
export function backupDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env['BASCULE_BACKUP_DIR'];
  if (!dir) throw new BackupDirNotSetError();
  return isAbsolute(dir) ? dir : resolve(dir);
}

/** `<migration>-<step>-<UTC time>.dump`, reduced to characters any file system takes. */
export function backupFileName(migrationId: string, stepId: string, at: Date): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
  return `${safe(migrationId)}-${safe(stepId)}-${at.toISOString().replace(/[-:.]/g, '')}.dump`;
}

/** pg_dump of `tables` in `snapshot` to `file`: the connection through the environment, only names and paths in argv. */
export function dumpInvocation(targetUrl: string, tables: readonly string[], file: string, snapshot: string, env: NodeJS.ProcessEnv = process.env): PgInvocation {
  return {
    tool: 'pg_dump',
    file: resolvePgTool('pg_dump', env),
    // --strict-names: a table that does not exist fails the dump instead of being left out.
    args: ['--format=custom', '--no-owner', '--no-privileges', '--strict-names', `--snapshot=${snapshot}`, ...tables.map((table) => `--table=${tablePattern(table)}`), `--file=${file}`],
    env: pgConnectionEnv(targetUrl),
  };
}

/**
 * Dumps the tables and proves the dump: pg_dump reads in a snapshot this function exported and
 * holds open, the live checksums are read in the same snapshot (so concurrent writes do not make
 * the comparison approximate), and the file is restored into a scratch database and checksummed
 * there. The file only gets its final name once the check passed: a name without `.partial` is a
 * complete, verified backup.
 */
export async function takeBackup(request: TakeBackupRequest, options: { env?: NodeJS.ProcessEnv; spawner?: Spawner } = {}): Promise<TakenBackup> {
  const env = options.env ?? process.env;
  const began = Date.now();
  const dir = backupDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const name = backupFileName(request.migrationId, request.stepId, new Date());
  const path = join(dir, name);
  const partial = join(dir, `.${name}.${randomBytes(4).toString('hex')}.partial`);
  try {
    // Created 0600 before pg_dump writes into it (it truncates, keeping the mode): the rows are never readable by others.
    await writeFile(partial, '', { mode: 0o600, flag: 'wx' });
    const holder = new Client({ connectionString: request.targetUrl, application_name: 'bascule-data-verifier-backup' });
    await holder.connect();
    let source: TakenBackup['tables'];
    try {
      // The exported snapshot lives as long as this transaction: pg_dump and the checksums import it meanwhile.
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshot = (await holder.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot')).rows[0]?.snapshot ?? '';
      await runPgTool(dumpInvocation(request.targetUrl, request.tables, partial, snapshot, env), options.spawner);
      source = await liveChecksums(request.targetUrl, request.tables, snapshot);
      await holder.query('COMMIT');
    } finally {
      await holder.end();
    }
    await chmod(partial, 0o600);
    const restoreCheck = await verifyBackupFile(partial, { targetUrl: request.targetUrl, expected: source, env, ...(options.spawner ? { spawner: options.spawner } : {}) });
    if (!restoreCheck.passed) throw new BackupMismatchError(restoreCheck.tables);
    await rename(partial, path);
    return { path, sizeBytes: (await stat(path)).size, tables: source, restoreCheck, durationMs: Date.now() - began };
  } finally {
    await rm(partial, { force: true });
  }
}

/** The live tables' checksums, each in its own transaction importing `snapshot`: the rows pg_dump wrote. */
async function liveChecksums(targetUrl: string, tables: readonly string[], snapshot: string): Promise<TakenBackup['tables']> {
  const reader = new Client({ connectionString: targetUrl, application_name: 'bascule-data-verifier-backup' });
  await reader.connect();
  try {
    const checksums: TakenBackup['tables'] = [];
    for (const table of tables) checksums.push({ table, ...(await tableChecksum(reader, table, snapshot)) });
    return checksums;
  } finally {
    await reader.end();
  }
}
