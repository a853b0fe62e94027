import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle, schemaDump, sqlOn, testEngine } from '../testing';

const ORDERS = {
  create_table: {
    name: 'orders',
    comment: 'customer orders',
    columns: [
      { name: 'id', type: 'bigint', pk: true, generated: { identity: { user_specified_values: 'ALWAYS', sequence_options: 'START 100' } } },
      { name: 'user_id', type: 'integer', references: { name: 'orders_user_fk', table: 'users', column: 'id', on_delete: 'CASCADE' } },
      { name: 'code', type: 'varchar(20)', unique: true, comment: 'shown on invoices' },
      { name: 'price', type: 'numeric(10,2)', default: '1.50', check: { name: 'price_positive', constraint: 'price > 0' } },
      { name: 'total', type: 'numeric', nullable: true, generated: { expression: 'price * 2' } },
      { name: 'during', type: 'tstzrange', nullable: true },
    ],
    constraints: [
      { name: 'orders_no_overlap', type: 'exclude', exclude: { index_method: 'gist', elements: 'during WITH &&' } },
      { name: 'orders_code_price', type: 'unique', columns: ['code', 'price'], nulls_not_distinct: true, index_parameters: { include_columns: ['total'] } },
    ],
  },
};

describe('create_table (full cycle on Postgres)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_create_table');
    // A first migration, so the old version reads through a version schema of its own.
    await applyMigration(db.url, migrationOf('00_users', [{ create_table: { name: 'users', columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'name', type: 'text' }] } }]));
    await sqlOn(db.url, `INSERT INTO users VALUES (1, 'ada'), (2, 'bob')`);
  });
  afterAll(() => db.drop());

  it('is visible to the new version only, rolls back to the identical schema, completes with every constraint', async () => {
    await runOperationCycle(db.url, migrationOf('01_orders', [ORDERS]), {
      async afterStart(ctx) {
        const newVersion = await ctx.newVersion();
        const inserted = await newVersion.query(`INSERT INTO orders (user_id, code, during) VALUES (1, 'A-1', '[2026-01-01,2026-01-02)') RETURNING id, price, total`);
        expect(inserted.rows).toEqual([{ id: '100', price: '1.50', total: '3.00' }]);
        await expect(newVersion.query(`INSERT INTO orders (user_id, code) VALUES (99, 'A-2')`)).rejects.toMatchObject({ code: '23503' });
        await expect(newVersion.query(`INSERT INTO orders (user_id, code, price) VALUES (1, 'A-3', -1)`)).rejects.toMatchObject({ code: '23514' });
        await expect(newVersion.query(`INSERT INTO orders (user_id) VALUES (1)`)).rejects.toMatchObject({ code: '23502' });
        await expect(newVersion.query(`INSERT INTO orders (user_id, code) VALUES (1, 'A-1')`)).rejects.toMatchObject({ code: '23505' });
        await expect(newVersion.query(`INSERT INTO orders (id, user_id, code) VALUES (5, 1, 'A-4')`)).rejects.toMatchObject({ code: '428C9' });
        await expect(newVersion.query(`INSERT INTO orders (user_id, code, during) VALUES (2, 'B-1', '[2026-01-01 12:00,2026-01-03)')`)).rejects.toMatchObject({ code: '23P01' });
        // Both versions keep working on the tables they share.
        await newVersion.query(`INSERT INTO users VALUES (3, 'cy')`);
        const oldVersion = await ctx.oldVersion();
        expect((await oldVersion.query(`SELECT name FROM users WHERE id = 3`)).rows).toEqual([{ name: 'cy' }]);
        await oldVersion.query(`INSERT INTO users VALUES (4, 'di')`);
        expect((await newVersion.query(`SELECT count(*)::int AS n FROM users`)).rows).toEqual([{ n: 4 }]);
        // The old version has no orders view: it resolves `orders` in its own schema and fails.
        expect(ctx.oldSchema).toBe('public_00_users');
        await expect(oldVersion.query(`SELECT * FROM orders`)).rejects.toMatchObject({ code: '42P01' });
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(`SELECT to_regclass('public.orders') AS t`)).toEqual([{ t: null }]);
        // Rows written by either version to shared tables survive rollback.
        expect(await ctx.sql(`SELECT id FROM users ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }]);
      },
      async afterComplete(ctx) {
        const newVersion = await ctx.newVersion();
        await newVersion.query(`INSERT INTO orders (user_id, code) VALUES (2, 'C-1')`);
        expect((await newVersion.query(`SELECT code, price FROM orders`)).rows).toEqual([{ code: 'C-1', price: '1.50' }]);
        const comments = await ctx.sql(`SELECT obj_description('public.orders'::regclass, 'pg_class') AS t, col_description('public.orders'::regclass, 3) AS c`);
        expect(comments).toEqual([{ t: 'customer orders', c: 'shown on invoices' }]);
        const constraints = await ctx.sql(`SELECT conname, contype FROM pg_constraint WHERE conrelid = 'public.orders'::regclass ORDER BY conname`);
        expect(constraints).toEqual([
          { conname: 'orders_code_key', contype: 'u' },
          { conname: 'orders_code_price', contype: 'u' },
          { conname: 'orders_no_overlap', contype: 'x' },
          { conname: 'orders_pkey', contype: 'p' },
          { conname: 'orders_user_fk', contype: 'f' },
          { conname: 'price_positive', contype: 'c' },
        ]);
        // ON DELETE CASCADE was declared.
        await ctx.sql(`DELETE FROM users WHERE id = 2`);
        expect(await ctx.sql(`SELECT count(*)::int AS n FROM orders`)).toEqual([{ n: 0 }]);
      },
    });
  });

  it.each([
    ['a hostile table name', { create_table: { name: '"; DROP TABLE users; --', columns: [{ name: 'a', type: 'int' }] } }],
    ['a quoted column name', { create_table: { name: 't', columns: [{ name: 'a"b', type: 'int' }] } }],
    ['a name over 63 bytes', { create_table: { name: 'n'.repeat(64), columns: [{ name: 'a', type: 'int' }] } }],
    ['a smuggled statement in a type', { create_table: { name: 't', columns: [{ name: 'a', type: 'int); DROP TABLE users; --' }] } }],
    ['a smuggled statement in a default', { create_table: { name: 't', columns: [{ name: 'a', type: 'int', default: "0); DROP TABLE users; CREATE TABLE x (y int" }] } }],
  ])('refuses %s before changing anything', async (_what, operation) => {
    const before = await schemaDump(db.url, 'public');
    expect(() => migrationOf('02_bad', [operation])).toThrow(expect.objectContaining({ code: 'INVALID_MIGRATION' }));
    expect(await schemaDump(db.url, 'public')).toBe(before);
  });

  it('refuses what only the parser or the live schema can catch, changing nothing', async () => {
    const before = await schemaDump(db.url, 'public');
    const engine = testEngine(db.url);
    try {
      const bad = migrationOf('03_bad', [
        { create_table: { name: 't', columns: [{ name: 'a', type: 'no such type', default: '1 +' }] } },
        { create_table: { name: 'users', columns: [{ name: 'a', type: 'int' }] } },
      ]);
      await expect(engine.start(bad)).rejects.toMatchObject({
        code: 'INVALID_MIGRATION',
        issues: expect.arrayContaining([
          expect.objectContaining({ path: 'operations[0].create_table.columns[0].type', code: 'invalid_type' }),
          expect.objectContaining({ path: 'operations[0].create_table.columns[0].default', code: 'invalid_expression' }),
          expect.objectContaining({ path: 'operations[1].create_table.name', code: 'table_exists' }),
        ]),
      });
    } finally {
      await engine.close();
    }
    expect(await schemaDump(db.url, 'public')).toBe(before);
  });
});
