import type { TestDatabase } from '@bascule/testing';
import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from './index';

describe('runOperationCycle on the worked example of SCHEMA-OPERATIONS.md', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_cycle');
    await applyMigration(
      db.url,
      migrationOf('base', [
        {
          create_table: {
            name: 'reviews',
            columns: [
              { name: 'id', type: 'serial', pk: true },
              { name: 'rating', type: 'text', nullable: true },
            ],
          },
        },
      ]),
    );
    await sqlOn(db.url, `INSERT INTO reviews (rating) VALUES ('1'), ('3')`);
  });
  afterAll(() => db.drop());

  it('translates both ways after start, restores exactly on rollback, ends integer after complete', async () => {
    const migration = migrationOf('rating_int', [
      { alter_column: { table: 'reviews', column: 'rating', type: 'integer', up: 'CAST(rating AS integer)', down: 'CAST(rating AS text)' } },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        expect(ctx.oldSchema).toBe('public_base');
        const oldVersion = await ctx.oldVersion();
        const newVersion = await ctx.newVersion();
        await oldVersion.query(`INSERT INTO reviews (rating) VALUES ('5')`);
        await newVersion.query(`INSERT INTO reviews (rating) VALUES (7)`);
        expect((await newVersion.query('SELECT rating FROM reviews ORDER BY id')).rows.map((r) => r.rating)).toEqual([1, 3, 5, 7]);
        expect((await oldVersion.query('SELECT rating FROM reviews ORDER BY id')).rows.map((r) => r.rating)).toEqual(['1', '3', '5', '7']);
      },
      async afterRollback(ctx) {
        expect((await ctx.sql('SELECT rating FROM reviews ORDER BY id')).map((r) => r.rating)).toEqual(['1', '3', '5', '7']);
      },
      async afterComplete(ctx) {
        const newVersion = await ctx.newVersion();
        expect((await newVersion.query('SELECT rating FROM reviews ORDER BY id')).rows.map((r) => r.rating)).toEqual([1, 3, 5, 7]);
        // The previous version schema is gone once the new one is complete.
        expect(await ctx.sql(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public\\_%' ORDER BY 1`)).toEqual([
          { nspname: 'public_rating_int' },
        ]);
      },
    });
  });
});
