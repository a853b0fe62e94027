import { Client } from 'pg';
import type { TestDatabase } from '@bascule/testing';
import {
  InvalidMigrationError,
  LockTimeoutError,
  MigrationAlreadyActiveError,
  MigrationAlreadyAppliedError,
  NoActiveMigrationError,
  OperationFailedError,
} from '../errors';
import { createCycleDatabase, migrationOf, schemaDump, sqlOn, testEngine, withVersion } from '../testing';

const items = (name: string, extra: object[] = []) => ({
  create_table: { name, columns: [{ name: 'id', type: 'integer', pk: true }, { name: 'label', type: 'text', nullable: true }, ...extra] },
});

describe('migration runner (real Postgres)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createCycleDatabase('se_runner');
    await sqlOn(db.url, 'CREATE TABLE accounts (id integer PRIMARY KEY, balance integer NOT NULL)');
  });
  afterAll(() => db.drop());

  afterEach(async () => {
    const engine = testEngine(db.url);
    await engine.rollback().catch((error) => {
      if (!(error instanceof NoActiveMigrationError)) throw error;
    });
    await engine.close();
  });

  it('starts, serves both versions, completes; a second start of the same name is refused', async () => {
    const engine = testEngine(db.url);
    try {
      const started = await engine.start(migrationOf('add_items', [items('items')]));
      expect(started.versionSchema).toBe('public_add_items');
      const newVersion = await withVersion(db.url, started.versionSchema);
      await newVersion.query(`INSERT INTO items VALUES (1, 'one')`);
      expect((await newVersion.query('SELECT label FROM accounts, items')).rows).toEqual([]);
      await newVersion.end();
      expect((await engine.status()).active).toMatchObject({ name: 'add_items', status: 'active' });
      await engine.complete();
      const status = await engine.status();
      expect(status.active).toBeNull();
      expect(status.latestVersionSchema).toBe('public_add_items');
      await expect(engine.start(migrationOf('add_items', [items('items2')]))).rejects.toBeInstanceOf(MigrationAlreadyAppliedError);
    } finally {
      await engine.close();
    }
  });

  it('refuses a second active migration on the same schema with MIGRATION_ALREADY_ACTIVE', async () => {
    const engine = testEngine(db.url);
    const other = testEngine(db.url);
    try {
      await engine.start(migrationOf('first', [items('first_t')]));
      const refusal = await other.start(migrationOf('second', [items('second_t')])).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(MigrationAlreadyActiveError);
      expect(refusal).toMatchObject({ code: 'MIGRATION_ALREADY_ACTIVE', activeMigration: 'first' });
      expect(await sqlOn(db.url, `SELECT to_regclass('public.second_t') AS t`)).toEqual([{ t: null }]);
      // Starting the active migration again is a no-op (at-least-once callers).
      expect(await engine.start(migrationOf('first', [items('first_t')]))).toMatchObject({ alreadyActive: true });
    } finally {
      await engine.close();
      await other.close();
    }
  });

  it('two engines starting different migrations at once: exactly one wins, the other is refused', async () => {
    const engines = [testEngine(db.url), testEngine(db.url)];
    try {
      const results = await Promise.allSettled([
        engines[0].start(migrationOf('racer_a', [items('racer_a_t')])),
        engines[1].start(migrationOf('racer_b', [items('racer_b_t')])),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refusal = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
      expect(['MIGRATION_ALREADY_ACTIVE', 'SCHEMA_BUSY']).toContain(refusal?.code);
      const tables = await sqlOn(db.url, `SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'r' AND relname IN ('racer_a_t', 'racer_b_t')`);
      expect(tables).toEqual([{ n: 1 }]);
    } finally {
      await Promise.all(engines.map((engine) => engine.close()));
    }
  });

  it('validates against the live schema and changes nothing on any issue', async () => {
    const engine = testEngine(db.url);
    try {
      const before = await schemaDump(db.url, 'public');
      const error = await engine
        .start(migrationOf('bad', [items('accounts'), { rename_column: { table: 'nope', from: 'a', to: 'b' } }]))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidMigrationError);
      const paths = (error as InvalidMigrationError).issues.map((issue) => issue.path);
      expect(paths.some((path) => path.startsWith('operations[0].create_table'))).toBe(true);
      expect(paths.some((path) => path.startsWith('operations[1].rename_column'))).toBe(true);
      expect(await schemaDump(db.url, 'public')).toBe(before);
      expect((await engine.status()).active).toBeNull();
    } finally {
      await engine.close();
    }
  });

  it('refuses a migration whose version schema name would exceed 63 bytes', async () => {
    const engine = testEngine(db.url);
    try {
      const error = await engine.start(migrationOf('x'.repeat(60), [items('long_t')])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidMigrationError);
      expect((error as InvalidMigrationError).issues).toEqual([expect.objectContaining({ path: 'version_schema', code: 'identifier_too_long' })]);
      expect(await sqlOn(db.url, `SELECT to_regclass('public.long_t') AS t`)).toEqual([{ t: null }]);
    } finally {
      await engine.close();
    }
  });

  it('a start failing in Postgres undoes itself: error names the operation and SQLSTATE, dump identical', async () => {
    const engine = testEngine(db.url);
    try {
      const before = await schemaDump(db.url, 'public');
      const failing = migrationOf('fails', [
        items('made_first'),
        items('made_second', [{ name: 'n', type: 'integer', default: 'no_such_function()' }]),
      ]);
      const error = await engine.start(failing).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OperationFailedError);
      expect(error).toMatchObject({ pgCode: '42883', location: { index: 1, kind: 'create_table', phase: 'start' } });
      expect((error as Error).message).toContain('nothing changed');
      expect(await schemaDump(db.url, 'public')).toBe(before);
      expect(await sqlOn(db.url, `SELECT 1 FROM pg_namespace WHERE nspname = 'public_fails'`)).toEqual([]);
      expect((await engine.status()).migrations.find((m) => m.name === 'fails')).toMatchObject({ status: 'failed' });
      // The name is free again once the file is fixed.
      await engine.start(migrationOf('fails', [items('made_first')]));
    } finally {
      await engine.close();
    }
  });

  describe('lock timeout', () => {
    // EXCLUSIVE lets readers (introspection, CREATE VIEW) through but blocks the SHARE ROW
    // EXCLUSIVE lock a new foreign key takes on the table it references: only the DDL waits.
    async function holdLock(table: string, mode = 'EXCLUSIVE'): Promise<Client> {
      const holder = new Client({ connectionString: db.url });
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query(`LOCK TABLE ${table} IN ${mode} MODE`);
      return holder;
    }
    const referencing = (name: string) =>
      items(name, [{ name: 'account', type: 'integer', references: { name: `${name}_account_fk`, table: 'accounts', column: 'id' } }]);

    it('retries DDL while a lock is held and succeeds once it is released', async () => {
      const attempts: number[] = [];
      const engine = testEngine(db.url, {
        lockTimeoutMs: 200,
        retry: { maxAttempts: 20, baseDelayMs: 50, maxDelayMs: 300 },
        onAction: (event) => attempts.push(event.attempts),
      });
      const holder = await holdLock('accounts');
      const release = setTimeout(() => void holder.query('COMMIT'), 1500);
      try {
        const began = Date.now();
        await engine.start(migrationOf('waits', [referencing('waits_t')]));
        expect(Date.now() - began).toBeGreaterThanOrEqual(1400);
        expect(Math.max(...attempts)).toBeGreaterThan(1);
      } finally {
        clearTimeout(release);
        await holder.end();
        await engine.close();
      }
    });

    it('under ACCESS EXCLUSIVE even reading the catalog waits under lock_timeout: retried, then it goes through', async () => {
      const engine = testEngine(db.url, { lockTimeoutMs: 200, retry: { maxAttempts: 30, baseDelayMs: 50, maxDelayMs: 300 } });
      const holder = await holdLock('accounts', 'ACCESS EXCLUSIVE');
      const release = setTimeout(() => void holder.query('COMMIT'), 1500);
      try {
        const began = Date.now();
        await engine.start(migrationOf('waits_all', [referencing('waits_all_t')]));
        expect(Date.now() - began).toBeGreaterThanOrEqual(1400);
      } finally {
        clearTimeout(release);
        await holder.end();
        await engine.close();
      }
    });

    it('under a never-released ACCESS EXCLUSIVE lock: LockTimeoutError, nothing changed', async () => {
      const engine = testEngine(db.url, { lockTimeoutMs: 100, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
      const before = await schemaDump(db.url, 'public');
      const holder = await holdLock('accounts', 'ACCESS EXCLUSIVE');
      try {
        await expect(engine.start(migrationOf('blocked_all', [items('blocked_all_t')]))).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
        await engine.close();
      }
      expect(await schemaDump(db.url, 'public')).toBe(before);
    });

    it('gives up with LockTimeoutError when the lock is never released, and changes nothing', async () => {
      const engine = testEngine(db.url, { lockTimeoutMs: 100, retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 } });
      const before = await schemaDump(db.url, 'public');
      const holder = await holdLock('accounts');
      try {
        const error = await engine.start(migrationOf('blocked', [items('made_t'), referencing('blocked_t')])).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(LockTimeoutError);
        expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', attempts: 3, location: { index: 1, phase: 'start' } });
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
        await engine.close();
      }
      expect(await schemaDump(db.url, 'public')).toBe(before);
      expect(await sqlOn(db.url, `SELECT 1 FROM pg_namespace WHERE nspname = 'public_blocked'`)).toEqual([]);
    });
  });
});
