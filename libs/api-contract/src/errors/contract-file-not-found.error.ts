import { ApiContractError } from './api-contract.error';

/** Raised when a `file:` contract source names a file that cannot be read. */
export class ContractFileNotFoundError extends ApiContractError {
  readonly code = 'CONTRACT_FILE_NOT_FOUND';

  constructor(
    readonly label: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`${label}: no OpenAPI document at ${path}; check the \`openapi: file:...\` path (relative to the spec file)`, options);
  }
}

export function isContractFileNotFoundError(error: unknown): error is ContractFileNotFoundError {
  return error instanceof ContractFileNotFoundError;
}
