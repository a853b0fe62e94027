import { Client } from 'pg';
import { introspect } from '../introspection';
import type { TableModel } from '../model/schema-model';
import { createCycleDatabase } from '../testing';
import { createTable, CreateTableBody } from './create-table';
import { contextFor } from './test-support/table-model';

/** The parts of a table model that later operations of the same migration rely on. */
function shape(table: TableModel | undefined) {
  return {
    columns: table?.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, identity: c.identity, generated: c.generated !== null, comment: c.comment })),
    primaryKey: table?.primaryKey,
    constraints: table?.constraints.map((c) => ({ name: c.name, type: c.type, columns: c.columns, references: c.references })).sort((a, b) => a.name.localeCompare(b.name)),
    indexes: table?.indexes.map((i) => ({ name: i.name, unique: i.unique, constraint: i.constraint, columns: i.columns })).sort((a, b) => a.name.localeCompare(b.name)),
    comment: table?.comment,
  };
}

/**
 * create_table describes the table it creates without reading the database; the description must
 * match what introspection reads once the statements ran, or later operations of the same
 * migration would plan against a table that does not exist.
 */
describe('create_table model matches the introspected table', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;
  let client: Client;

  beforeAll(async () => {
    db = await createCycleDatabase('op_create_table_model');
    client = new Client({ connectionString: db.url });
    await client.connect();
    await client.query('CREATE TABLE users (id integer PRIMARY KEY)');
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it.each([
    [
      'every column kind',
      {
        name: 'orders',
        comment: 'orders',
        columns: [
          { name: 'id', type: 'bigint', pk: true, generated: { identity: { user_specified_values: 'ALWAYS' } } },
          { name: 'user_id', type: 'int4', nullable: true, references: { name: 'orders_user_fk', table: 'users', column: 'id' } },
          { name: 'code', type: 'varchar(20)', unique: true, comment: 'code' },
          { name: 'price', type: 'numeric(10, 2)', check: { name: 'price_positive', constraint: 'price > 0' } },
          { name: 'total', type: 'numeric', nullable: true, generated: { expression: 'price * 2' } },
          { name: 'at', type: 'timestamptz', default: 'now()' },
          { name: 'tags', type: 'text[]', nullable: true },
          { name: 'flag', type: 'bool', nullable: true },
        ],
        constraints: [
          { name: 'orders_code_price', type: 'unique', columns: ['code', 'price'] },
          { name: 'orders_self', type: 'foreign_key', columns: ['user_id'], references: { table: 'orders', columns: ['id'] } },
        ],
      },
    ],
    ['a composite key from a constraint', { name: 'pairs', columns: [{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }], constraints: [{ name: 'pairs_pk', type: 'primary_key', columns: ['a', 'b'] }] }],
    ['implicit names over 63 bytes', { name: 'l'.repeat(60), columns: [{ name: 'id', type: 'int', pk: true }, { name: 'c'.repeat(60), type: 'int', unique: true }] }],
    ['pk and unique on one column (merged)', { name: 'merged', columns: [{ name: 'a', type: 'int', pk: true, unique: true }] }],
    ['a named unique over the primary key columns (the key takes its name)', { name: 'named', columns: [{ name: 'a', type: 'int', pk: true }], constraints: [{ name: 'named_a_unique', type: 'unique', columns: ['a'] }] }],
    ['a unique constraint with options next to a plain column unique', { name: 'opts', columns: [{ name: 'a', type: 'int', unique: true }], constraints: [{ name: 'opts_a_nnd', type: 'unique', columns: ['a'], nulls_not_distinct: true }] }],
    ['an exclude constraint', { name: 'ex', columns: [{ name: 'r', type: 'int4range' }, { name: 'n', type: 'int' }], constraints: [{ name: 'ex_no_overlap', type: 'exclude', exclude: { index_method: 'gist', elements: 'r WITH &&, int4range(n, n + 1) WITH &&' } }] }],
  ])('%s', async (_what, input) => {
    const op = CreateTableBody.parse(input);
    const before = await introspect(client, 'public');
    const plan = createTable.start(op, contextFor(before.tables));
    for (const action of plan.actions) if (action.kind === 'sql') await client.query(action.sql);
    const live = (await introspect(client, 'public')).tables.find((t) => t.name === op.name);
    expect(shape(plan.model.tables.find((t) => t.name === op.name))).toEqual(shape(live));
  });
});
