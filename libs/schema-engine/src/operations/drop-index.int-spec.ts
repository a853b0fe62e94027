import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from '../testing';

const EXISTS = `SELECT to_regclass('public.docs_title_idx') IS NOT NULL AS present`;

describe('drop_index (full cycle on Postgres)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_drop_index');
    await applyMigration(
      db.url,
      migrationOf('00_docs', [
        { create_table: { name: 'docs', columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'title', type: 'text' }] } },
        { create_index: { table: 'docs', name: 'docs_title_idx', columns: ['title'] } },
      ]),
    );
    await sqlOn(db.url, `INSERT INTO docs VALUES (1, 'a')`);
  });
  afterAll(() => db.drop());

  it('keeps the index for the old version until complete, then drops it concurrently', async () => {
    await runOperationCycle(db.url, migrationOf('01_drop_idx', [{ drop_index: { name: 'docs_title_idx' } }]), {
      async afterStart(ctx) {
        expect(await ctx.sql(EXISTS)).toEqual([{ present: true }]);
        const newVersion = await ctx.newVersion();
        await newVersion.query(`INSERT INTO docs VALUES (2, 'b')`);
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(EXISTS)).toEqual([{ present: true }]);
      },
      async afterComplete(ctx) {
        expect(await ctx.sql(EXISTS)).toEqual([{ present: false }]);
        expect(await ctx.sql(`SELECT count(*)::int AS n FROM docs`)).toEqual([{ n: 2 }]);
      },
    });
  });

  it('refuses an index that does not exist, or that backs a constraint', async () => {
    await expect(applyMigration(db.url, migrationOf('02_bad', [{ drop_index: { name: 'nope' } }]))).rejects.toMatchObject({
      issues: [expect.objectContaining({ code: 'index_not_found' })],
    });
    await expect(applyMigration(db.url, migrationOf('03_bad', [{ drop_index: { name: 'docs_pkey' } }]))).rejects.toMatchObject({
      issues: [expect.objectContaining({ code: 'index_backs_constraint' })],
    });
  });
});
