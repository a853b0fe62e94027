/** Base of every error this library throws: a stable `code` callers can branch on. */
export abstract class DataVerificationError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isDataVerificationError(error: unknown): error is DataVerificationError {
  return error instanceof DataVerificationError;
}
