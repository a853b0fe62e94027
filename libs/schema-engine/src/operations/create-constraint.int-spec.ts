import { createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from '../testing';
import { migrationIssues } from './shared/test-support/migration-issues';

describe('create_constraint', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;
  beforeAll(async () => {
    db = await createCycleDatabase('dup_create_constraint');
    await sqlOn(
      db.url,
      `CREATE TABLE regions (country text, code text, PRIMARY KEY (country, code));
       INSERT INTO regions VALUES ('fr', 'idf'), ('fr', 'paca'), ('de', 'by');
       CREATE TABLE shops (
         id integer NOT NULL,
         country text,
         region text,
         name text NOT NULL DEFAULT 'shop',
         code text,
         CONSTRAINT shops_name_len CHECK (length(name) < 50)
       );
       CREATE UNIQUE INDEX shops_id_key ON shops (id);
       ALTER TABLE shops ADD PRIMARY KEY USING INDEX shops_id_key;
       CREATE INDEX shops_country_idx ON shops (lower(country));
       INSERT INTO shops VALUES (1, 'fr', 'idf', 'a', 'x'), (2, 'FR', 'paca', 'b', 'Y'), (3, 'fr', 'idf', 'c', 'x'), (4, NULL, NULL, 'd', NULL);`,
    );
  });
  afterAll(() => db.drop());

  it('puts composite constraints on duplicated columns, leaves the old version unconstrained, rolls back, completes', async () => {
    const migration = migrationOf('m1', [
      {
        create_constraint: {
          table: 'shops',
          name: 'shops_region_fkey',
          type: 'foreign_key',
          columns: ['country', 'region'],
          references: { table: 'regions', columns: ['country', 'code'], on_delete: 'SET NULL' },
          up: { country: 'lower(country)', region: 'region' },
          down: { country: 'country', region: 'region' },
        },
      },
      {
        // Over the primary key column too: its key moves to the duplicate at complete.
        create_constraint: {
          table: 'shops',
          name: 'shops_name_unique',
          type: 'unique',
          columns: ['id', 'name'],
          up: { id: 'id', name: "name || '#' || id" },
          down: { id: 'id', name: 'name' },
        },
      },
      {
        create_constraint: {
          table: 'shops',
          name: 'shops_code_check',
          type: 'check',
          columns: ['code'],
          check: 'code IS NULL OR code = lower(code)',
          up: { code: 'lower(code)' },
          down: { code: 'code' },
        },
      },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        const [oldVersion, newVersion] = [await ctx.oldVersion(), await ctx.newVersion()];
        expect((await newVersion.query(`SELECT id, country, region, name, code FROM shops ORDER BY id`)).rows).toEqual([
          { id: 1, country: 'fr', region: 'idf', name: 'a#1', code: 'x' },
          { id: 2, country: 'fr', region: 'paca', name: 'b#2', code: 'y' },
          { id: 3, country: 'fr', region: 'idf', name: 'c#3', code: 'x' },
          { id: 4, country: null, region: null, name: 'd#4', code: null },
        ]);
        // The old version is not held to the new constraints; up makes its rows fit them.
        await oldVersion.query(`INSERT INTO shops VALUES (5, 'DE', 'by', 'e', 'Z')`);
        expect((await newVersion.query(`SELECT country, name, code FROM shops WHERE id = 5`)).rows[0]).toEqual({ country: 'de', name: 'e#5', code: 'z' });
        await expect(newVersion.query(`INSERT INTO shops VALUES (6, 'de', 'nowhere', 'f')`)).rejects.toThrow(/shops_region_fkey/);
        await expect(newVersion.query(`INSERT INTO shops VALUES (3, 'fr', 'idf', 'c#3')`)).rejects.toThrow(/duplicate key/);
        await expect(newVersion.query(`INSERT INTO shops VALUES (8, 'fr', 'idf', 'g', 'UP')`)).rejects.toThrow(/shops_code_check/);
        await newVersion.query(`INSERT INTO shops VALUES (9, 'de', 'by', 'h', 'k')`);
        expect((await oldVersion.query(`SELECT country, name, code FROM shops WHERE id = 9`)).rows[0]).toEqual({ country: 'de', name: 'h', code: 'k' });
      },
      async afterComplete(ctx) {
        expect(
          await ctx.sql(
            `SELECT conname, contype, convalidated, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'public.shops'::regclass ORDER BY conname COLLATE "C"`,
          ),
        ).toEqual([
          { conname: 'shops_code_check', contype: 'c', convalidated: true, def: 'CHECK (((code IS NULL) OR (code = lower(code))))' },
          // The primary key (built USING INDEX in the setup) keeps its own name through the swap.
          { conname: 'shops_id_key', contype: 'p', convalidated: true, def: 'PRIMARY KEY (id)' },
          { conname: 'shops_name_len', contype: 'c', convalidated: true, def: 'CHECK ((length(name) < 50))' },
          { conname: 'shops_name_unique', contype: 'u', convalidated: true, def: 'UNIQUE (id, name)' },
          { conname: 'shops_region_fkey', contype: 'f', convalidated: true, def: 'FOREIGN KEY (country, region) REFERENCES regions(country, code) ON DELETE SET NULL' },
        ]);
        const indexes = await ctx.sql(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'shops' ORDER BY indexname COLLATE "C"`);
        expect(indexes.map((row) => row.indexname)).toEqual(['shops_country_idx', 'shops_id_key', 'shops_name_unique']);
        expect(indexes[0].indexdef).toBe('CREATE INDEX shops_country_idx ON public.shops USING btree (lower(country))');
        expect(
          await ctx.sql(
            `SELECT attnotnull, pg_get_expr(adbin, adrelid) AS def FROM pg_attribute JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = 'public.shops'::regclass AND attname = 'name'`,
          ),
        ).toEqual([{ attnotnull: true, def: "'shop'::text" }]);
      },
    });
  });

  it('creates a composite primary key on a table that has none (NOT NULL added through validated checks)', async () => {
    await sqlOn(
      db.url,
      `CREATE TABLE visits (code text NOT NULL UNIQUE, shop integer, day date);
       INSERT INTO visits VALUES ('v1', 1, '2026-01-01'), ('v2', 1, NULL), ('v3', NULL, '2026-01-02');`,
    );
    const migration = migrationOf('m2', [
      {
        create_constraint: {
          table: 'visits',
          name: 'visits_pkey',
          type: 'primary_key',
          columns: ['shop', 'day'],
          up: { shop: 'COALESCE(shop, 0)', day: "COALESCE(day, DATE '1970-01-01')" },
          down: { shop: 'shop', day: 'day' },
        },
      },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        const newVersion = await ctx.newVersion();
        // visits is newer than the previous version schema: write through the physical table (an old writer).
        await ctx.sql(`INSERT INTO visits VALUES ('v4', NULL, NULL)`);
        expect((await newVersion.query(`SELECT shop, day FROM visits WHERE code = 'v4'`)).rows[0]).toEqual({ shop: 0, day: new Date('1970-01-01T00:00:00') });
        await expect(newVersion.query(`INSERT INTO visits VALUES ('v5', NULL, '2026-01-03')`)).rejects.toThrow(/_bascule_nn_/);
        await expect(newVersion.query(`INSERT INTO visits VALUES ('v6', 1, '2026-01-01')`)).rejects.toThrow(/visits_pkey/);
      },
      async afterComplete(ctx) {
        expect(await ctx.sql(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'public.visits'::regclass AND contype = 'p'`)).toEqual([
          { conname: 'visits_pkey', def: 'PRIMARY KEY (shop, day)' },
        ]);
        expect(
          await ctx.sql(`SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = 'public.visits'::regclass AND attname IN ('shop', 'day') ORDER BY attname`),
        ).toEqual([
          { attname: 'day', attnotnull: true },
          { attname: 'shop', attnotnull: true },
        ]);
        expect(await ctx.sql(`SELECT conname FROM pg_constraint WHERE conrelid = 'public.visits'::regclass AND contype = 'c'`)).toEqual([]);
      },
    });
  });

  it('requires up and down for every column, refuses fields that do not fit, and one column twice in a migration', async () => {
    expect(
      await migrationIssues(db.url, [
        { create_constraint: { table: 'shops', name: 'u1', type: 'unique', columns: ['country', 'region'], up: { country: 'country' }, down: { country: 'country', region: 'region', ghost: 'x' } } },
        { create_constraint: { table: 'shops', name: 'c1', type: 'check', columns: ['country'], up: { country: 'country' }, down: { country: 'country' } } },
        { create_constraint: { table: 'shops', name: 'p1', type: 'primary_key', columns: ['name'], up: { name: 'name' }, down: { name: 'name' } } },
        { create_constraint: { table: 'shops', name: 'u2', type: 'unique', columns: ['code'], up: { code: 'code' }, down: { code: 'code' } } },
        { create_constraint: { table: 'shops', name: 'u3', type: 'unique', columns: ['code'], up: { code: 'code' }, down: { code: 'code' } } },
      ]),
    ).toEqual([
      ['operations[0].create_constraint.up.region', 'field_required'],
      ['operations[0].create_constraint.down.ghost', 'unknown_column'],
      ['operations[1].create_constraint.check', 'field_required'],
      ['operations[2].create_constraint.type', 'primary_key_exists'],
      // The same column in two operations of one migration would duplicate a duplicate.
      ['operations[4].create_constraint.columns', 'column_already_changed'],
    ]);
  });
});
