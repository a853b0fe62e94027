import type { BackupTableCheck } from '@bascule/contracts';

/** Why a backup step failed: its `code` is the `BackupFailed` event's. */
export class BackupError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackupError';
  }
}

export const isBackupError = (error: unknown): error is BackupError => error instanceof BackupError;

/** A backup step ran but the data-verifier was not told where to write: nothing is dumped. */
export class BackupDirNotSetError extends BackupError {
  constructor() {
    super('BACKUP_DIR_NOT_SET', 'BASCULE_BACKUP_DIR is not set: set it to a directory the data-verifier can write (on a disk other than the database\'s) to run backup steps');
  }
}

/** pg_dump or pg_restore is not where BASCULE_PG_BIN, PATH or /usr/lib/postgresql/<v>/bin would have it. */
export class PgToolNotFoundError extends BackupError {
  constructor(tool: string, looked: string) {
    super('PG_TOOL_NOT_FOUND', `${tool} not found (${looked}): install the PostgreSQL client tools or set BASCULE_PG_BIN to their directory`);
  }
}

/** pg_dump or pg_restore exited with an error; the message carries the end of its stderr. */
export class PgToolFailedError extends BackupError {
  constructor(tool: 'pg_dump' | 'pg_restore', exit: string, stderr: string) {
    super(tool === 'pg_dump' ? 'PG_DUMP_FAILED' : 'RESTORE_FAILED', `${tool} ${exit}${stderr ? `: ${stderr}` : ''}`);
  }
}

/** The restored copy differs from the live tables of the dump's snapshot. */
export class BackupMismatchError extends BackupError {
  constructor(readonly tables: BackupTableCheck[]) {
    const differing = tables.filter((table) => !table.equal).map((table) => `${table.table} (${table.source.rowCount} rows live, ${table.restored.rowCount} restored)`);
    super('BACKUP_CHECKSUM_MISMATCH', `the backup restored, but its copy of ${differing.join(', ')} differs from the live table in the dump's snapshot`);
  }
}
