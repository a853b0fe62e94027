import { Client } from 'pg';
import { introspect } from '../introspection/introspect';
import { createCycleDatabase, migrationOf, runOperationCycle, schemaDump, sqlOn, testEngine } from '../testing';
import { alterColumn } from './alter-column';

type Database = Awaited<ReturnType<typeof createCycleDatabase>>;

describe('alter_column: complete survives being re-run action by action (crash before progress was recorded)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createCycleDatabase('dup_alter_rerun');
    await sqlOn(
      db.url,
      `CREATE TABLE tags (id serial PRIMARY KEY, label varchar(10) NOT NULL UNIQUE, CONSTRAINT label_len CHECK (length(label) > 1));
       CREATE INDEX tags_label_idx ON tags (lower(label));
       INSERT INTO tags (label) VALUES ('aa'), ('bb');`,
    );
  });
  afterAll(() => db.drop());

  it('reaches the same final shape when every complete action runs twice', async () => {
    const model = await introspectOnce(db.url);
    const op = alterColumn.schema.parse({ table: 'tags', column: 'label', type: 'text', up: 'label', down: 'left(label, 10)' });
    const ctx = { schema: 'public', migrationName: 'm1', versionSchema: 'public_m1', model, index: 0 };
    expect(alterColumn.validate(op, ctx)).toEqual([]);
    const engine = testEngine(db.url);
    try {
      await engine.start(migrationOf('m1', [{ alter_column: { table: 'tags', column: 'label', type: 'text', up: 'label', down: 'left(label, 10)' } }]));
    } finally {
      await engine.close();
    }
    await sqlOn(db.url, 'DROP SCHEMA "public_m1" CASCADE');
    for (const action of alterColumn.complete(op, ctx)) {
      if (action.kind !== 'sql') continue;
      await sqlOn(db.url, action.sql);
      await sqlOn(db.url, action.sql);
    }
    expect(await sqlOn(db.url, `SELECT conname FROM pg_constraint WHERE conrelid = 'public.tags'::regclass ORDER BY conname COLLATE "C"`)).toEqual([
      { conname: 'label_len' },
      { conname: 'tags_label_key' },
      { conname: 'tags_pkey' },
    ]);
    expect(await sqlOn(db.url, `SELECT format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute WHERE attrelid = 'public.tags'::regclass AND attname = 'label'`)).toEqual([
      { type: 'text', attnotnull: true },
    ]);
    expect((await sqlOn(db.url, `SELECT indexname FROM pg_indexes WHERE tablename = 'tags' ORDER BY indexname COLLATE "C"`)).map((r) => r.indexname)).toEqual([
      'tags_label_idx',
      'tags_label_key',
      'tags_pkey',
    ]);
    expect(await sqlOn(db.url, `SELECT label FROM tags ORDER BY id`)).toEqual([{ label: 'aa' }, { label: 'bb' }]);
  });
});

async function introspectOnce(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await introspect(client, 'public');
  } finally {
    await client.end();
  }
}

