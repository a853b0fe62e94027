import { MessagingError } from './messaging.error';

/**
 * A handler failure that reached the transport without its original error — what Nest's default RPC
 * exception filter leaves of an error thrown by a plain `@EventPattern` method. `@CommandHandler` /
 * `@EventHandler` keep the original error instead (see handlers/bus-handler.decorators.ts).
 */
export class HandlerFailedError extends MessagingError {
  readonly code = 'handler_failed';
}

/** The error as the handler threw it, whatever shape Nest's exception layer gave it. */
export function handlerFailure(error: unknown): Error {
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    return new HandlerFailedError(String((error as { message: unknown }).message));
  }
  return new HandlerFailedError(String(error));
}
