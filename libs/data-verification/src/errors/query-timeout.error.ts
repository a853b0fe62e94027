import { DataVerificationError } from './data-verification.error';

/**
 * Raised when Postgres cancelled a verification query at `statement_timeout` or gave up waiting
 * for a lock at `lock_timeout` (e.g. behind a migration's ACCESS EXCLUSIVE lock).
 */
export class QueryTimeoutError extends DataVerificationError {
  readonly code = 'QUERY_TIMEOUT';

  constructor(
    readonly limit: 'statement_timeout' | 'lock_timeout',
    readonly milliseconds: number,
    options?: { cause?: unknown },
  ) {
    const option = limit === 'statement_timeout' ? 'statementTimeoutMs' : 'lockTimeoutMs';
    super(
      `a verification query exceeded ${limit} (${milliseconds} ms); raise the ${option} option ` +
        'or verify when the table is less busy',
      options,
    );
  }
}
