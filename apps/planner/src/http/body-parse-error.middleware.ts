import type { HttpResponse } from './http-types';

interface BodyParserError {
  status?: number;
  type?: string;
  message?: string;
}

/**
 * Body-parser errors happen in Express middleware, before any Nest route or filter runs: this
 * error middleware gives them the same `{code, message}` shape as every other planner error.
 */
export function bodyParseErrorMiddleware(error: unknown, _request: unknown, response: HttpResponse, next: (error?: unknown) => void): void {
  const failure = (error ?? {}) as BodyParserError;
  if (!failure.status || failure.status >= 500) return next(error);
  const [code, message] = describe(failure);
  response.status(failure.status).json({ code, message });
}

function describe(failure: BodyParserError): [string, string] {
  switch (failure.type) {
    case 'entity.parse.failed':
      return ['INVALID_JSON', `the body is not valid JSON: ${failure.message ?? 'parse error'}`];
    case 'entity.too.large':
      return ['BODY_TOO_LARGE', 'the body is too large (at most 2 MB)'];
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return ['UNSUPPORTED_ENCODING', 'send the body as UTF-8, uncompressed or gzip'];
    default:
      return ['INVALID_BODY', 'the body could not be read: send JSON, or YAML with Content-Type: application/yaml'];
  }
}
