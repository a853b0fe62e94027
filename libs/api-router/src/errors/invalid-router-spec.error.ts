import { ApiRouterError } from './api-router.error';

/** Raised before any router is touched when the router spec or the version list cannot be used. */
export class InvalidRouterSpecError extends ApiRouterError {
  readonly code = 'INVALID_ROUTER_SPEC';

  constructor(
    readonly field: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`router spec: ${field} ${problem}`, options);
  }
}

export function isInvalidRouterSpecError(error: unknown): error is InvalidRouterSpecError {
  return error instanceof InvalidRouterSpecError;
}
