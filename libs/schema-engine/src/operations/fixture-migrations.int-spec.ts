import { join } from 'node:path';
import { migrationFilesIn } from '../engine/migrate-directory';
import { loadMigrationFile } from '../format/load-migration-file';
import { createCycleDatabase, runOperationCycle, sqlOn } from '../testing';

const FIXTURES = join(__dirname, '../../test-fixtures/migrations');

/**
 * Every migration of test-fixtures/migrations, in name order, each through the full cycle (start,
 * rollback to an identical pg_dump, start, complete) on top of the ones before: the simple
 * operations with all their options, chained the way a real project chains them.
 */
describe('fixture migrations (create_table … drop_table, full cycle each)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_fixtures');
  });
  afterAll(() => db.drop());

  it('applies 01…10 in order, each reversible', async () => {
    const files = await migrationFilesIn(FIXTURES);
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const file of files) {
      const migration = await loadMigrationFile(file);
      await runOperationCycle(db.url, migration, {
        async afterStart(ctx) {
          if (migration.name !== '01_create_tables') return;
          const newVersion = await ctx.newVersion();
          await newVersion.query(`INSERT INTO users (email) VALUES ('ada@example.org')`);
        },
        async afterComplete(ctx) {
          if (migration.name !== '01_create_tables') return;
          const newVersion = await ctx.newVersion();
          const [user] = (await newVersion.query(`INSERT INTO users (email) VALUES ('ada@example.org') RETURNING id`)).rows;
          expect(user.id).toBe('1000');
          await newVersion.query(`INSERT INTO posts (author_id, title, body, score) VALUES ($1, 'hello', 'world', 3), ($1, 'draft', NULL, 1)`, [user.id]);
          await newVersion.query(`INSERT INTO bookings (id, post_id, room, during) VALUES (1, 1, 'blue', '[2026-01-01,2026-01-02)')`);
          await newVersion.query(`INSERT INTO audit_log (entry) VALUES ('{"a": 1}')`);
        },
      });
    }

    const version = (await sqlOn(db.url, `SELECT nspname FROM pg_namespace WHERE nspname LIKE 'public\\_%' ORDER BY nspname`)).map((row) => row.nspname);
    expect(version).toEqual(['public_10_drop_table']);
    const columns = await sqlOn(
      db.url,
      `SELECT table_name, string_agg(column_name::text, ',' ORDER BY ordinal_position) AS columns
       FROM information_schema.columns WHERE table_schema = 'public' GROUP BY table_name ORDER BY table_name`,
    );
    expect(columns).toEqual([
      { table_name: 'posts', columns: 'id,author_id,title,content,score,score_doubled' },
      { table_name: 'reservations', columns: 'id,post_id,room_name,during' },
      { table_name: 'users', columns: 'id,email,nickname,created_at' },
    ]);
    expect(await sqlOn(db.url, `SELECT nickname FROM users`)).toEqual([{ nickname: 'ada' }]);
    const indexes = await sqlOn(db.url, `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
    expect(indexes.map((row) => row.indexname)).toEqual([
      'bookings_no_overlap',
      'bookings_pkey',
      'posts_author_title',
      'posts_content_partial',
      'posts_created_idx',
      'posts_pkey',
      'posts_title_search',
      'users_email_unique',
      'users_pkey',
    ]);
    expect(await sqlOn(db.url, `SELECT relname, relreplident FROM pg_class WHERE oid IN ('public.posts'::regclass, 'public.users'::regclass) ORDER BY relname`)).toEqual([
      { relname: 'posts', relreplident: 'f' },
      { relname: 'users', relreplident: 'i' },
    ]);
    expect(await sqlOn(db.url, `SELECT conname FROM pg_constraint WHERE conrelid = 'public.posts'::regclass AND contype = 'c'`)).toEqual([
      { conname: 'posts_title_between_1_and_200' },
    ]);
    // The trigger 08_sql created fills a NULL score (NOT NULL would refuse it otherwise).
    expect(await sqlOn(db.url, `INSERT INTO public.posts (author_id, title, score) VALUES (1000, 'trigger', NULL) RETURNING score`)).toEqual([{ score: 0 }]);
    // The partial index of 03 was built on the physical column and followed its rename.
    const [{ definition }] = await sqlOn(db.url, `SELECT pg_get_indexdef('public.posts_content_partial'::regclass) AS definition`);
    expect(definition).toBe('CREATE INDEX posts_content_partial ON public.posts USING btree (content) WHERE (content IS NOT NULL)');
  });
});
