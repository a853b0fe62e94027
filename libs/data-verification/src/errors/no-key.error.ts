import { DataVerificationError } from './data-verification.error';

/**
 * Raised when an operation needs to name rows by key (a row-level baseline, a diff between two
 * tables) and the table has no primary key and no usable key columns were given.
 */
export class NoKeyError extends DataVerificationError {
  readonly code = 'NO_KEY';

  constructor(
    readonly relation: string,
    readonly operation: string,
  ) {
    super(
      `${operation}: ${relation} has no primary key, so differing rows cannot be named; ` +
        'pass keyColumns naming NOT NULL columns covered by a unique index',
    );
  }
}
