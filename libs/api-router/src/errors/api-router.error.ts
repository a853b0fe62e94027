/** Base of every error this library throws: a stable `code` callers can branch on. */
export abstract class ApiRouterError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isApiRouterError(error: unknown): error is ApiRouterError {
  return error instanceof ApiRouterError;
}
