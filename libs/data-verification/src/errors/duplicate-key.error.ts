import { DataVerificationError } from './data-verification.error';

/** Raised when two rows of one side share a key during row comparison: the key does not identify rows. */
export class DuplicateKeyError extends DataVerificationError {
  readonly code = 'DUPLICATE_KEY';

  constructor(
    readonly relation: string,
    readonly key: Record<string, string>,
  ) {
    super(`${relation} holds more than one row with key ${JSON.stringify(key)}; compare on a unique key`);
  }
}
