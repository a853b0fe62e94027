import { DataVerificationError } from './data-verification.error';

/** Raised when a schema, table or column name cannot be an SQL identifier (empty, NUL byte, too long). */
export class InvalidIdentifierError extends DataVerificationError {
  readonly code = 'INVALID_IDENTIFIER';

  constructor(
    readonly identifier: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(identifier)} is not a valid SQL identifier: ${reason}`);
  }
}
