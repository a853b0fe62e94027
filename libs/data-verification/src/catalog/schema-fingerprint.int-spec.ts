import { parseMigration, SchemaEngine } from '@bascule/schema-engine';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { Pool } from 'pg';
import { fingerprintDifferences, schemaFingerprint } from './schema-fingerprint';

describe('schemaFingerprint (real Postgres)', () => {
  let database: TestDatabase;
  let pool: Pool;
  let engine: SchemaEngine;
  const accounts = [{ schema: 'public', table: 'accounts' }];

  beforeAll(async () => {
    database = await createTestDatabase('dv_fingerprint');
    pool = new Pool({ connectionString: database.url, max: 2 });
    engine = new SchemaEngine({ databaseUrl: database.url });
    await pool.query(`CREATE TABLE accounts (id int PRIMARY KEY, balance integer NOT NULL DEFAULT 0, owner text CHECK (owner <> ''));
                      CREATE INDEX accounts_owner_idx ON accounts (owner);
                      CREATE VIEW rich AS SELECT id FROM accounts WHERE balance > 1000;
                      INSERT INTO accounts SELECT g, g, 'o' || g FROM generate_series(1, 100) g`);
  });

  afterAll(async () => {
    await engine?.close();
    await pool?.end();
    await database?.drop();
  });

  it('an expanded alter_column rolled back leaves the same shape; contracted, it names the new type', async () => {
    const before = await schemaFingerprint(pool, accounts);
    expect(before.tables[0]).toMatchObject({
      exists: true,
      columns: ['id integer NOT NULL', 'balance integer NOT NULL DEFAULT 0', 'owner text'],
      indexes: [expect.stringMatching(/^accounts_owner_idx: CREATE INDEX/), expect.stringMatching(/^accounts_pkey: CREATE UNIQUE INDEX/)],
      views: [expect.stringMatching(/^rich: /)],
    });
    const widen = () => parseMigration({ operations: [{ alter_column: { table: 'accounts', column: 'balance', type: 'bigint', up: 'balance', down: 'balance' } }] }, 'widen', 'json');

    await engine.start(widen());
    expect(fingerprintDifferences(before, await schemaFingerprint(pool, accounts)).length).toBeGreaterThan(0);
    await engine.rollback();
    const rolledBack = await schemaFingerprint(pool, accounts);
    expect(fingerprintDifferences(before, rolledBack)).toEqual([]);
    expect(rolledBack.digest).toBe(before.digest);

    await pool.query('DROP VIEW rich');
    await engine.start(widen());
    await engine.complete();
    expect(fingerprintDifferences(before, await schemaFingerprint(pool, accounts))).toEqual(
      expect.arrayContaining(['public.accounts: column balance integer NOT NULL DEFAULT 0 is gone', 'public.accounts: column balance bigint NOT NULL DEFAULT 0 is new']),
    );
  });

  it('names a table left behind, a table gone, a disabled trigger, an invalid index and a reordered column list', async () => {
    await pool.query(`CREATE TABLE audit (id int PRIMARY KEY, note text);
                      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                      CREATE TRIGGER audit_touch BEFORE UPDATE ON audit FOR EACH ROW EXECUTE FUNCTION touch()`);
    const tables = [{ schema: 'public', table: 'audit' }, { schema: 'public', table: 'created_later' }];
    const before = await schemaFingerprint(pool, tables);
    expect(before.tables[1]).toMatchObject({ exists: false });

    await pool.query(`CREATE TABLE created_later (id int);
                      ALTER TABLE audit DISABLE TRIGGER audit_touch;
                      INSERT INTO audit VALUES (1, 'a'), (2, 'a');
                      UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'audit_pkey'::regclass`);
    const differences = fingerprintDifferences(before, await schemaFingerprint(pool, tables));
    expect(differences).toEqual(
      expect.arrayContaining([
        'public.created_later: the table exists, and did not before',
        expect.stringMatching(/^public\.audit: trigger audit_touch: CREATE TRIGGER .* DISABLED is new$/),
        expect.stringMatching(/^public\.audit: index audit_pkey: .* INVALID is new$/),
      ]),
    );

    await pool.query(`DROP TABLE audit; CREATE TABLE audit (note text, id int PRIMARY KEY)`);
    const reordered = fingerprintDifferences(before, await schemaFingerprint(pool, tables));
    expect(reordered).toContain('public.audit: the columns are in another order');
    await pool.query('DROP TABLE audit');
    expect(fingerprintDifferences(before, await schemaFingerprint(pool, tables))).toContain('public.audit: the table is gone');
  });
});
