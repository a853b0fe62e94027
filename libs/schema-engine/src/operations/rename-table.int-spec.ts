import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from '../testing';

describe('rename_table (full cycle on Postgres)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_rename_table');
    await applyMigration(db.url, migrationOf('00_users', [{ create_table: { name: 'users', columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'name', type: 'text' }] } }]));
    await sqlOn(db.url, `INSERT INTO users VALUES (1, 'ada')`);
  });
  afterAll(() => db.drop());

  it('serves the table under both names while expanded, renames it physically at complete', async () => {
    await runOperationCycle(db.url, migrationOf('01_accounts', [{ rename_table: { from: 'users', to: 'accounts' } }]), {
      async afterStart(ctx) {
        const oldVersion = await ctx.oldVersion();
        const newVersion = await ctx.newVersion();
        await oldVersion.query(`INSERT INTO users VALUES (2, 'bob')`);
        await newVersion.query(`INSERT INTO accounts VALUES (3, 'cy')`);
        expect((await newVersion.query(`SELECT id FROM accounts ORDER BY id`)).rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
        expect((await oldVersion.query(`SELECT id FROM users ORDER BY id`)).rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
        await expect(newVersion.query(`SELECT * FROM users`)).rejects.toMatchObject({ code: '42P01' });
        await expect(oldVersion.query(`SELECT * FROM accounts`)).rejects.toMatchObject({ code: '42P01' });
        expect(await ctx.sql(`SELECT to_regclass('public.users') IS NOT NULL AS old, to_regclass('public.accounts') IS NOT NULL AS new`)).toEqual([{ old: true, new: false }]);
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(`SELECT count(*)::int AS n FROM public.users`)).toEqual([{ n: 3 }]);
      },
      async afterComplete(ctx) {
        expect(await ctx.sql(`SELECT to_regclass('public.users') IS NOT NULL AS old, to_regclass('public.accounts') IS NOT NULL AS new`)).toEqual([{ old: false, new: true }]);
        const newVersion = await ctx.newVersion();
        await newVersion.query(`INSERT INTO accounts VALUES (4, 'di')`);
        expect((await newVersion.query(`SELECT name FROM accounts ORDER BY id`)).rows.map((r) => r.name)).toEqual(['ada', 'bob', 'cy', 'di']);
      },
    });
  });
});