describe('alter_column: awkward but valid identifiers (case, -, $, non-ASCII, 63 bytes)', () => {
  let db: Database;
  const longColumn = 'c'.repeat(63);
  beforeAll(async () => {
    db = await createCycleDatabase('dup_alter_names');
    await sqlOn(
      db.url,
      `CREATE TABLE "Ré-views$" (id integer PRIMARY KEY, "Rating-Ü$" text NOT NULL, "${longColumn}" text, "x2" integer GENERATED ALWAYS AS (id * 2) STORED);
       INSERT INTO "Ré-views$" (id, "Rating-Ü$", "${longColumn}") VALUES (1, '4', 'a');`,
    );
  });
  afterAll(() => db.drop());

  it('runs the full cycle with every name quoted and long internal names shortened deterministically', async () => {
    // x2 is a stored generated column: a BEFORE trigger sees it before it is computed, so it is
    // not among the variables up/down can use. A reference to it fails the backfill, and the
    // engine undoes the start.
    const before = await schemaDump(db.url, 'public');
    const engine = testEngine(db.url);
    try {
      const readsGenerated = migrationOf('m-$1', [
        { alter_column: { table: 'Ré-views$', column: 'Rating-Ü$', type: 'integer', up: 'CAST("Rating-Ü$" AS integer) + x2', down: 'CAST("Rating-Ü$" AS text)' } },
      ]);
      await expect(engine.start(readsGenerated)).rejects.toThrow(/x2/);
    } finally {
      await engine.close();
    }
    expect(await schemaDump(db.url, 'public')).toEqual(before);

    const plain = migrationOf('m-$2', [
      { alter_column: { table: 'Ré-views$', column: 'Rating-Ü$', type: 'integer', up: 'CAST("Rating-Ü$" AS integer)', down: 'CAST("Rating-Ü$" AS text)' } },
      { alter_column: { table: 'Ré-views$', column: longColumn, nullable: false, up: `COALESCE("${longColumn}", '?')` } },
    ]);
    await runOperationCycle(db.url, plain, {
      async afterStart(ctx) {
        const [oldVersion, newVersion] = [await ctx.oldVersion(), await ctx.newVersion()];
        await oldVersion.query(`INSERT INTO "Ré-views$" (id, "Rating-Ü$") VALUES (2, '5')`);
        expect((await newVersion.query(`SELECT id, "Rating-Ü$" AS r, "${longColumn}" AS l FROM "Ré-views$" ORDER BY id`)).rows).toEqual([
          { id: 1, r: 4, l: 'a' },
          { id: 2, r: 5, l: '?' },
        ]);
        const internal = await ctx.sql(`SELECT attname FROM pg_attribute WHERE attrelid = 'public."Ré-views$"'::regclass AND attname LIKE '\\_bascule%' ORDER BY attname`);
        expect(internal.map((row) => Buffer.byteLength(String(row.attname)))).toEqual([expect.any(Number), 63]);
      },
      async afterComplete(ctx) {
        expect(
          await ctx.sql(`SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute
                          WHERE attrelid = 'public."Ré-views$"'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`),
        ).toEqual([
          { attname: 'id', type: 'integer', attnotnull: true },
          { attname: 'x2', type: 'integer', attnotnull: false },
          { attname: 'Rating-Ü$', type: 'integer', attnotnull: true },
          { attname: longColumn, type: 'text', attnotnull: true },
        ]);
      },
    });
  });
});

