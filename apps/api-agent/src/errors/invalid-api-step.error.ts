import { ApiAgentError } from './api-agent.error';

/**
 * The stored spec's step is no usable `api` step (no `api` body, or one the contract refuses):
 * raised before any router is touched, so nothing is shifted.
 */
export class InvalidApiStepError extends ApiAgentError {
  readonly code = 'INVALID_API_STEP';

  constructor(
    readonly stepId: string,
    readonly problems: string[],
  ) {
    super(`step "${stepId}" is not a runnable api step: ${problems.join('; ')}; fix the migration spec and plan it again`);
  }
}

export function isInvalidApiStepError(error: unknown): error is InvalidApiStepError {
  return error instanceof InvalidApiStepError;
}
