import { ApiContractError } from './api-contract.error';

/**
 * Raised for a Swagger 2.0 document or an OpenAPI version other than 3.0.x and 3.1.x: the diff
 * rules and the response validator read 3.x structures (`requestBody`, `content`), so a 2.0
 * document would silently compare as empty.
 */
export class UnsupportedOpenApiVersionError extends ApiContractError {
  readonly code = 'UNSUPPORTED_OPENAPI_VERSION';

  constructor(
    readonly label: string,
    readonly version: string,
  ) {
    super(
      `${label} is ${version}; only OpenAPI 3.0.x and 3.1.x are supported: convert it ` +
        '(for Swagger 2.0, e.g. with swagger2openapi) and plan again',
    );
  }
}

export function isUnsupportedOpenApiVersionError(error: unknown): error is UnsupportedOpenApiVersionError {
  return error instanceof UnsupportedOpenApiVersionError;
}
