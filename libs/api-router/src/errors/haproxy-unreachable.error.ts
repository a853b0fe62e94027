import { ApiRouterError } from './api-router.error';

/** Raised when the socket exists but HAProxy does not answer on it (stale socket file, refused, timed out). */
export class HaproxyUnreachableError extends ApiRouterError {
  readonly code = 'HAPROXY_UNREACHABLE';

  constructor(
    readonly socket: string,
    readonly command: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`HAProxy did not answer \`${command}\` on ${socket} (${problem}): check that HAProxy is running and owns this socket`, options);
  }
}

export function isHaproxyUnreachableError(error: unknown): error is HaproxyUnreachableError {
  return error instanceof HaproxyUnreachableError;
}
