import { isJsonObject, type JsonObject } from '../document/json-node';

// Values, not schemas: an example that happens to hold `nullable: true` must stay as written.
const VALUE_KEYWORDS = new Set(['example', 'examples', 'default', 'enum', 'const']);

/**
 * A copy of an OpenAPI 3.0 document whose schemas read as JSON Schema draft-07, the dialect Ajv
 * validates by default: `nullable: true` becomes a `null` type (and a `null` enum member), and
 * draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` become numeric bounds. Without this a
 * nullable field holding `null` would be reported as a violation.
 */
export function toJsonSchemaDraft07(document: JsonObject): JsonObject {
  return convert(document) as JsonObject;
}

function convert(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(convert);
  if (!isJsonObject(value)) return value;
  const converted: JsonObject = Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, VALUE_KEYWORDS.has(key) ? structuredClone(inner) : convert(inner)]),
  );
  exclusiveBound(converted, 'exclusiveMinimum', 'minimum');
  exclusiveBound(converted, 'exclusiveMaximum', 'maximum');
  return typeof converted.nullable === 'boolean' ? withoutNullable(converted) : converted;
}

function exclusiveBound(schema: JsonObject, exclusive: string, bound: string): void {
  if (typeof schema[exclusive] !== 'boolean') return;
  if (schema[exclusive] === true && typeof schema[bound] === 'number') {
    schema[exclusive] = schema[bound];
    delete schema[bound];
  } else {
    delete schema[exclusive];
  }
}

function withoutNullable(schema: JsonObject): JsonObject {
  const { nullable, ...rest } = schema;
  if (nullable !== true) return rest;
  if (typeof rest.type === 'string') {
    const enumWithNull = Array.isArray(rest.enum) && !rest.enum.includes(null) ? { enum: [...rest.enum, null] } : {};
    return { ...rest, type: [rest.type, 'null'], ...enumWithNull };
  }
  // `nullable` beside `allOf`/`$ref` and no `type`: null, or whatever the rest allows.
  return { anyOf: [{ type: 'null' }, rest] };
}
