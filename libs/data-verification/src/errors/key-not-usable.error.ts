import { DataVerificationError } from './data-verification.error';

/**
 * Raised when given key columns could not identify rows: a nullable column would drop rows out of
 * every key range, and a non-unique key would make two rows look like one.
 */
export class KeyNotUsableError extends DataVerificationError {
  readonly code = 'KEY_NOT_USABLE';

  constructor(
    readonly relation: string,
    readonly keyColumns: string[],
    readonly reason: string,
  ) {
    super(`key (${keyColumns.map((c) => `"${c}"`).join(', ')}) of ${relation} cannot identify rows: ${reason}`);
  }
}
