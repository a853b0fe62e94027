import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from '../testing';

describe('drop_table (full cycle on Postgres)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_drop_table');
    await applyMigration(
      db.url,
      migrationOf('00_tables', [
        { create_table: { name: 'legacy', columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'note', type: 'text' }] } },
        { create_table: { name: 'kept', columns: [{ name: 'id', type: 'integer', pk: true }] } },
      ]),
    );
    await sqlOn(db.url, `INSERT INTO legacy VALUES (1, 'one')`);
  });
  afterAll(() => db.drop());

  it('hides the table from the new version only, keeps it (and its rows) on rollback, drops it at complete', async () => {
    await runOperationCycle(db.url, migrationOf('01_drop_legacy', [{ drop_table: { name: 'legacy' } }]), {
      async afterStart(ctx) {
        const oldVersion = await ctx.oldVersion();
        const newVersion = await ctx.newVersion();
        await oldVersion.query(`INSERT INTO legacy VALUES (2, 'two')`);
        expect((await oldVersion.query(`SELECT count(*)::int AS n FROM legacy`)).rows).toEqual([{ n: 2 }]);
        await expect(newVersion.query(`SELECT * FROM legacy`)).rejects.toMatchObject({ code: '42P01' });
        await newVersion.query(`INSERT INTO kept VALUES (1)`);
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(`SELECT id, note FROM public.legacy ORDER BY id`)).toEqual([
          { id: 1, note: 'one' },
          { id: 2, note: 'two' },
        ]);
      },
      async afterComplete(ctx) {
        expect(await ctx.sql(`SELECT to_regclass('public.legacy') AS t`)).toEqual([{ t: null }]);
        expect(await ctx.sql(`SELECT count(*)::int AS n FROM public.kept`)).toEqual([{ n: 1 }]);
      },
    });
  });
});
