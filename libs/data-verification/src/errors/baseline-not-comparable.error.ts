import { DataVerificationError } from './data-verification.error';

/**
 * Raised when the table no longer has what its baseline was computed over (a compared or key
 * column is gone, or the stored row hashes were removed), so no honest comparison is possible.
 */
export class BaselineNotComparableError extends DataVerificationError {
  readonly code = 'BASELINE_NOT_COMPARABLE';

  constructor(
    readonly baselineId: string,
    readonly reason: string,
  ) {
    super(`baseline ${baselineId} cannot be compared: ${reason}`);
  }
}
