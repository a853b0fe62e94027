import { join } from 'node:path';
import { migrationFilesIn } from '../engine/migrate-directory';
import { loadMigrationFile } from '../format/load-migration-file';
import { createCycleDatabase, runOperationCycle, sqlOn, type CycleContext } from '../testing';

const FIXTURES = join(__dirname, '../../test-fixtures/migrations/duplicating');

type Check = (ctx: CycleContext) => Promise<void>;

/** What each fixture must show while old and new versions run side by side. */
const whileExpanded: Record<string, Check> = {
  async dup_00_base() {
    // Tables created by this migration vanish with its rollback: rows are seeded after complete.
  },
  async dup_01_alter_rating(ctx) {
    const [oldVersion, newVersion] = [await ctx.oldVersion(), await ctx.newVersion()];
    await oldVersion.query(`INSERT INTO reviews (username, rating) VALUES ('old', '5')`);
    expect((await newVersion.query(`SELECT rating FROM reviews WHERE username = 'old'`)).rows[0].rating).toBe(5);
    await newVersion.query(`INSERT INTO reviews (username, rating) VALUES ('new', 7)`);
    expect((await oldVersion.query(`SELECT rating FROM reviews WHERE username = 'new'`)).rows[0].rating).toBe('7');
    await newVersion.query(`DELETE FROM reviews WHERE username IN ('old', 'new')`);
  },
  async dup_02_alter_many(ctx) {
    const [oldVersion, newVersion] = [await ctx.oldVersion(), await ctx.newVersion()];
    expect((await newVersion.query(`SELECT username, review FROM reviews ORDER BY id`)).rows).toEqual([
      { username: 'ann', review: 'nice' },
      { username: 'bob', review: '' },
    ]);
    // A NULL review from the old version is fine there; up turns it into '' for the new NOT NULL column.
    await oldVersion.query(`INSERT INTO reviews (username, review) VALUES ('cy', NULL)`);
    expect((await newVersion.query(`SELECT review FROM reviews WHERE username = 'cy'`)).rows[0].review).toBe('');
    await expect(newVersion.query(`INSERT INTO reviews (username) VALUES ('ann')`)).rejects.toThrow(/reviews_username_key/);
    // The duplicate carries the new unique index, so an old-version write that up maps onto a
    // taken value is refused too (pgroll behaves the same): up must make old values fit.
    await expect(oldVersion.query(`INSERT INTO reviews (username) VALUES ('ann')`)).rejects.toThrow(/reviews_username_key/);
    await oldVersion.query(`DELETE FROM reviews WHERE username = 'cy'`);
  },
  async dup_03_add_columns(ctx) {
    const newVersion = await ctx.newVersion();
    const rows = (await newVersion.query(`SELECT slug, created_at IS NOT NULL AS stamped FROM reviews ORDER BY id`)).rows;
    expect(rows.map((row) => row.stamped)).toEqual([true, true]);
    expect(rows.map((row) => row.slug)).toEqual([expect.stringMatching(/^anon-\d+$/), expect.stringMatching(/^anon-\d+$/)]);
  },
  async dup_04_create_constraints(ctx) {
    const newVersion = await ctx.newVersion();
    expect((await newVersion.query(`SELECT name FROM products ORDER BY id`)).rows).toEqual([{ name: 'lamp-1' }, { name: 'LAMP-2' }]);
    await expect(newVersion.query(`INSERT INTO products VALUES (3, 'lamp-1')`)).rejects.toThrow(/products_name_unique/);
  },
  async dup_05_drop_constraints(ctx) {
    const newVersion = await ctx.newVersion();
    await newVersion.query(`INSERT INTO products VALUES (3, 'lamp-1')`);
    expect((await (await ctx.oldVersion()).query(`SELECT name FROM products WHERE id = 3`)).rows[0].name).toBe('lamp-1-3');
    await newVersion.query(`DELETE FROM products WHERE id = 3`);
  },
  async dup_06_drop_column(ctx) {
    const newVersion = await ctx.newVersion();
    expect((await newVersion.query(`SELECT * FROM reviews LIMIT 0`)).fields.map((field) => field.name)).not.toContain('legacy_flag');
  },
};

async function seed(ctx: CycleContext): Promise<void> {
  const app = await ctx.newVersion();
  await app.query(`INSERT INTO products VALUES (1, 'lamp'), (2, 'LAMP')`);
  await app.query(`INSERT INTO reviews (product, username, rating, review) VALUES (1, 'ann', '4', 'NICE'), (2, 'bob', NULL, NULL)`);
}

/**
 * The duplicating operations' fixtures through the engine's full cycle each (start, rollback to an
 * identical pg_dump, start, complete), chained. They live in a folder of their own: the simple
 * operations' fixture test runs every file directly in test-fixtures/migrations and checks its
 * exact final shape.
 */
describe('duplicating fixture migrations (alter_column, add_column, create/drop constraint, drop_column)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;
  beforeAll(async () => {
    db = await createCycleDatabase('dup_fixtures');
  });
  afterAll(() => db.drop());

  it('applies dup_00…dup_06 in order, each reversible, ending in the expected shape', async () => {
    const files = await migrationFilesIn(FIXTURES);
    expect(files.map((file) => file.split('/').at(-1))).toEqual(Object.keys(whileExpanded).map((name) => `${name}.yaml`));
    for (const file of files) {
      const migration = await loadMigrationFile(file);
      await runOperationCycle(db.url, migration, {
        afterStart: whileExpanded[migration.name],
        ...(migration.name === 'dup_00_base' ? { afterComplete: seed } : {}),
      });
    }
    const shape = await sqlOn(
      db.url,
      `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute
        WHERE attrelid = 'public.reviews'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    );
    // A duplicated column ends up last (rating: by 01, then again by 04 and 05).
    expect(shape).toEqual([
      { attname: 'id', type: 'integer', attnotnull: true },
      { attname: 'review', type: 'character varying(500)', attnotnull: true },
      { attname: 'product', type: 'integer', attnotnull: false },
      { attname: 'username', type: 'text', attnotnull: true },
      { attname: 'slug', type: 'text', attnotnull: true },
      { attname: 'created_at', type: 'timestamp with time zone', attnotnull: true },
      { attname: 'rating', type: 'integer', attnotnull: false },
    ]);
    const constraints = await sqlOn(db.url, `SELECT conname FROM pg_constraint WHERE conrelid = 'public.reviews'::regclass ORDER BY conname COLLATE "C"`);
    expect(constraints.map((row) => row.conname)).toEqual([
      'review_not_shouting',
      'reviews_pkey',
      'reviews_product_fkey',
      'reviews_slug_key',
      'reviews_username_key',
      'slug_lowercase',
    ]);
    expect(await sqlOn(db.url, `SELECT name FROM public.products ORDER BY id`)).toEqual([{ name: 'lamp-1' }, { name: 'LAMP-2' }]);
    const leftovers = await sqlOn(
      db.url,
      `SELECT attname AS name FROM pg_attribute WHERE attrelid IN ('public.reviews'::regclass, 'public.products'::regclass) AND attname LIKE '\\_bascule%' AND NOT attisdropped
       UNION ALL SELECT proname FROM pg_proc WHERE proname LIKE '\\_bascule%'`,
    );
    expect(leftovers).toEqual([]);
  });
});
