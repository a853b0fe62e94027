import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from '../testing';

describe('sql (full cycle on Postgres)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_sql');
    await applyMigration(db.url, migrationOf('00_base', [{ create_table: { name: 'items', columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'name', type: 'text' }] } }]));
    await sqlOn(db.url, `INSERT INTO items VALUES (1, 'a;b')`);
  });
  afterAll(() => db.drop());

  it('runs up at start (the new version sees what it created), down on rollback', async () => {
    const migration = migrationOf('01_raw', [
      {
        sql: {
          up: "CREATE TABLE audit (id serial PRIMARY KEY, note text); INSERT INTO audit (note) SELECT name FROM items; CREATE INDEX CONCURRENTLY audit_note ON audit (note)",
          down: 'DROP TABLE audit',
        },
      },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        const newVersion = await ctx.newVersion();
        expect((await newVersion.query(`SELECT note FROM audit`)).rows).toEqual([{ note: 'a;b' }]);
        expect(await ctx.sql(`SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.audit_note'::regclass`)).toEqual([{ indisvalid: true }]);
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(`SELECT to_regclass('public.audit') AS t`)).toEqual([{ t: null }]);
      },
      async afterComplete(ctx) {
        const newVersion = await ctx.newVersion();
        await newVersion.query(`INSERT INTO audit (note) VALUES ('later')`);
        expect((await newVersion.query(`SELECT count(*)::int AS n FROM audit`)).rows).toEqual([{ n: 2 }]);
      },
    });
  });

  it('runs up only at complete with onComplete', async () => {
    await runOperationCycle(db.url, migrationOf('02_on_complete', [{ sql: { up: `UPDATE items SET name = upper(name)`, onComplete: true } }]), {
      async afterStart(ctx) {
        expect(await ctx.sql(`SELECT name FROM items`)).toEqual([{ name: 'a;b' }]);
      },
      async afterComplete(ctx) {
        expect(await ctx.sql(`SELECT name FROM items`)).toEqual([{ name: 'A;B' }]);
      },
    });
  });

  it('must be alone in its migration unless onComplete', () => {
    expect(() =>
      migrationOf('03_bad', [{ sql: { up: 'SELECT 1' } }, { drop_table: { name: 'items' } }]),
    ).toThrow(expect.objectContaining({ code: 'INVALID_MIGRATION', issues: [expect.objectContaining({ code: 'operation_not_isolated', path: 'operations[0].sql' })] }));
  });
});
