import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from '../testing';

describe('rename_column (full cycle on Postgres)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_rename_column');
    await applyMigration(db.url, migrationOf('00_reviews', [{ create_table: { name: 'reviews', columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'title', type: 'text' }] } }]));
    await sqlOn(db.url, `INSERT INTO reviews VALUES (1, 'first')`);
  });
  afterAll(() => db.drop());

  it('shows the new name to the new version and the old name to the old one, renames physically at complete', async () => {
    await runOperationCycle(db.url, migrationOf('01_headline', [{ rename_column: { table: 'reviews', from: 'title', to: 'headline' } }]), {
      async afterStart(ctx) {
        const oldVersion = await ctx.oldVersion();
        const newVersion = await ctx.newVersion();
        await oldVersion.query(`INSERT INTO reviews (id, title) VALUES (2, 'from old')`);
        await newVersion.query(`INSERT INTO reviews (id, headline) VALUES (3, 'from new')`);
        expect((await newVersion.query(`SELECT id, headline FROM reviews ORDER BY id`)).rows).toEqual([
          { id: 1, headline: 'first' },
          { id: 2, headline: 'from old' },
          { id: 3, headline: 'from new' },
        ]);
        expect((await oldVersion.query(`SELECT title FROM reviews WHERE id = 3`)).rows).toEqual([{ title: 'from new' }]);
        await newVersion.query(`UPDATE reviews SET headline = 'edited' WHERE id = 1`);
        expect((await oldVersion.query(`SELECT title FROM reviews WHERE id = 1`)).rows).toEqual([{ title: 'edited' }]);
        await expect(oldVersion.query(`SELECT headline FROM reviews`)).rejects.toMatchObject({ code: '42703' });
        await expect(newVersion.query(`SELECT title FROM reviews`)).rejects.toMatchObject({ code: '42703' });
        // Start changed no physical column: the rename is only in the new version's view.
        expect(await ctx.sql(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'reviews' ORDER BY ordinal_position`)).toEqual([
          { column_name: 'id' },
          { column_name: 'title' },
        ]);
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(`SELECT id, title FROM reviews ORDER BY id`)).toEqual([
          { id: 1, title: 'edited' },
          { id: 2, title: 'from old' },
          { id: 3, title: 'from new' },
        ]);
      },
      async afterComplete(ctx) {
        expect(await ctx.sql(`SELECT id, headline FROM reviews ORDER BY id`)).toEqual([
          { id: 1, headline: 'edited' },
          { id: 2, headline: 'from old' },
          { id: 3, headline: 'from new' },
        ]);
        const newVersion = await ctx.newVersion();
        await newVersion.query(`INSERT INTO reviews (id, headline) VALUES (4, 'after')`);
        expect((await newVersion.query(`SELECT headline FROM reviews WHERE id = 4`)).rows).toEqual([{ headline: 'after' }]);
      },
    });
  });
});
