/** Base of every error this library throws: a stable `code` callers can branch on. */
export abstract class ApiContractError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isApiContractError(error: unknown): error is ApiContractError {
  return error instanceof ApiContractError;
}
