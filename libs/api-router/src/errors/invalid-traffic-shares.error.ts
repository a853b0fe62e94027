import { ApiRouterError } from './api-router.error';

/**
 * Raised before any weight changes when the requested shares are not whole percents of known
 * versions adding up to 100: applying part of them could leave every version at 0.
 */
export class InvalidTrafficSharesError extends ApiRouterError {
  readonly code = 'INVALID_TRAFFIC_SHARES';

  constructor(
    readonly shares: Readonly<Record<string, number>>,
    readonly problem: string,
  ) {
    super(`traffic shares ${JSON.stringify(shares)}: ${problem}; give every version a whole percent 0–100, summing to 100`);
  }
}

export function isInvalidTrafficSharesError(error: unknown): error is InvalidTrafficSharesError {
  return error instanceof InvalidTrafficSharesError;
}
