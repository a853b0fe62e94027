import { InvalidMigrationError, MigrationFileError } from '../errors';
import { loadSqlParser } from './sql-parser';
import { parseMigration } from './parse-migration';

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidMigrationError) return error.issues;
    throw error;
  }
  throw new Error('expected InvalidMigrationError');
}

const table = { name: 'items', columns: [{ name: 'id', type: 'integer', pk: true }] };

describe('parseMigration', () => {
  beforeAll(() => loadSqlParser());

  it('parses YAML: name from the caller, operations with their definitions', () => {
    const yaml = `version_schema: v2\noperations:\n  - create_table:\n      name: items\n      columns:\n        - {name: id, type: integer, pk: true}\n`;
    const migration = parseMigration(yaml, '01_items');
    expect(migration.name).toBe('01_items');
    expect(migration.versionSchema).toBe('v2');
    expect(migration.operations.map((operation) => operation.kind)).toEqual(['create_table']);
    expect(migration.operations[0].definition.kind).toBe('create_table');
  });

  it('parses JSON', () => {
    const migration = parseMigration(JSON.stringify({ operations: [{ create_table: table }] }), 'm', 'json');
    expect(migration.operations).toHaveLength(1);
    expect(migration.versionSchema).toBeUndefined();
  });

  it('reports an unknown field with the operation index and the field path', () => {
    const issues = issuesOf(() =>
      parseMigration({ operations: [{ create_table: table }, { create_table: { ...table, name: 'b', colour: 'red' } }] }, 'm'),
    );
    expect(issues).toEqual([{ path: 'operations[1].create_table.colour', code: 'unknown_field', message: 'unknown field "colour"' }]);
  });

  it('reports a nested unknown field, a wrong type and a missing field at once', () => {
    const issues = issuesOf(() =>
      parseMigration(
        {
          operations: [
            { create_table: { name: 'a', columns: [{ name: 'id', type: 'integer', primary: true }] } },
            { create_table: { name: 42, columns: [{ name: 'id', type: 'integer' }] } },
            { create_table: { columns: [{ name: 'id', type: 'integer' }] } },
          ],
        },
        'm',
      ),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'operations[0].create_table.columns[0].primary', code: 'unknown_field' }),
        expect.objectContaining({ path: 'operations[1].create_table.name', code: 'invalid_value' }),
        expect.objectContaining({ path: 'operations[2].create_table.name', code: 'field_required' }),
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('reports unknown operations, operations with two keys and unknown top-level fields', () => {
    const issues = issuesOf(() =>
      parseMigration({ operations: [{ make_table: {} }, { create_table: table, drop_table: { name: 'x' } }], owner: 'me' }, 'm'),
    );
    expect(issues.map((issue) => [issue.path, issue.code])).toEqual([
      ['owner', 'unknown_field'],
      ['operations[0].make_table', 'unknown_operation'],
      ['operations[1]', 'invalid_operation'],
    ]);
  });

  it('requires operations, and at least one', () => {
    expect(issuesOf(() => parseMigration({}, 'm')).map((issue) => issue.code)).toEqual(['field_required']);
    expect(issuesOf(() => parseMigration({ operations: [] }, 'm')).map((issue) => issue.path)).toEqual(['operations']);
  });

  it('refuses a version schema longer than 63 bytes', () => {
    const issues = issuesOf(() => parseMigration({ version_schema: 'é'.repeat(32), operations: [{ create_table: table }] }, 'm'));
    expect(issues).toEqual([expect.objectContaining({ path: 'version_schema', code: 'identifier_too_long' })]);
  });

  it('turns unparsable text into a MigrationFileError', () => {
    expect(() => parseMigration('operations: [', 'm')).toThrow(MigrationFileError);
    expect(() => parseMigration('{"operations": ', 'm', 'json')).toThrow(MigrationFileError);
  });
});
