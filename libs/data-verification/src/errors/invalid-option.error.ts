import { DataVerificationError } from './data-verification.error';

/** Raised when an option is out of range (a segment size of 0, a negative sample), before any query. */
export class InvalidOptionError extends DataVerificationError {
  readonly code = 'INVALID_OPTION';

  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super(`option ${option}: ${reason}`);
  }
}
