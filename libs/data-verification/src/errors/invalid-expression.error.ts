import { DataVerificationError } from './data-verification.error';

/**
 * Raised when an SQL expression or query handed to the verifier is not exactly one expression
 * (one read query for invariants), or Postgres rejects it. Nothing has been changed.
 */
export class InvalidExpressionError extends DataVerificationError {
  readonly code = 'INVALID_EXPRESSION';

  constructor(
    /** Where the text came from, e.g. `up` or `invariant "balances-positive"`. */
    readonly where: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${where}: ${reason}`, options);
  }
}
