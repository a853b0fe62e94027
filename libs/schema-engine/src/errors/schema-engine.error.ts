import type { ValidationIssue } from '../operations/operation';

/**
 * Base of every error the engine throws on purpose. `code` is stable (callers and the CLI switch
 * on it); the message says what happened and what to do, never a connection string.
 */
export abstract class SchemaEngineError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isSchemaEngineError(error: unknown): error is SchemaEngineError {
  return error instanceof SchemaEngineError;
}

/** The migration file or its operations are invalid (format, or against the live schema). Nothing was changed. */
export class InvalidMigrationError extends SchemaEngineError {
  readonly code = 'INVALID_MIGRATION';

  constructor(
    readonly migration: string,
    readonly issues: ValidationIssue[],
  ) {
    super(
      `migration "${migration}" is invalid (${issues.length} problem${issues.length === 1 ? '' : 's'}): ` +
        issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
    );
  }
}

/** The migration file could not be read or parsed as YAML/JSON. */
export class MigrationFileError extends SchemaEngineError {
  readonly code = 'MIGRATION_FILE_UNREADABLE';
}

/** Another migration of the same schema is active (started, not completed or rolled back). */
export class MigrationAlreadyActiveError extends SchemaEngineError {
  readonly code = 'MIGRATION_ALREADY_ACTIVE';

  constructor(
    readonly schema: string,
    readonly activeMigration: string,
  ) {
    super(
      `migration "${activeMigration}" is already active on schema "${schema}": complete or roll it back before starting another`,
    );
  }
}

/** `start` of a migration whose name was already completed on this schema. */
export class MigrationAlreadyAppliedError extends SchemaEngineError {
  readonly code = 'MIGRATION_ALREADY_APPLIED';

  constructor(
    readonly schema: string,
    readonly migration: string,
  ) {
    super(`migration "${migration}" was already completed on schema "${schema}"; give a new migration a new name`);
  }
}

/** `complete` / `rollback` with no active migration. */
export class NoActiveMigrationError extends SchemaEngineError {
  readonly code = 'NO_ACTIVE_MIGRATION';

  constructor(readonly schema: string) {
    super(`no migration is active on schema "${schema}"`);
  }
}

/** Where in a migration a failure happened, for errors raised while executing actions. */
export interface OperationLocation {
  migration: string;
  phase: 'validate' | 'start' | 'complete' | 'rollback' | 'backfill' | 'version_schema';
  /** Index of the operation in the file, or null for the engine's own steps (version schema). */
  index: number | null;
  kind: string | null;
}

function locate(location: OperationLocation): string {
  const where = location.index === null ? location.phase : `operations[${location.index}].${location.kind} (${location.phase})`;
  return `migration "${location.migration}", ${where}`;
}

/** A statement kept timing out waiting for its lock (SQLSTATE 55P03) after every retry. */
export class LockTimeoutError extends SchemaEngineError {
  readonly code = 'LOCK_TIMEOUT';

  constructor(
    readonly location: OperationLocation,
    readonly attempts: number,
    readonly lockTimeoutMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${locate(location)}: could not take a lock within ${lockTimeoutMs} ms after ${attempts} attempts; ` +
        'a long transaction holds the table; retry later or raise the lock timeout',
      options,
    );
  }
}

/** A statement of an operation failed in Postgres. */
export class OperationFailedError extends SchemaEngineError {
  readonly code = 'OPERATION_FAILED';

  constructor(
    readonly location: OperationLocation,
    /** SQLSTATE, e.g. `23502`; null when the failure did not come from Postgres. */
    readonly pgCode: string | null,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${locate(location)} failed${pgCode ? ` [SQLSTATE ${pgCode}]` : ''}: ${detail}`, options);
  }
}

/** A migration left half-started by a crash cannot simply be started again: it must be rolled back. */
export class MigrationInterruptedError extends SchemaEngineError {
  readonly code = 'MIGRATION_INTERRUPTED';

  constructor(
    readonly schema: string,
    readonly migration: string,
  ) {
    super(
      `migration "${migration}" on schema "${schema}" was interrupted while its start was changing the schema; ` +
        'roll it back, then start it again',
    );
  }
}

/**
 * The backfill stopped between batches because its caller asked it to (abort signal). Its
 * checkpoint is saved; `start` or `complete` of the same migration resumes from it.
 */
export class BackfillInterruptedError extends SchemaEngineError {
  readonly code = 'BACKFILL_INTERRUPTED';

  constructor(
    readonly location: OperationLocation,
    readonly table: string,
    readonly rowsDone: number,
  ) {
    super(`${locate(location)}: backfill of "${table}" paused after ${rowsDone} rows; start or complete the migration again to resume`);
  }
}

/** Another engine is running a phase of this schema right now (its advisory lock is held). */
export class SchemaBusyError extends SchemaEngineError {
  readonly code = 'SCHEMA_BUSY';

  constructor(readonly schema: string) {
    super(`another Bascule engine is running a migration phase on schema "${schema}" right now; try again when it finishes`);
  }
}

/** The requested phase contradicts one already under way (rollback of a half-done complete, or the reverse). */
export class PhaseConflictError extends SchemaEngineError {
  readonly code = 'PHASE_CONFLICT';

  constructor(
    readonly schema: string,
    readonly migration: string,
    readonly status: string,
    readonly requested: 'complete' | 'rollback',
  ) {
    super(
      `migration "${migration}" on schema "${schema}" is ${status.replace('_', ' ')}; ${requested} is not possible now — ` +
        `run ${status === 'completing' ? 'complete' : 'rollback'} again to finish it`,
    );
  }
}

/** The engine was configured with an impossible value (negative batch size, no database, …). */
export class EngineConfigurationError extends SchemaEngineError {
  readonly code = 'INVALID_ENGINE_OPTIONS';
}
