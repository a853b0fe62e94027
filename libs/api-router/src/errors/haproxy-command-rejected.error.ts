import { ApiRouterError } from './api-router.error';

/** Raised when HAProxy answers a runtime API command with any other error text (kept in `reply`). */
export class HaproxyCommandRejectedError extends ApiRouterError {
  readonly code = 'HAPROXY_COMMAND_REJECTED';

  constructor(
    readonly socket: string,
    readonly command: string,
    readonly reply: string,
  ) {
    super(`HAProxy on ${socket} rejected \`${command}\`: ${reply}`);
  }
}

export function isHaproxyCommandRejectedError(error: unknown): error is HaproxyCommandRejectedError {
  return error instanceof HaproxyCommandRejectedError;
}
