import { MigrationSpec } from '@bascule/contracts';
import { operationRegistry } from '@bascule/schema-engine';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/**
 * One entry per pgroll operation the schema engine knows, `{<kind>: <its body schema>}`, so an
 * editor completes and checks operations too. The engine's zod schemas are the source, as for
 * the outer shape; their SQL-level checks (expressions parse, names are safe) stay in the engine.
 */
function pgrollOperationSchema(): JsonSchema {
  const definitions = [...operationRegistry.values()].sort((a, b) => a.kind.localeCompare(b.kind));
  return {
    oneOf: definitions.map(({ kind, schema }) => {
      const { $schema: _dialect, ...body } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
      return { type: 'object', properties: { [kind]: body }, required: [kind], additionalProperties: false };
    }),
  };
}

function child(schema: JsonSchema, ...path: string[]): JsonSchema {
  return path.reduce<JsonSchema>((node, key) => node[key] as JsonSchema, schema);
}

/**
 * The published JSON Schema of the spec (`GET /schema/migration.json`, docs/migration-spec.schema.json),
 * generated from the contract so the two cannot disagree. `io: 'input'` describes what a user
 * writes: fields with defaults are optional. Rules JSON Schema cannot say (unique ids, dependsOn,
 * cycles, file refs) are checked by `parseMigrationSpec` only.
 */
export function migrationSpecJsonSchema(): JsonSchema {
  const schema = z.toJSONSchema(MigrationSpec, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
  const step = child(schema, 'properties', 'phases', 'items', 'properties', 'steps', 'items');
  const operations = child(step, 'properties', 'schema', 'properties', 'operations');
  operations.items = pgrollOperationSchema();
  return schema;
}
