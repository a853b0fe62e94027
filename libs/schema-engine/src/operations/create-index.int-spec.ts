import { applyMigration, createCycleDatabase, migrationOf, runOperationCycle, sqlOn } from '../testing';

const INDEX_STATE = `
  SELECT c.relname AS name, i.indisvalid AS valid, i.indisunique AS unique, pg_get_indexdef(i.indexrelid) AS definition
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
  WHERE i.indrelid = 'public.docs'::regclass AND NOT i.indisprimary ORDER BY c.relname`;

describe('create_index (full cycle on Postgres)', () => {
  let db: Awaited<ReturnType<typeof createCycleDatabase>>;

  beforeAll(async () => {
    db = await createCycleDatabase('op_create_index');
    await applyMigration(
      db.url,
      migrationOf('00_docs', [{ create_table: { name: 'docs', columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'title', type: 'text', nullable: true }, { name: 'tags', type: 'text[]', nullable: true }] } }]),
    );
    await sqlOn(db.url, `INSERT INTO docs SELECT g, 'doc ' || g, ARRAY['t' || (g % 3)] FROM generate_series(1, 200) g`);
  });
  afterAll(() => db.drop());

  it('builds the indexes concurrently at start (also on a column the same migration renames), drops them on rollback', async () => {
    const migration = migrationOf('01_indexes', [
      { rename_column: { table: 'docs', from: 'title', to: 'headline' } },
      {
        create_index: {
          table: 'docs',
          name: 'docs_headline_key',
          unique: true,
          columns: [{ column: 'headline', collate: 'C', sort: 'DESC', nulls: 'LAST' }],
          predicate: 'headline IS NOT NULL',
          storage_parameters: 'fillfactor=70',
        },
      },
      { create_index: { table: 'docs', name: 'docs_tags_gin', method: 'gin', columns: ['tags'] } },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        const indexes = await ctx.sql(INDEX_STATE);
        expect(indexes).toEqual([
          {
            name: 'docs_headline_key',
            valid: true,
            unique: true,
            definition: 'CREATE UNIQUE INDEX docs_headline_key ON public.docs USING btree (title COLLATE "C" DESC NULLS LAST) WITH (fillfactor=\'70\') WHERE (title IS NOT NULL)',
          },
          { name: 'docs_tags_gin', valid: true, unique: false, definition: 'CREATE INDEX docs_tags_gin ON public.docs USING gin (tags)' },
        ]);
        // The unique index holds for writes from either version.
        const oldVersion = await ctx.oldVersion();
        const newVersion = await ctx.newVersion();
        await expect(oldVersion.query(`INSERT INTO docs (id, title) VALUES (1000, 'doc 1')`)).rejects.toMatchObject({ code: '23505' });
        await expect(newVersion.query(`INSERT INTO docs (id, headline) VALUES (1001, 'doc 2')`)).rejects.toMatchObject({ code: '23505' });
        await newVersion.query(`INSERT INTO docs (id, headline) VALUES (1002, NULL), (1003, NULL)`);
      },
      async afterRollback(ctx) {
        expect(await ctx.sql(INDEX_STATE)).toEqual([]);
      },
      async afterComplete(ctx) {
        const indexes = await ctx.sql(INDEX_STATE);
        expect(indexes.map((index) => [index.name, index.valid])).toEqual([
          ['docs_headline_key', true],
          ['docs_tags_gin', true],
        ]);
        expect(indexes[0].definition).toContain('(headline COLLATE "C" DESC NULLS LAST)');
      },
    });
  });

  it('undoes a build that fails on existing duplicates, leaving no INVALID index behind', async () => {
    await sqlOn(db.url, `INSERT INTO docs (id, tags) VALUES (5000, '{dup}'), (5001, '{dup}')`);
    const before = await sqlOn(db.url, INDEX_STATE);
    await expect(
      applyMigration(db.url, migrationOf('04_unique_tags', [{ create_index: { table: 'docs', name: 'docs_tags_unique', unique: true, columns: ['tags'] } }])),
    ).rejects.toMatchObject({ code: 'OPERATION_FAILED', pgCode: '23505' });
    expect(await sqlOn(db.url, INDEX_STATE)).toEqual(before);
    expect(await sqlOn(db.url, `SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`)).toEqual([{ n: 0 }]);
  });

  it('refuses a duplicate index name and a hostile name, changing nothing', async () => {
    expect(() => migrationOf('02_bad', [{ create_index: { table: 'docs', name: 'i"; DROP TABLE docs; --', columns: ['id'] } }])).toThrow(
      expect.objectContaining({ code: 'INVALID_MIGRATION' }),
    );
    const before = await sqlOn(db.url, INDEX_STATE);
    await expect(
      applyMigration(db.url, migrationOf('03_bad', [{ create_index: { table: 'docs', name: 'docs_tags_gin', columns: ['id'] } }])),
    ).rejects.toMatchObject({ code: 'INVALID_MIGRATION', issues: [expect.objectContaining({ code: 'index_exists', path: 'operations[0].create_index.name' })] });
    expect(await sqlOn(db.url, INDEX_STATE)).toEqual(before);
  });
});
