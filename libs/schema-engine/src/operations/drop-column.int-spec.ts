import { createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from '../testing';
import { migrationIssues } from './shared/test-support/migration-issues';

describe('drop_column', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;
  beforeAll(async () => {
    db = await createCycleDatabase('dup_drop_column');
    await sqlOn(
      db.url,
      `CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, legacy_code text NOT NULL, note text);
       INSERT INTO users (name, legacy_code) VALUES ('ann', 'A-1');`,
    );
  });
  afterAll(() => db.drop());

  it('hides the column from the new version, fills it for new-version writes with down, drops it at complete', async () => {
    const migration = migrationOf('m1', [
      { drop_column: { table: 'users', column: 'legacy_code', down: "upper(substr(name, 1, 1)) || '-' || id" } },
      // Dropping NOT NULL: the new version may write NULL, down gives the old version a value.
      { alter_column: { table: 'users', column: 'name', nullable: true, down: "COALESCE(name, '(none)')" } },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        const [oldVersion, newVersion] = [await ctx.oldVersion(), await ctx.newVersion()];
        expect((await newVersion.query(`SELECT * FROM users LIMIT 0`)).fields.map((field) => field.name)).toEqual(['id', 'name', 'note']);
        // Without down this insert would fail: legacy_code is NOT NULL without a default.
        await newVersion.query(`INSERT INTO users (name) VALUES ('bob')`);
        expect((await oldVersion.query(`SELECT legacy_code FROM users WHERE name = 'bob'`)).rows[0].legacy_code).toMatch(/^B-\d+$/);
        // Two operations translate this write: the later one's down fills name first, so the
        // earlier one's down (legacy_code) already reads '(none)'.
        await newVersion.query(`INSERT INTO users (name) VALUES (NULL)`);
        expect((await oldVersion.query(`SELECT name, legacy_code FROM users WHERE name = '(none)'`)).rows).toEqual([
          { name: '(none)', legacy_code: expect.stringMatching(/^\(-\d+$/) },
        ]);
        // The old version still writes the column itself.
        await oldVersion.query(`INSERT INTO users (name, legacy_code) VALUES ('cy', 'mine')`);
        expect((await oldVersion.query(`SELECT legacy_code FROM users WHERE name = 'cy'`)).rows[0].legacy_code).toBe('mine');
      },
      async afterComplete(ctx) {
        expect(
          (await ctx.sql(`SELECT attname FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`)).map(
            (row) => row.attname,
          ),
        ).toEqual(['id', 'note', 'name']);
        expect((await ctx.sql(`SELECT name FROM users ORDER BY id`)).map((row) => row.name)).toEqual(['ann', 'bob', '(none)', 'cy']);
        expect(await ctx.sql(`SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.users'::regclass AND attname = 'name'`)).toEqual([{ attnotnull: false }]);
      },
    });
  });

  it('rejects an unknown column and a hostile down', async () => {
    expect(await migrationIssues(db.url, [{ drop_column: { table: 'users', column: 'ghost' } }])).toEqual([
      ['operations[0].drop_column.column', 'column_not_found'],
    ]);
    expect(await migrationIssues(db.url, [{ drop_column: { table: 'users', column: 'name', down: "'x' /* unterminated" } }])).toEqual([
      ['operations[0].drop_column.down', 'invalid_value'],
    ]);
  });
});
