import { DataVerificationError } from './data-verification.error';

/** Raised when the table (or view) to verify does not exist, before anything is read. */
export class TableNotFoundError extends DataVerificationError {
  readonly code = 'TABLE_NOT_FOUND';

  constructor(
    readonly schema: string,
    readonly table: string,
  ) {
    super(`table "${schema}"."${table}" does not exist: check the schema and table names (they are case-sensitive)`);
  }
}
