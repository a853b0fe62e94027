import { ApiContractError } from './api-contract.error';

/**
 * Raised when a document cannot be read as OpenAPI 3.0 or 3.1: unparsable YAML or JSON, a
 * schema violation, a `$ref` that points nowhere. A contract gate that guessed past such a
 * document would report "no changes" for a document nobody can serve.
 */
export class InvalidOpenApiDocumentError extends ApiContractError {
  readonly code = 'INVALID_OPENAPI';

  constructor(
    readonly label: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`${label} is not a valid OpenAPI document: ${problems.join('; ')}; fix the document and plan again`, options);
  }
}

export function isInvalidOpenApiDocumentError(error: unknown): error is InvalidOpenApiDocumentError {
  return error instanceof InvalidOpenApiDocumentError;
}
