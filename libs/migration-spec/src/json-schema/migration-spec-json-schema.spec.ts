import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationSpecJsonSchema } from './migration-spec-json-schema';

/** Committed next to the docs; `npm run spec:schema` regenerates it. */
const PUBLISHED = join(__dirname, '..', '..', '..', '..', 'docs', 'migration-spec.schema.json');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('migrationSpecJsonSchema', () => {
  const generated = `${JSON.stringify(migrationSpecJsonSchema(), null, 2)}\n`;
  if (process.env.UPDATE_SPEC_SCHEMA === '1') writeFileSync(PUBLISHED, generated);

  it('equals the committed docs/migration-spec.schema.json (run `npm run spec:schema` after changing the contract)', () => {
    expect(readFileSync(PUBLISHED, 'utf8')).toBe(generated);
  });

  it('describes the outer shape: strict, required fields, defaults, one kind per step', () => {
    const schema = migrationSpecJsonSchema() as Json;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['name', 'target', 'phases']);
    expect(schema.properties.target.pattern).toBe('^[a-z][a-z0-9_]*$');
    expect(schema.properties.rollback.properties.window.default).toBe('72h');
    expect(schema.properties.rollback.properties.automatic.default).toBe(true);
    const step = schema.properties.phases.items.properties.steps.items;
    expect(step.additionalProperties).toBe(false);
    expect(Object.keys(step.properties)).toEqual(['id', 'dependsOn', 'schema', 'sql', 'verify', 'approval']);
    expect(step.oneOf).toEqual([{ required: ['schema'] }, { required: ['sql'] }, { required: ['verify'] }, { required: ['approval'] }]);
    expect(step.properties.sql.oneOf).toHaveLength(2);
    const operation = step.properties.schema.properties.operations.items;
    const kinds = operation.oneOf.map((entry: Json) => Object.keys(entry.properties)[0]);
    expect(kinds).toEqual(expect.arrayContaining(['add_column', 'alter_column', 'create_table', 'drop_table', 'sql']));
    const alterColumn = operation.oneOf.find((entry: Json) => entry.properties.alter_column).properties.alter_column;
    expect(alterColumn.required).toEqual(['table', 'column']);
    expect(alterColumn.additionalProperties).toBe(false);
  });
});
