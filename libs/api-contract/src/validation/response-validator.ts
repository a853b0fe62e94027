import type { ErrorObject } from 'ajv';
import { childOf } from '../document/located';
import type { OpenApiContract } from '../document/openapi-contract';
import { createOperationMatcher } from './operation-matcher';
import { documentedMediaTypes, isJsonMediaType, selectMediaType, selectResponse } from './response-selection';
import { createSchemaValidator } from './schema-compiler';

/** One response observed from the new version, with the request that produced it. */
export interface SampledResponse {
  method: string;
  /** The concrete request path, query included or not: `/v1/orders/42?expand=items`. */
  path: string;
  status: number;
  /** The `Content-Type` header, parameters included or not. */
  contentType?: string;
  /** The decoded JSON body (`JSON.parse` of the raw text); `undefined` for no body. */
  body?: unknown;
}

export interface ResponseVerdict {
  valid: boolean;
  /** `GET /orders/{id}` once the request matched a documented operation. */
  operation?: string;
  errors: string[];
}

export interface ResponseValidator {
  validate(response: SampledResponse): ResponseVerdict;
}

export function createResponseValidator(contract: OpenApiContract): ResponseValidator {
  const document = contract.bundled;
  const matchOperation = createOperationMatcher(document);
  const schemaValidator = createSchemaValidator(contract);
  const verdict = (operation: string | undefined, errors: string[]): ResponseVerdict => ({
    valid: errors.length === 0,
    ...(operation === undefined ? {} : { operation }),
    errors,
  });

  return {
    validate(response) {
      const match = matchOperation(response.method, response.path);
      if ('problem' in match) return verdict(undefined, [match.problem]);
      const operation = match.operation.name;
      const selected = selectResponse(document, match.operation, response.status);
      if (!selected) return verdict(operation, [`status ${response.status} is not documented for ${operation}`]);
      const documented = documentedMediaTypes(selected.response);
      const hasBody = response.body !== undefined && response.body !== '';
      if (documented.length === 0) {
        return verdict(operation, hasBody ? [`the ${selected.key} response of ${operation} documents no body, but one was returned`] : []);
      }
      if (response.contentType === undefined) {
        return verdict(operation, hasBody ? [`the response has a body but no content type; ${operation} documents ${documented.join(', ')}`] : []);
      }
      const mediaType = selectMediaType(selected.response, response.contentType);
      if (!mediaType) {
        return verdict(operation, [`content type ${response.contentType} is not documented for the ${selected.key} response of ${operation} (documented: ${documented.join(', ')})`]);
      }
      const schema = childOf(mediaType, 'schema');
      // Only JSON bodies are validated: a schema says nothing checkable about bytes of another format.
      if (!schema || !isJsonMediaType(response.contentType)) return verdict(operation, []);
      const validate = schemaValidator(schema.pointer);
      return verdict(operation, validate(response.body) ? [] : (validate.errors ?? []).map(describeError));
    },
  };
}

function describeError(error: ErrorObject): string {
  const where = `body${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${where} must not have the property "${String(params.additionalProperty)}"`;
  if (error.keyword === 'enum') return `${where} ${error.message} (${JSON.stringify(params.allowedValues)})`;
  return `${where} ${error.message}`;
}
