import { ApiRouterError } from './api-router.error';

/**
 * Raised after HAProxy applied new weights but the server-state file could not be written: the
 * traffic moved, yet a reload would bring back the weights of the last saved state.
 */
export class ServerStateNotSavedError extends ApiRouterError {
  readonly code = 'HAPROXY_SERVER_STATE_NOT_SAVED';

  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(
      `weights are applied but the server-state file ${path} could not be written, so an HAProxy reload would undo them: ` +
        'make its directory writable for this process, then set the weights again',
      options,
    );
  }
}

export function isServerStateNotSavedError(error: unknown): error is ServerStateNotSavedError {
  return error instanceof ServerStateNotSavedError;
}
