import * as childProcess from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TakeBackup, type BackupTaken, type MessageData } from '@bascule/contracts';
import { ensureEventStoreSchema, type StoredEvent } from '@bascule/event-store';
import { RecordedMigration } from '@bascule/plan-binding/testing';
import { PG_POOL, serviceConfig, ServiceKitModule } from '@bascule/service-kit';
import { createTestDatabase, uniqueBusPrefix, queryOnce, uniqueName, type TestDatabase } from '@bascule/testing';
import { Client, type Pool } from 'pg';
import { DataVerifierModule } from '../data-verifier.module';
import { BackupHandler } from './backup.handler';
import { resolvePgTool } from './pg-tools';
import { takeBackup } from './take-backup';
import { verifyBackupFile } from './verify-backup-file';

jest.setTimeout(120_000);

const PASSWORD = 'never-in-argv-7f3a';

describe('backup steps (real Postgres)', () => {
  let store: TestDatabase;
  let target: TestDatabase;
  let app: INestApplication;
  let pool: Pool;
  let dir: string;
  // Trust authentication ignores the password; it is there to prove where it travels.
  let targetUrl: string;

  const onTarget = <T>(sql: string): Promise<T[]> => queryOnce<T>(target.url, sql);
  const backupStep = async (tables: string[]) => {
    const migration = await RecordedMigration.plan(pool, uniqueName('mig'), 'app', [{ id: 'before-drop', backup: { tables } }]);
    await app.get(BackupHandler).take(TakeBackup.schema.parse(await migration.dispatch('before-drop')));
    return (await migration.agentEvents()).at(-1) as StoredEvent;
  };
  const scratchDatabases = async () => (await onTarget<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'bascule_backup_check_%'")).map((row) => row.datname);

  beforeAll(async () => {
    store = await createTestDatabase('bk_store');
    target = await createTestDatabase('bk_target');
    dir = await mkdtemp(join(tmpdir(), 'bascule-backups-'));
    const url = new URL(target.url);
    url.password = PASSWORD;
    targetUrl = url.toString();
    process.env['BASCULE_TARGET_APP_URL'] = targetUrl;
    process.env['BASCULE_BUS_PREFIX'] = uniqueBusPrefix();
    process.env['BASCULE_BACKUP_DIR'] = dir;
    const config = serviceConfig('data-verifier', 0, { BASCULE_DATABASE_URL: store.url });
    const moduleRef = await Test.createTestingModule({ imports: [ServiceKitModule.forService(config), DataVerifierModule] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    pool = app.get<Pool>(PG_POOL);
    await ensureEventStoreSchema(pool);
    await app.init();
    await onTarget(`
      CREATE TABLE accounts (id bigserial PRIMARY KEY, owner text NOT NULL, balance numeric(12, 2), opened timestamptz DEFAULT now());
      INSERT INTO accounts (owner, balance) SELECT 'owner ' || g, g * 1.5 FROM generate_series(1, 20000) g;
      CREATE SCHEMA ledger;
      CREATE TABLE ledger.entries (account bigint, amount integer, note text);
      INSERT INTO ledger.entries SELECT g % 500, g, CASE WHEN g % 7 = 0 THEN NULL ELSE 'e' || g END FROM generate_series(1, 15000) g;
    `);
  });

  afterAll(async () => {
    await app?.close();
    delete process.env['BASCULE_TARGET_APP_URL'];
    delete process.env['BASCULE_BUS_PREFIX'];
    delete process.env['BASCULE_BACKUP_DIR'];
    await store?.drop();
    await target?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('dumps two tables under concurrent writes, restores the file into a scratch database and records BackupTaken with equal checksums', async () => {
    const writer = new Client({ connectionString: target.url });
    await writer.connect();
    let writing = true;
    let writes = 0;
    const load = (async () => {
      while (writing) {
        await writer.query("INSERT INTO accounts (owner, balance) VALUES ('late', 1); UPDATE accounts SET balance = balance + 1 WHERE id = 1 + (random() * 19999)::int; INSERT INTO ledger.entries VALUES (1, 1, 'late')");
        writes += 1;
      }
    })();
    let event: StoredEvent;
    try {
      event = await backupStep(['accounts', 'ledger.entries']);
    } finally {
      writing = false;
      await load;
      await writer.end();
    }
    expect(writes).toBeGreaterThan(0);
    // Writes went on after the dump's snapshot: the live table moved on, the backup is the snapshot's.
    const [live] = await onTarget<{ count: string }>('SELECT count(*) FROM accounts');
    expect(Number(live?.count)).toBeGreaterThan((event.data as MessageData<typeof BackupTaken>).tables[0]?.rowCount ?? Infinity);
    expect(event.type).toBe('BackupTaken');
    const taken = event.data as MessageData<typeof BackupTaken>;
    expect(taken).toMatchObject({ format: 'custom', restoreCheck: { passed: true } });
    expect(taken.tables.map((table) => table.table)).toEqual(['accounts', 'ledger.entries']);
    expect(taken.tables[0]?.rowCount).toBeGreaterThanOrEqual(20000);
    expect(taken.tables[1]?.rowCount).toBeGreaterThanOrEqual(15000);
    for (const check of taken.restoreCheck.tables) {
      expect(check.equal).toBe(true);
      expect(check.restored).toEqual(check.source);
    }
    // The file is complete under its final name, with the recorded size, and pg_restore reads its table of contents.
    expect(taken.path.startsWith(dir)).toBe(true);
    expect(taken.path).toMatch(/-before-drop-\d{8}T\d{6}\d{3}Z\.dump$/);
    expect((await stat(taken.path)).size).toBe(taken.sizeBytes);
    expect((await stat(taken.path)).mode & 0o777).toBe(0o600);
    const list = childProcess.execFileSync(resolvePgTool('pg_restore'), ['--list', taken.path], { encoding: 'utf8' });
    expect(list).toMatch(/TABLE DATA public accounts/);
    expect(list).toMatch(/TABLE DATA ledger entries/);
    expect((await readdir(dir)).filter((name) => name.endsWith('.partial'))).toEqual([]);
    // The scratch copy is gone.
    expect(await scratchDatabases()).not.toContain(taken.restoreCheck.database);
  });

  it('passes the connection to pg_dump and pg_restore through their environment: the password is never in argv', async () => {
    const spawned: Array<{ file: string; args: readonly string[]; env: NodeJS.ProcessEnv | undefined }> = [];
    const recording = ((file: string, args: readonly string[], options: childProcess.SpawnOptions) => {
      spawned.push({ file, args, env: options.env });
      return childProcess.spawn(file, args, options);
    }) as typeof childProcess.spawn;
    const taken = await takeBackup({ migrationId: 'm-argv', stepId: 'argv', targetUrl, tables: ['accounts'] }, { spawner: recording });
    expect(taken.restoreCheck.passed).toBe(true);
    expect(spawned.map(({ file }) => file.split('/').at(-1))).toEqual(['pg_dump', 'pg_restore']);
    for (const { args, env } of spawned) {
      expect(args.join(' ')).not.toContain(PASSWORD);
      expect(args.join(' ')).not.toContain('postgres://');
      expect(env?.['PGPASSWORD']).toBe(PASSWORD);
    }
    expect(spawned[0]?.args).toEqual(expect.arrayContaining(['--format=custom', '--table="public"."accounts"']));
  });

  it('detects a corrupted backup file: a truncated dump does not restore (RESTORE_FAILED), and the scratch database is dropped anyway', async () => {
    const event = await backupStep(['accounts']);
    expect(event.type).toBe('BackupTaken');
    const taken = event.data as MessageData<typeof BackupTaken>;
    const corrupted = join(dir, 'corrupted.dump');
    const bytes = await readFile(taken.path);
    await writeFile(corrupted, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const expected = taken.tables;
    await expect(verifyBackupFile(corrupted, { targetUrl, expected })).rejects.toMatchObject({ code: 'RESTORE_FAILED' });
    expect(await scratchDatabases()).toEqual([]);

    // A file that restores but holds other rows than the ones it claims fails the comparison, naming the table.
    const stale = join(dir, 'stale.dump');
    await copyFile(taken.path, stale);
    const [accounts] = expected;
    if (!accounts) throw new Error('BackupTaken named no table');
    const check = await verifyBackupFile(stale, { targetUrl, expected: [{ ...accounts, rowCount: accounts.rowCount + 1 }] });
    expect(check).toMatchObject({ passed: false, tables: [{ table: 'accounts', equal: false }] });
    expect(await scratchDatabases()).toEqual([]);
  });

  it('a table that is not there fails the step with BackupFailed (pg_dump --strict-names) and leaves no file', async () => {
    const before = await readdir(dir);
    const event = await backupStep(['accounts', 'no_such_table']);
    expect(event).toMatchObject({ type: 'BackupFailed', data: { code: 'PG_DUMP_FAILED', stepId: 'before-drop' } });
    expect(String((event.data as { message: string }).message)).toMatch(/no_such_table/);
    expect(String((event.data as { message: string }).message)).not.toContain(PASSWORD);
    expect(await readdir(dir)).toEqual(before);
  });

  it('refuses to run without BASCULE_BACKUP_DIR, naming the variable', async () => {
    delete process.env['BASCULE_BACKUP_DIR'];
    try {
      const event = await backupStep(['accounts']);
      expect(event).toMatchObject({ type: 'BackupFailed', data: { code: 'BACKUP_DIR_NOT_SET' } });
      expect(String((event.data as { message: string }).message)).toMatch(/BASCULE_BACKUP_DIR/);
    } finally {
      process.env['BASCULE_BACKUP_DIR'] = dir;
    }
  });
});
