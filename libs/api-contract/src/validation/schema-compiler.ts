import Ajv, { type Options, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Segment } from '../document/json-node';
import { toUriFragment } from '../document/json-pointer';
import type { OpenApiContract } from '../document/openapi-contract';
import { toJsonSchemaDraft07 } from './openapi-30-schema';

const DOCUMENT_ID = 'openapi.json';

const AJV_OPTIONS: Options = {
  allErrors: true,
  // OpenAPI adds keywords of its own (`discriminator`, `example`, `xml`); they do not constrain values.
  strict: false,
  // Swagger Parser validated the document already; the root of an OpenAPI document is not a schema.
  validateSchema: false,
  // Unknown formats are not checked rather than logged on every compile.
  logger: false,
};

export type SchemaValidator = (schemaPointer: readonly Segment[]) => ValidateFunction;

/**
 * Validators for schemas of one contract, each compiled once. The whole document is registered with
 * Ajv, so `$ref`s (recursive ones included) resolve as written instead of through a dereferenced
 * copy, which Ajv could not compile if it is circular.
 */
export function createSchemaValidator(contract: OpenApiContract): SchemaValidator {
  const ajv = contract.version === '3.1' ? new Ajv2020(AJV_OPTIONS) : new Ajv(AJV_OPTIONS);
  addFormats(ajv);
  ajv.addSchema(contract.version === '3.0' ? toJsonSchemaDraft07(contract.bundled) : structuredClone(contract.bundled), DOCUMENT_ID);
  const compiled = new Map<string, ValidateFunction>();
  return (schemaPointer) => {
    const ref = DOCUMENT_ID + toUriFragment(schemaPointer);
    let validate = compiled.get(ref);
    if (!validate) {
      validate = ajv.compile({ $ref: ref });
      compiled.set(ref, validate);
    }
    return validate;
  };
}
