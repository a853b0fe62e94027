import { ApiAgentError } from './api-agent.error';

/**
 * The router could not take its address (the embedded router's `listen`, or the HAProxy log
 * receiver's UDP port): taken by another process, not an address of this host, or not permitted.
 */
export class RouterNotStartedError extends ApiAgentError {
  readonly code = 'ROUTER_NOT_STARTED';

  constructor(
    readonly address: string,
    readonly what: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`could not start ${what} on ${address} (${reason}): free that address or choose another one`, options);
  }
}

export function isRouterNotStartedError(error: unknown): error is RouterNotStartedError {
  return error instanceof RouterNotStartedError;
}
