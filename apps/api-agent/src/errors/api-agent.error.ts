/** Base of the errors the api-agent itself raises: a stable `code` recorded in `ApiStepFailed`. */
export abstract class ApiAgentError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isApiAgentError(error: unknown): error is ApiAgentError {
  return error instanceof ApiAgentError;
}
