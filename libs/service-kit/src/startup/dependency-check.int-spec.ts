import { createTestDatabase, uniqueName, type TestDatabase } from '@bascule/testing';
import { Client } from 'pg';
import { DependenciesUnreachableError } from '../service-kit.errors';
import { assertDependenciesReachable, checkNats, checkPostgres } from './dependency-check';
import { ensureDatabaseExists } from '@bascule/event-store';
import { escapeIdentifier } from 'pg';
import { maintenanceUrlOf } from './ensure-database';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

describe('startup dependency check (real Postgres and NATS)', () => {
  let scratch: TestDatabase;
  const created: string[] = [];

  beforeAll(async () => {
    scratch = await createTestDatabase('sk_check');
  });

  afterAll(async () => {
    const admin = new Client({ connectionString: maintenanceUrlOf(scratch.url) });
    await admin.connect();
    for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${escapeIdentifier(name)} WITH (FORCE)`);
    await admin.end();
    await scratch.drop();
  });

  function urlOf(database: string): string {
    const url = new URL(scratch.url);
    url.pathname = `/${database}`;
    return url.toString();
  }

  async function databaseExists(name: string): Promise<boolean> {
    const admin = new Client({ connectionString: scratch.url });
    await admin.connect();
    try {
      return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    } finally {
      await admin.end();
    }
  }

  it('passes when both are up', async () => {
    await expect(assertDependenciesReachable({ databaseUrl: scratch.url, natsUrl: NATS_URL })).resolves.toBeUndefined();
  });

  it('creates the event-store database when it is missing', async () => {
    const name = uniqueName('sk_missing');
    created.push(name);
    expect(await databaseExists(name)).toBe(false);
    expect(await checkPostgres(urlOf(name))).toBeUndefined();
    expect(await databaseExists(name)).toBe(true);
  });

  it('survives six services creating the same database at once', async () => {
    const name = uniqueName('sk_race');
    created.push(name);
    await Promise.all(Array.from({ length: 6 }, () => ensureDatabaseExists(urlOf(name))));
    expect(await databaseExists(name)).toBe(true);
  });

  it('quotes a hostile database name instead of executing it', async () => {
    const name = `${uniqueName('sk_q')}"; DROP DATABASE "x`;
    created.push(name);
    await ensureDatabaseExists(urlOf(encodeURIComponent(name)));
    expect(await databaseExists(name)).toBe(true);
  });

  it('reports an unreachable Postgres and NATS on one line with the masked URL, fast', async () => {
    const started = Date.now();
    const attempt = assertDependenciesReachable({
      databaseUrl: 'postgres://root:hunter2@127.0.0.1:1/bascule',
      natsUrl: 'nats://127.0.0.1:1',
    });
    await expect(attempt).rejects.toBeInstanceOf(DependenciesUnreachableError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toMatch(/^cannot reach Postgres at postgres:\/\/root:\*\*\*@127\.0\.0\.1:1\/bascule \(.+\) and NATS at nats:\/\/127\.0\.0\.1:1 \(.+\); start them with: pg_ctlcluster .* ; start-stop-daemon /);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('\n');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports NATS alone when only NATS is down', async () => {
    expect(await checkNats('nats://127.0.0.1:1')).toMatchObject({ dependency: 'NATS', url: 'nats://127.0.0.1:1' });
    expect(await checkNats(NATS_URL)).toBeUndefined();
  });
});
