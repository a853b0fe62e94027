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
    expect(Object.keys(step.properties)).toEqual(['id', 'dependsOn', 'schema', 'sql', 'verify', 'approval', 'analysis', 'api', 'backup']);
    expect(step.oneOf).toEqual([{ required: ['schema'] }, { required: ['sql'] }, { required: ['verify'] }, { required: ['approval'] }, { required: ['analysis'] }, { required: ['api'] }, { required: ['backup'] }]);
    expect(step.properties.backup.required).toEqual(['tables']);
    expect(step.properties.backup.properties.tables.items.pattern).toBeDefined();
    expect(step.properties.analysis.required).toEqual(['duration']);
    expect(step.properties.sql.oneOf).toHaveLength(2);
    const operation = step.properties.schema.properties.operations.items;
    const kinds = operation.oneOf.map((entry: Json) => Object.keys(entry.properties)[0]);
    expect(kinds).toEqual(expect.arrayContaining(['add_column', 'alter_column', 'create_table', 'drop_table', 'sql']));
    const alterColumn = operation.oneOf.find((entry: Json) => entry.properties.alter_column).properties.alter_column;
    expect(alterColumn.required).toEqual(['table', 'column']);
    expect(alterColumn.additionalProperties).toBe(false);
  });

  it('describes the monitor section: defaults, one source per metric, the builtins', () => {
    const monitor = (migrationSpecJsonSchema() as Json).properties.monitor;
    expect(monitor.additionalProperties).toBe(false);
    expect(monitor.required).toEqual(['metrics']);
    expect([monitor.properties.baseline.default, monitor.properties.interval.default, monitor.properties.failureLimit.default]).toEqual(['30s', '5s', 2]);
    const metric = monitor.properties.metrics.items;
    expect(metric.oneOf).toEqual([{ required: ['probe'] }, { required: ['prometheus'] }, { required: ['postgres'] }]);
    expect(metric.properties.probe.properties.every.default).toBe('1s');
    expect(metric.properties.postgres.enum).toEqual(['rollback_ratio', 'deadlocks', 'lock_waits', 'longest_lock_wait', 'active_connections', 'commit_rate', 'statement_time']);
    expect(new RegExp(metric.properties.probe.properties.every.pattern).test('250ms')).toBe(true);
  });
});
