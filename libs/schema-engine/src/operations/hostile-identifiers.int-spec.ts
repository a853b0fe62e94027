import { applyMigration, createCycleDatabase, migrationOf, schemaDump, sqlOn } from '../testing';

const HOSTILE = '"; DROP TABLE victims; --';
const QUOTED = 'we"ird';
const LONG = 'x'.repeat(64);

/**
 * Hostile or unusable names in any field of the simple operations are refused when the file is
 * parsed, before the engine touches the database: the schema dump and the data stay as they were.
 */
describe('hostile identifiers in the simple operations', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_hostile');
    await applyMigration(
      db.url,
      migrationOf('00_victims', [
        { create_table: { name: 'victims', columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'name', type: 'text', check: { name: 'name_check', constraint: "name <> ''" } }] } },
        { create_index: { table: 'victims', name: 'victims_name_idx', columns: ['name'] } },
      ]),
    );
    await sqlOn(db.url, `INSERT INTO victims VALUES (1, 'still here')`);
  });
  afterAll(() => db.drop());

  const cases: Array<[string, Record<string, unknown>, string]> = [];
  for (const [label, name] of [['hostile', HOSTILE], ['quoted', QUOTED], ['too long', LONG]] as const) {
    cases.push(
      [`create_table.name (${label})`, { create_table: { name, columns: [{ name: 'a', type: 'int' }] } }, 'operations[0].create_table.name'],
      [`create_table column name (${label})`, { create_table: { name: 't', columns: [{ name, type: 'int' }] } }, 'operations[0].create_table.columns[0].name'],
      [`create_table references.table (${label})`, { create_table: { name: 't', columns: [{ name: 'a', type: 'int', references: { name: 'f', table: name, column: 'id' } }] } }, 'operations[0].create_table.columns[0].references.table'],
      [`create_table constraint name (${label})`, { create_table: { name: 't', columns: [{ name: 'a', type: 'int' }], constraints: [{ name, type: 'unique', columns: ['a'] }] } }, 'operations[0].create_table.constraints[0].name'],
      [`rename_column.to (${label})`, { rename_column: { table: 'victims', from: 'name', to: name } }, 'operations[0].rename_column.to'],
      [`rename_table.to (${label})`, { rename_table: { from: 'victims', to: name } }, 'operations[0].rename_table.to'],
      [`drop_table.name (${label})`, { drop_table: { name } }, 'operations[0].drop_table.name'],
      [`create_index.name (${label})`, { create_index: { table: 'victims', name, columns: ['name'] } }, 'operations[0].create_index.name'],
      [`create_index column (${label})`, { create_index: { table: 'victims', name: 'i', columns: [name] } }, 'operations[0].create_index.columns'],
      [`drop_index.name (${label})`, { drop_index: { name } }, 'operations[0].drop_index.name'],
      [`rename_constraint.to (${label})`, { rename_constraint: { table: 'victims', from: 'name_check', to: name } }, 'operations[0].rename_constraint.to'],
      [`set_replica_identity index (${label})`, { set_replica_identity: { table: 'victims', identity: { type: 'index', index: name } } }, 'operations[0].set_replica_identity.identity'],
    );
  }
  cases.push(
    ['a type smuggling a statement', { create_table: { name: 't', columns: [{ name: 'a', type: 'int); DROP TABLE victims; --' }] } }, 'operations[0].create_table.columns[0].type'],
    ['a predicate smuggling a statement', { create_index: { table: 'victims', name: 'i', columns: ['name'], predicate: "true); DROP TABLE victims; --" } }, 'operations[0].create_index.predicate'],
    ['storage parameters smuggling a statement', { create_index: { table: 'victims', name: 'i', columns: ['name'], storage_parameters: 'fillfactor=70); DROP TABLE victims; --' } }, 'operations[0].create_index.storage_parameters'],
    ['a collation smuggling a statement', { create_index: { table: 'victims', name: 'i', columns: [{ column: 'name', collate: 'C"; DROP TABLE victims; --' }] } }, 'operations[0].create_index.columns'],
  );

  it.each(cases)('refuses %s before changing anything', async (_what, operation, path) => {
    const before = await schemaDump(db.url, 'public');
    expect(() => migrationOf('01_hostile', [operation])).toThrow(
      expect.objectContaining({ code: 'INVALID_MIGRATION', issues: [expect.objectContaining({ path: expect.stringContaining(path) })] }),
    );
    expect(await schemaDump(db.url, 'public')).toBe(before);
    expect(await sqlOn(db.url, 'SELECT name FROM victims')).toEqual([{ name: 'still here' }]);
  });
});
