import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { Pool } from 'pg';
import { compareWithBaseline } from '../compare/compare-with-baseline';
import { ColumnNotFoundError } from '../errors/column-not-found.error';
import { InvalidIdentifierError } from '../errors/invalid-identifier.error';
import { InvalidOptionError } from '../errors/invalid-option.error';
import { KeyNotUsableError } from '../errors/key-not-usable.error';
import { NoKeyError } from '../errors/no-key.error';
import { TableNotFoundError } from '../errors/table-not-found.error';
import { takeBaseline } from './take-baseline';

describe('takeBaseline', () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('dv_baseline');
    pool = new Pool({ connectionString: database.url, max: 2 });
    await pool.query('CREATE TABLE items (id int PRIMARY KEY, name text, price numeric)');
    await pool.query(`INSERT INTO items SELECT g, 'item ' || g, g / 10.0 FROM generate_series(1, 1050) g`);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it('cuts segments of segmentRows keys whose checksums add up to the table', async () => {
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'items', segmentRows: 250 });
    expect(baseline).toMatchObject({ coverage: 'segments', rowCount: 1050, rowHashes: null, key: { columns: ['id'], source: 'primary-key' } });
    expect(baseline.segments.map((s) => [s.lower, s.upper, s.rowCount])).toEqual([
      [null, ['251'], 250],
      [['251'], ['501'], 250],
      [['501'], ['751'], 250],
      [['751'], ['1001'], 250],
      [['1001'], null, 50],
    ]);
    const total = baseline.segments.reduce((sum, s) => sum + BigInt(s.checksum), 0n);
    expect(total.toString()).toBe(baseline.checksum);
  });

  it('gives the same checksum with either hash whenever nothing changed, and different ones per hash', async () => {
    const md5 = await takeBaseline(pool, { schema: 'public', table: 'items', hash: 'md5' });
    const again = await takeBaseline(pool, { schema: 'public', table: 'items', hash: 'md5' });
    const fast = await takeBaseline(pool, { schema: 'public', table: 'items', hash: 'hashtextextended' });
    expect(again.checksum).toBe(md5.checksum);
    expect(fast.checksum).not.toBe(md5.checksum);
  });

  it('names the mismatching segment, but no keys, from a segment-only baseline', async () => {
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'items', segmentRows: 500 });
    await pool.query('UPDATE items SET price = price + 1 WHERE id = 700');
    try {
      const report = await compareWithBaseline(pool, baseline);
      expect(report).toMatchObject({ ok: false, differingKeys: null, note: expect.stringMatching(/mode 'rows'/) });
      expect(report.mismatchedSegments).toEqual([
        {
          lower: { id: '501' },
          upper: { id: '1001' },
          before: { rowCount: 500, checksum: baseline.segments[1].checksum },
          after: { rowCount: 500, checksum: expect.not.stringMatching(`^${baseline.segments[1].checksum}$`) },
        },
      ]);
    } finally {
      await pool.query('UPDATE items SET price = price - 1 WHERE id = 700');
    }
    expect((await compareWithBaseline(pool, baseline)).ok).toBe(true);
  });

  it('compares logical columns whatever their physical order', async () => {
    await pool.query('CREATE TABLE items_reordered (price numeric, id int PRIMARY KEY, name text)');
    await pool.query('INSERT INTO items_reordered SELECT price, id, name FROM items');
    const columns = ['id', 'name', 'price'];
    const a = await takeBaseline(pool, { schema: 'public', table: 'items', columns });
    const b = await takeBaseline(pool, { schema: 'public', table: 'items_reordered', columns });
    const physical = await takeBaseline(pool, { schema: 'public', table: 'items_reordered' });
    expect(b.checksum).toBe(a.checksum);
    expect(physical.checksum).not.toBe(a.checksum);
  });

  it('checksums segments without sorting the table (no temp files under a tiny work_mem)', async () => {
    await pool.query('CREATE TABLE wide (id int PRIMARY KEY, payload text NOT NULL)');
    await pool.query(`INSERT INTO wide SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 100000) g`);
    await pool.query('VACUUM ANALYZE wide');
    const client = await pool.connect();
    try {
      // temp_file_limit = 0 makes any spill to disk an error: a sort of 100 000 wide rows in 256 kB would spill.
      await client.query(`SET work_mem = '256kB'`);
      await client.query('SET temp_file_limit = 0');
      // Left to itself the planner groups by bucket with a sort (it expects one group per id) and spills.
      const unsteered = `SELECT width_bucket(id, ARRAY(SELECT g * 10000 + 1 FROM generate_series(1, 9) g)) AS b, count(*),
                                sum(hashtextextended(ROW(id, payload)::text, 0)) FROM wide GROUP BY 1`;
      await expect(client.query(unsteered)).rejects.toThrow(/temp_file_limit/);
      const baseline = await takeBaseline(client, { schema: 'public', table: 'wide', segmentRows: 10_000 });
      expect(baseline.segments).toHaveLength(10);
      expect(baseline.rowCount).toBe(100_000);
      expect((await client.query('SHOW enable_sort')).rows[0].enable_sort).toBe('on');
    } finally {
      await client.query('RESET work_mem; RESET temp_file_limit');
      client.release();
    }
  });

  it('cuts more segments than the protocol has bind parameters when asked to', async () => {
    await pool.query('CREATE TABLE tiny_segments (id int PRIMARY KEY)');
    await pool.query('INSERT INTO tiny_segments SELECT generate_series(1, 66000)');
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'tiny_segments', segmentRows: 1, maxSegments: 100_000 });
    expect(baseline.segments).toHaveLength(66_000);
    await pool.query('DELETE FROM tiny_segments WHERE id = 65999');
    const report = await compareWithBaseline(pool, baseline);
    expect(report.mismatchedSegments).toEqual([{ lower: { id: '65999' }, upper: { id: '66000' }, before: expect.objectContaining({ rowCount: 1 }), after: { rowCount: 0, checksum: '0' } }]);
  });

  it('raises segmentRows to stay within maxSegments by the planner estimate', async () => {
    await pool.query('ANALYZE items');
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'items', segmentRows: 10, maxSegments: 7 });
    expect(baseline.segmentRows).toBe(150);
    expect(baseline.segments).toHaveLength(7);
  });

  it('takes a baseline of an empty table and sees the first row arrive', async () => {
    await pool.query('CREATE TABLE empty_one (id int PRIMARY KEY)');
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'empty_one' });
    expect(baseline).toMatchObject({ rowCount: 0, checksum: '0', segments: [{ lower: null, upper: null, rowCount: 0, checksum: '0' }] });
    await pool.query('INSERT INTO empty_one VALUES (1)');
    expect(await compareWithBaseline(pool, baseline)).toMatchObject({ ok: false, rowCount: { before: 0, after: 1 } });
  });

  it('checksums a table without a key as a whole and says so', async () => {
    await pool.query('CREATE TABLE events_log (message text, at int)');
    await pool.query(`INSERT INTO events_log VALUES ('a', 1), ('a', 1), (NULL, 2), ('', 2)`);
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'events_log' });
    expect(baseline).toMatchObject({ coverage: 'whole-table', key: null, rowCount: 4, note: expect.stringMatching(/no primary key/) });
    expect((await compareWithBaseline(pool, baseline)).ok).toBe(true);

    // A duplicate removed: a sum (unlike XOR) notices, and NULL and '' are different texts.
    await pool.query(`DELETE FROM events_log WHERE ctid = (SELECT min(ctid) FROM events_log WHERE message = 'a')`);
    const afterDelete = await compareWithBaseline(pool, baseline);
    expect(afterDelete).toMatchObject({ ok: false, rowCount: { before: 4, after: 3 }, differingKeys: null });
    await pool.query(`INSERT INTO events_log VALUES ('a', 1)`);
    await pool.query(`UPDATE events_log SET message = '' WHERE message IS NULL`);
    await pool.query(`UPDATE events_log SET message = NULL WHERE message = '' AND ctid = (SELECT max(ctid) FROM events_log WHERE message = '')`);
    expect((await compareWithBaseline(pool, baseline)).ok).toBe(true);
    await pool.query(`UPDATE events_log SET message = '' WHERE message IS NULL`);
    expect((await compareWithBaseline(pool, baseline)).ok).toBe(false);

    await expect(takeBaseline(pool, { schema: 'public', table: 'events_log', mode: 'rows' })).rejects.toBeInstanceOf(NoKeyError);
  });

  it('uses given unique NOT NULL key columns, and refuses unusable ones', async () => {
    await pool.query('CREATE TABLE users (id serial, email text NOT NULL UNIQUE, nickname text)');
    await pool.query(`INSERT INTO users (email) SELECT 'u' || g || '@x' FROM generate_series(1, 30) g`);
    const baseline = await takeBaseline(pool, { schema: 'public', table: 'users', keyColumns: ['email'], segmentRows: 10 });
    expect(baseline.key).toEqual({ columns: ['email'], types: ['text'], collations: [null], source: 'given' });
    expect(baseline.segments).toHaveLength(3);
    await expect(takeBaseline(pool, { schema: 'public', table: 'users', keyColumns: ['nickname'] })).rejects.toBeInstanceOf(KeyNotUsableError);
    await expect(takeBaseline(pool, { schema: 'public', table: 'users', keyColumns: ['id'] })).rejects.toThrow(/no unique index/);
  });

  it('handles hostile but legal identifiers by quoting them', async () => {
    await pool.query(`CREATE SCHEMA "we""ird; schema"`);
    await pool.query(`CREATE TABLE "we""ird; schema"."Tab'le; DROP TABLE items; --" ("I d" int PRIMARY KEY, "v""al" text)`);
    await pool.query(`INSERT INTO "we""ird; schema"."Tab'le; DROP TABLE items; --" SELECT g, g::text FROM generate_series(1, 20) g`);
    const baseline = await takeBaseline(pool, {
      schema: 'we"ird; schema',
      table: "Tab'le; DROP TABLE items; --",
      segmentRows: 7,
      mode: 'rows',
    });
    expect(baseline.rowCount).toBe(20);
    await pool.query(`UPDATE "we""ird; schema"."Tab'le; DROP TABLE items; --" SET "v""al" = 'x' WHERE "I d" = 9`);
    const report = await compareWithBaseline(pool, baseline);
    expect(report.differingKeys?.changed.keys).toEqual([{ 'I d': '9' }]);
    expect((await pool.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(1050);
  });

  it('rejects bad names and options with typed errors before reading', async () => {
    await expect(takeBaseline(pool, { schema: 'public', table: 'nope' })).rejects.toBeInstanceOf(TableNotFoundError);
    await expect(takeBaseline(pool, { schema: 'public', table: 'items"; DROP TABLE items; --' })).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
    await expect(takeBaseline(pool, { schema: 'public', table: 'a\0b' })).rejects.toBeInstanceOf(InvalidIdentifierError);
    await expect(takeBaseline(pool, { schema: 'public', table: 'items', columns: ['id', 'ghost'] })).rejects.toBeInstanceOf(ColumnNotFoundError);
    await expect(takeBaseline(pool, { schema: 'public', table: 'items', segmentRows: 0 })).rejects.toBeInstanceOf(InvalidOptionError);
    expect((await pool.query('SELECT count(*)::int AS n FROM items')).rows[0].n).toBe(1050);
  });

  it('reads in a READ ONLY transaction: a row function that writes fails and writes nothing', async () => {
    await pool.query('CREATE TABLE touched (id int)');
    await pool.query('CREATE FUNCTION touch(int) RETURNS int LANGUAGE sql VOLATILE AS $$ INSERT INTO touched VALUES ($1) RETURNING $1 $$');
    await pool.query('CREATE VIEW touchy_items AS SELECT id, touch(id) AS t FROM items');
    await expect(takeBaseline(pool, { schema: 'public', table: 'touchy_items' })).rejects.toMatchObject({ code: '25006' });
    expect((await pool.query('SELECT count(*)::int AS n FROM touched')).rows[0].n).toBe(0);
  });

  it('stops at statement_timeout with a typed error and leaves the connection usable', async () => {
    await pool.query('CREATE FUNCTION slow(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 FROM pg_sleep(0.01) $$');
    await pool.query('CREATE VIEW slow_items AS SELECT id, slow(id) AS s FROM items');
    const client = await pool.connect();
    try {
      await expect(takeBaseline(client, { schema: 'public', table: 'slow_items', statementTimeoutMs: 50 })).rejects.toMatchObject({
        code: 'QUERY_TIMEOUT',
        limit: 'statement_timeout',
      });
      expect((await client.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('0');
    } finally {
      client.release();
    }
  });
});
