import SwaggerParser from '@apidevtools/swagger-parser';
import { InvalidOpenApiDocumentError, UnsupportedOpenApiVersionError } from '../errors';
import type { JsonObject } from './json-node';
import type { OpenApiContract, OpenApiVersion } from './openapi-contract';
import { readContractSource, type ContractSourceOptions } from './read-contract-source';

const MAX_PROBLEMS = 10;

// A plan must not depend on the network: `$ref`s to http(s) URLs are refused rather than fetched.
const PARSER_OPTIONS = { resolve: { http: false as const } };

/**
 * Reads an OpenAPI 3.0 or 3.1 document given inline or as `file:<path>` (YAML or JSON), validates
 * it, and returns it with a bundled and a dereferenced copy. The caller's object is never touched:
 * Swagger Parser dereferences in place, so it only ever sees copies.
 */
export async function loadOpenApiDocument(source: string | object, options: ContractSourceOptions): Promise<OpenApiContract> {
  const { document, location } = await readContractSource(source, options);
  const version = openApiVersionOf(document, options.label);
  try {
    const dereferenced = (await new SwaggerParser().validate(location, structuredClone(document) as never, PARSER_OPTIONS)) as unknown;
    const bundled = (await new SwaggerParser().bundle(location, structuredClone(document) as never, PARSER_OPTIONS)) as unknown;
    return {
      label: options.label,
      version,
      document,
      bundled: bundled as JsonObject,
      dereferenced: dereferenced as JsonObject,
    };
  } catch (error) {
    throw new InvalidOpenApiDocumentError(options.label, problemsOf(error), { cause: error });
  }
}

function openApiVersionOf(document: JsonObject, label: string): OpenApiVersion {
  if ('swagger' in document) throw new UnsupportedOpenApiVersionError(label, `Swagger ${String(document.swagger)}`);
  const declared = document.openapi;
  if (declared === undefined) throw new InvalidOpenApiDocumentError(label, ['#/openapi is missing: say which OpenAPI version this is (3.0.x or 3.1.x)']);
  if (typeof declared !== 'string') {
    throw new InvalidOpenApiDocumentError(label, [`#/openapi must be a string such as "3.0.3", not ${JSON.stringify(declared)}`]);
  }
  if (/^3\.0\.\d+$/.test(declared)) return '3.0';
  if (/^3\.1\.\d+$/.test(declared)) return '3.1';
  throw new UnsupportedOpenApiVersionError(label, `OpenAPI ${declared}`);
}

// Swagger Parser reports a schema violation as one message with a line per problem ("#/info must
// have required property 'version'"); keep the lines, each already naming where it is.
function problemsOf(error: unknown): string[] {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^Swagger schema validation failed\.?$/.test(line));
  // Most objects may also be a Reference; the failed "or a $ref" alternative only repeats the problem.
  const specific = lines.filter((line) => !/must have required property '\$ref'$|must match exactly one schema in oneOf$/.test(line));
  const problems = specific.length > 0 ? specific : lines.length > 0 ? lines : [message];
  return problems.length <= MAX_PROBLEMS ? problems : [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`];
}
