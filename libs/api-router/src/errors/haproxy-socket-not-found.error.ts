import { ApiRouterError } from './api-router.error';

/** Raised when nothing exists at the admin socket path: HAProxy is not running or uses another path. */
export class HaproxySocketNotFoundError extends ApiRouterError {
  readonly code = 'HAPROXY_SOCKET_NOT_FOUND';

  constructor(
    readonly socket: string,
    options?: { cause?: unknown },
  ) {
    super(
      `no HAProxy admin socket at ${socket}: start HAProxy, or point router.socket at the path of its ` +
        '`stats socket <path> level admin` line in the global section',
      options,
    );
  }
}

export function isHaproxySocketNotFoundError(error: unknown): error is HaproxySocketNotFoundError {
  return error instanceof HaproxySocketNotFoundError;
}
