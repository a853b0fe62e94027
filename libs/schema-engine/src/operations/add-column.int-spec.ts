import { createCycleDatabase, migrationOf, runOperationCycle, schemaDump, sqlOn } from '../testing';
import { migrationIssues } from './shared/test-support/migration-issues';

describe('add_column', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;
  beforeAll(async () => {
    db = await createCycleDatabase('dup_add_column');
    await sqlOn(
      db.url,
      `CREATE TABLE authors (id integer PRIMARY KEY);
       INSERT INTO authors VALUES (1), (2);
       CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL, author integer);
       INSERT INTO posts (title, author) VALUES ('first', 1), ('second', 2);`,
    );
  });
  afterAll(() => db.drop());

  it('fills existing and old-version rows through up, hides the column from the old version, rolls back, completes', async () => {
    const migration = migrationOf('m1', [
      {
        add_column: {
          table: 'posts',
          column: { name: 'slug', type: 'text', unique: true, check: { name: 'slug_lower', constraint: 'slug = lower(slug)' }, comment: 'url part' },
          up: "lower(title) || '-' || id",
        },
      },
      {
        add_column: {
          table: 'posts',
          column: { name: 'writer', type: 'integer', nullable: true, references: { name: 'posts_writer_fkey', table: 'authors', column: 'id' } },
          up: 'author',
        },
      },
      { add_column: { table: 'posts', column: { name: 'created', type: 'timestamptz', default: 'now()' } } },
      { add_column: { table: 'posts', column: { name: 'score', type: 'integer', default: '0' } } },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        const [oldVersion, newVersion] = [await ctx.oldVersion(), await ctx.newVersion()];
        expect((await newVersion.query(`SELECT title, slug, writer, created IS NOT NULL AS stamped, score FROM posts ORDER BY id`)).rows).toEqual([
          { title: 'first', slug: 'first-1', writer: 1, stamped: true, score: 0 },
          { title: 'second', slug: 'second-2', writer: 2, stamped: true, score: 0 },
        ]);
        // The old version (here: the physical table) keeps its shape and its writes get `up`.
        await oldVersion.query(`INSERT INTO posts (title, author) VALUES ('Third', 2)`);
        const [third] = (await newVersion.query(`SELECT id, slug, writer FROM posts WHERE title = 'Third'`)).rows;
        expect(third).toEqual({ id: third.id, slug: `third-${third.id}`, writer: 2 });
        await newVersion.query(`INSERT INTO posts (title, slug, writer) VALUES ('fourth', 'own-slug', 1)`);
        expect((await newVersion.query(`SELECT slug FROM posts WHERE title = 'fourth'`)).rows[0].slug).toBe('own-slug');
        // NOT VALID constraints and the concurrent unique index already hold for new writes.
        await expect(newVersion.query(`INSERT INTO posts (title, slug) VALUES ('x', 'UPPER')`)).rejects.toThrow(/slug_lower/);
        await expect(newVersion.query(`INSERT INTO posts (title, slug) VALUES ('y', 'own-slug')`)).rejects.toThrow(/duplicate key/);
        await expect(newVersion.query(`INSERT INTO posts (title, slug, writer) VALUES ('z', 'zz', 99)`)).rejects.toThrow(/posts_writer_fkey/);
        await expect(newVersion.query(`INSERT INTO posts (title) VALUES ('no slug')`)).rejects.toThrow(/_bascule_nn_slug/);
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(`SELECT count(*)::int AS n FROM posts`)).toEqual([{ n: 4 }]);
      },
      async afterComplete(ctx) {
        expect(
          await ctx.sql(`SELECT attname, attnotnull, col_description(attrelid, attnum) AS comment FROM pg_attribute
                          WHERE attrelid = 'public.posts'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`),
        ).toEqual([
          { attname: 'id', attnotnull: true, comment: null },
          { attname: 'title', attnotnull: true, comment: null },
          { attname: 'author', attnotnull: false, comment: null },
          { attname: 'slug', attnotnull: true, comment: 'url part' },
          { attname: 'writer', attnotnull: false, comment: null },
          { attname: 'created', attnotnull: true, comment: null },
          { attname: 'score', attnotnull: true, comment: null },
        ]);
        expect(await ctx.sql(`SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'public.posts'::regclass ORDER BY conname COLLATE "C"`)).toEqual([
          { conname: 'posts_pkey', convalidated: true },
          { conname: 'posts_slug_key', convalidated: true },
          { conname: 'posts_writer_fkey', convalidated: true },
          { conname: 'slug_lower', convalidated: true },
        ]);
        // The old version is gone; the new one inserts with the defaults.
        const newVersion = await ctx.newVersion();
        await newVersion.query(`INSERT INTO posts (title, slug) VALUES ('fifth', 'fifth')`);
        expect((await newVersion.query(`SELECT score, created IS NOT NULL AS stamped FROM posts WHERE slug = 'fifth'`)).rows).toEqual([{ score: 0, stamped: true }]);
      },
    });
  });

  it('refuses a NOT NULL column with neither default nor up, unknown tables and hostile SQL, changing nothing', async () => {
    const before = await schemaDump(db.url, 'public');
    expect(
      await migrationIssues(db.url, [
        { add_column: { table: 'posts', column: { name: 'required', type: 'text' } } },
        { add_column: { table: 'nope', column: { name: 'x', type: 'text', nullable: true } } },
        { add_column: { table: 'posts', column: { name: 'title', type: 'text', nullable: true } } },
        { add_column: { table: 'posts', column: { name: 'x', type: 'integer integer', nullable: true } } },
      ]),
    ).toEqual([
      ['operations[0].add_column.up', 'field_required'],
      ['operations[1].add_column.table', 'table_not_found'],
      ['operations[2].add_column.column.name', 'column_exists'],
      ['operations[3].add_column.column.type', 'invalid_type'],
    ]);
    expect(
      await migrationIssues(db.url, [
        { add_column: { table: 'posts', column: { name: 'evil', type: 'text', nullable: true }, up: '1); DROP TABLE posts; SELECT (1' } },
        { add_column: { table: 'posts', column: { name: 'evil2', type: 'text; DROP TABLE posts', nullable: true } } },
        { add_column: { table: 'posts', column: { name: 'a"; DROP TABLE posts; --', type: 'text', nullable: true } } },
      ]),
    ).toEqual([
      ['operations[0].add_column.up', 'invalid_value'],
      ['operations[1].add_column.column.type', 'invalid_value'],
      ['operations[2].add_column.column.name', 'invalid_value'],
    ]);
    expect(await schemaDump(db.url, 'public')).toEqual(before);
  });
});
