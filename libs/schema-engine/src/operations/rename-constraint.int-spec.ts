import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle } from '../testing';

const NAMES = `SELECT conname FROM pg_constraint WHERE conrelid = 'public.orders'::regclass ORDER BY conname`;

describe('rename_constraint (full cycle on Postgres)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_rename_constraint');
    await applyMigration(
      db.url,
      migrationOf('00_orders', [
        {
          create_table: {
            name: 'orders',
            columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'price', type: 'integer', check: { name: 'price_check', constraint: 'price > 0' } }, { name: 'code', type: 'text', unique: true }],
          },
        },
      ]),
    );
  });
  afterAll(() => db.drop());

  it('keeps the old names until complete, then renames (an index-backed constraint renames its index too)', async () => {
    const migration = migrationOf('01_rename', [
      { rename_constraint: { table: 'orders', from: 'price_check', to: 'price_positive' } },
      { rename_constraint: { table: 'orders', from: 'orders_code_key', to: 'orders_code_unique' } },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        expect(await ctx.sql(NAMES)).toEqual([{ conname: 'orders_code_key' }, { conname: 'orders_pkey' }, { conname: 'price_check' }]);
        const newVersion = await ctx.newVersion();
        await expect(newVersion.query(`INSERT INTO orders VALUES (1, -5, 'a')`)).rejects.toMatchObject({ code: '23514', constraint: 'price_check' });
      },
      async afterComplete(ctx) {
        expect(await ctx.sql(NAMES)).toEqual([{ conname: 'orders_code_unique' }, { conname: 'orders_pkey' }, { conname: 'price_positive' }]);
        expect(await ctx.sql(`SELECT to_regclass('public.orders_code_unique') IS NOT NULL AS renamed`)).toEqual([{ renamed: true }]);
        const newVersion = await ctx.newVersion();
        await expect(newVersion.query(`INSERT INTO orders VALUES (1, -5, 'a')`)).rejects.toMatchObject({ code: '23514', constraint: 'price_positive' });
      },
    });
  });
});
