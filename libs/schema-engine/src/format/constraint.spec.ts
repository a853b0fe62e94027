import { Constraint, constraintDefinitionSql } from './constraint';

describe('Constraint (create_table table constraints)', () => {
  it.each([
    [{ name: 'pk', type: 'primary_key', columns: ['a', 'b'], index_parameters: { tablespace: 'pg_default', storage_parameters: 'fillfactor=90' } }, 'CONSTRAINT "pk" PRIMARY KEY ("a", "b") WITH (fillfactor=90) USING INDEX TABLESPACE "pg_default"'],
    [{ name: 'u', type: 'unique', columns: ['a'], deferrable: true }, 'CONSTRAINT "u" UNIQUE ("a") DEFERRABLE'],
    [
      { name: 'fk', type: 'foreign_key', columns: ['a', 'b'], references: { table: 'parent', columns: ['x', 'y'], on_delete: 'SET NULL', on_delete_set_columns: ['b'], on_update: 'RESTRICT', match_type: 'FULL' }, initially_deferred: true },
      'CONSTRAINT "fk" FOREIGN KEY ("a", "b") REFERENCES "app"."parent" ("x", "y") MATCH FULL ON DELETE SET NULL ("b") ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED',
    ],
    [{ name: 'c', type: 'check', check: 'a > b', no_inherit: true }, 'CONSTRAINT "c" CHECK (a > b) NO INHERIT'],
    [{ name: 'x', type: 'exclude', exclude: { elements: 'a WITH =' } }, 'CONSTRAINT "x" EXCLUDE (a WITH =)'],
  ])('renders %j', (input, sql) => {
    expect(constraintDefinitionSql(Constraint.parse(input), 'app')).toBe(sql);
  });

  it.each([
    [{ name: 'c', type: 'check' }, 'check'],
    [{ name: 'c', type: 'check', check: 'a > 0', columns: ['a'] }, 'columns'],
    [{ name: 'c', type: 'check', check: 'a > 0', index_parameters: {} }, 'index_parameters'],
    [{ name: 'u', type: 'unique' }, 'columns'],
    [{ name: 'u', type: 'unique', columns: [] }, 'columns'],
    [{ name: 'u', type: 'primary_key', columns: ['a'], nulls_not_distinct: true }, 'nulls_not_distinct'],
    [{ name: 'f', type: 'foreign_key', columns: ['a'] }, 'references'],
    [{ name: 'f', type: 'foreign_key', columns: ['a'], references: { table: 't', columns: ['b'], on_delete_set_columns: ['a'] } }, 'references'],
    [{ name: 'f', type: 'unique', columns: ['a'], references: { table: 't', columns: ['b'] } }, 'references'],
    [{ name: 'x', type: 'exclude', columns: ['a'], exclude: { elements: 'a WITH =' } }, 'columns'],
    [{ name: 'x', type: 'exclude', exclude: { elements: 'a WITH =); DROP TABLE t; --' } }, 'exclude'],
    [{ name: 'x', type: 'trigger', columns: ['a'] }, 'type'],
  ])('refuses %j at %s', (input, field) => {
    const result = Constraint.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => String(issue.path[0]))).toContain(field);
  });
});
