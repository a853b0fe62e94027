import { ApiRouterError } from './api-router.error';

/** Raised when the running HAProxy has no backend (proxy) of the configured name. */
export class HaproxyBackendNotFoundError extends ApiRouterError {
  readonly code = 'HAPROXY_BACKEND_NOT_FOUND';

  constructor(
    readonly socket: string,
    readonly backend: string,
  ) {
    super(`HAProxy on ${socket} has no backend "${backend}": set router.backend to the name of the backend that serves this API`);
  }
}

export function isHaproxyBackendNotFoundError(error: unknown): error is HaproxyBackendNotFoundError {
  return error instanceof HaproxyBackendNotFoundError;
}