describe('duplicating operations after renames in the same migration', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createCycleDatabase('dup_after_rename');
    await sqlOn(
      db.url,
      `CREATE TABLE items (id integer PRIMARY KEY, price text, old_note text, sku text);
       INSERT INTO items VALUES (1, '10', 'n1', 'a'), (2, '20', 'n2', 'b');`,
    );
  });
  afterAll(() => db.drop());

  it('alters, adds, drops and constrains columns of a table renamed (with a renamed column) earlier in the migration', async () => {
    const migration = migrationOf('m1', [
      { rename_table: { from: 'items', to: 'products' } },
      { rename_column: { table: 'products', from: 'price', to: 'cost' } },
      { alter_column: { table: 'products', column: 'cost', type: 'integer', up: 'CAST(cost AS integer)', down: 'CAST(cost AS text)' } },
      { add_column: { table: 'products', column: { name: 'label', type: 'text' }, up: "'item ' || id" } },
      { drop_column: { table: 'products', column: 'old_note', down: "'from new'" } },
      { create_constraint: { table: 'products', name: 'products_sku_key', type: 'unique', columns: ['sku'], up: { sku: "sku || '-' || id" }, down: { sku: 'sku' } } },
    ]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        const [oldVersion, newVersion] = [await ctx.oldVersion(), await ctx.newVersion()];
        expect((await newVersion.query(`SELECT id, cost, label, sku FROM products ORDER BY id`)).rows).toEqual([
          { id: 1, cost: 10, label: 'item 1', sku: 'a-1' },
          { id: 2, cost: 20, label: 'item 2', sku: 'b-2' },
        ]);
        await oldVersion.query(`INSERT INTO items (id, price, old_note, sku) VALUES (3, '30', 'n3', 'c')`);
        await newVersion.query(`INSERT INTO products (id, cost, label, sku) VALUES (4, 40, 'mine', 'd')`);
        expect((await oldVersion.query(`SELECT id, price, old_note, sku FROM items WHERE id IN (3, 4) ORDER BY id`)).rows).toEqual([
          { id: 3, price: '30', old_note: 'n3', sku: 'c' },
          { id: 4, price: '40', old_note: 'from new', sku: 'd' },
        ]);
      },
      async afterComplete(ctx) {
        expect(
          await ctx.sql(`SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute
                          WHERE attrelid = 'public.products'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`),
        ).toEqual([
          { attname: 'id', type: 'integer' },
          { attname: 'cost', type: 'integer' },
          { attname: 'label', type: 'text' },
          { attname: 'sku', type: 'text' },
        ]);
        // Rows 3 and 4 survived the first rollback in the old shape and were backfilled again.
        expect(await ctx.sql(`SELECT id, cost, label, sku FROM products ORDER BY id`)).toEqual([
          { id: 1, cost: 10, label: 'item 1', sku: 'a-1' },
          { id: 2, cost: 20, label: 'item 2', sku: 'b-2' },
          { id: 3, cost: 30, label: 'item 3', sku: 'c-3' },
          { id: 4, cost: 40, label: 'item 4', sku: 'd-4' },
        ]);
        expect((await ctx.sql(`SELECT conname FROM pg_constraint WHERE conrelid = 'public.products'::regclass ORDER BY conname COLLATE "C"`)).map((r) => r.conname)).toEqual([
          'items_pkey',
          'products_sku_key',
        ]);
      },
    });
  });
});

describe('alter_column on a serial primary key (int → bigint)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createCycleDatabase('dup_alter_serial');
    await sqlOn(db.url, `CREATE TABLE counters (id serial PRIMARY KEY, n integer); INSERT INTO counters (n) VALUES (10), (20);`);
  });
  afterAll(() => db.drop());

  it('keeps the sequence: both versions insert without ids, the key moves to the new column, the sequence follows it', async () => {
    const migration = migrationOf('m1', [{ alter_column: { table: 'counters', column: 'id', type: 'bigint', up: 'id', down: 'CAST(id AS integer)' } }]);
    await runOperationCycle(db.url, migration, {
      async afterStart(ctx) {
        const [oldVersion, newVersion] = [await ctx.oldVersion(), await ctx.newVersion()];
        await oldVersion.query(`INSERT INTO counters (n) VALUES (30)`);
        await newVersion.query(`INSERT INTO counters (n) VALUES (40)`);
        const rows = (await newVersion.query(`SELECT id, n FROM counters ORDER BY n`)).rows;
        expect(rows.map((row) => row.n)).toEqual([10, 20, 30, 40]);
        expect(new Set(rows.map((row) => row.id)).size).toBe(4);
        expect((await oldVersion.query(`SELECT id FROM counters ORDER BY n`)).rows.map((row) => String(row.id))).toEqual(rows.map((row) => String(row.id)));
      },
      async afterComplete(ctx) {
        expect(await ctx.sql(`SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'public.counters'::regclass AND attname = 'id'`)).toEqual([
          { type: 'bigint' },
        ]);
        expect(await ctx.sql(`SELECT pg_get_serial_sequence('public.counters', 'id') AS seq`)).toEqual([{ seq: 'public.counters_id_seq' }]);
        expect(await ctx.sql(`SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'public.counters'::regclass`)).toEqual([
          { conname: 'counters_pkey', def: 'PRIMARY KEY (id)' },
        ]);
        const newVersion = await ctx.newVersion();
        const [row] = (await newVersion.query(`INSERT INTO counters (n) VALUES (50) RETURNING id`)).rows;
        const max = await ctx.sql(`SELECT max(id) AS m FROM counters WHERE n < 50`);
        expect(BigInt(row.id)).toBeGreaterThan(BigInt(String(max[0].m)));
      },
    });
  });
});
