import { ApiRouterError } from './api-router.error';

/** Raised when HAProxy does not know a runtime API command: an old HAProxy, or the master CLI socket. */
export class HaproxyUnknownCommandError extends ApiRouterError {
  readonly code = 'HAPROXY_UNKNOWN_COMMAND';

  constructor(
    readonly socket: string,
    readonly command: string,
  ) {
    super(
      `HAProxy on ${socket} does not know \`${command}\`: use HAProxy 2.0 or later and a worker's ` +
        '`stats socket` (not the master CLI)',
    );
  }
}

export function isHaproxyUnknownCommandError(error: unknown): error is HaproxyUnknownCommandError {
  return error instanceof HaproxyUnknownCommandError;
}
