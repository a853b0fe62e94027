import { ApiRouterError } from './api-router.error';

/**
 * Raised when a version has no server of its name in the backend: the adapter's convention is that
 * server names are version names, so the HAProxy config and the migration spec disagree.
 */
export class HaproxyServerNotFoundError extends ApiRouterError {
  readonly code = 'HAPROXY_SERVER_NOT_FOUND';

  constructor(
    readonly socket: string,
    readonly backend: string,
    readonly server: string,
  ) {
    super(
      `HAProxy backend "${backend}" (socket ${socket}) has no server "${server}": name each server of the backend ` +
        `after its version, e.g. \`server ${server} <address>:<port> weight 0\``,
    );
  }
}

export function isHaproxyServerNotFoundError(error: unknown): error is HaproxyServerNotFoundError {
  return error instanceof HaproxyServerNotFoundError;
}
