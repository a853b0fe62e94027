import { DataVerificationError } from './data-verification.error';

/** Raised when a named column (key, compared column, old/new column) is not a column of the table. */
export class ColumnNotFoundError extends DataVerificationError {
  readonly code = 'COLUMN_NOT_FOUND';

  constructor(
    readonly relation: string,
    readonly columns: string[],
    readonly role: string,
  ) {
    super(
      `${role}: ${relation} has no column ${columns.map((c) => `"${c}"`).join(', ')}; ` +
        'name existing columns exactly (they are case-sensitive)',
    );
  }
}
