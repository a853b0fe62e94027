/** Base of every error the bus raises: a stable `code` callers and dead letters can rely on. */
export abstract class MessagingError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isMessagingError(error: unknown): error is MessagingError {
  return error instanceof MessagingError;
}
