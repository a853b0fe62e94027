import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { appendEvents } from '../append/append-events';
import { parseLogSeal, sealLog, verifySeal } from './log-seal';
import { latestSeal, sealIntoDirectory } from './seal-directory';
import { verifyChains } from './verify-chains';

describe('log seals: what the hash chains cannot see (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeEach(async () => {
    db = await createTestDatabase('es_seal');
    pool = new Pool({ connectionString: db.url, max: 2 });
    pool.on('error', () => undefined);
    await ensureEventStoreSchema(pool);
    for (const stream of ['migration-a', 'migration-b', 'migration-c']) {
      for (let i = 1; i <= 3; i++) await appendEvents(pool, stream, [{ type: 'StepCompleted', data: { stream, i } }], { expectedVersion: i - 1 });
    }
  });

  afterEach(async () => {
    await pool.end();
    await db.drop();
  });

  /** What an owner of the table can do: the guard triggers off, rows gone, and the chains still intact. */
  async function asOwner(sql: string): Promise<void> {
    const guard = "events_reject_update_delete_statement";
    await pool.query(`BEGIN; ALTER TABLE bascule.events DISABLE TRIGGER ${guard}; ${sql}; ALTER TABLE bascule.events ENABLE ALWAYS TRIGGER ${guard}; COMMIT`);
  }

  it('passes while nothing the seal saw changed, appends since included, and chains seals by digest', async () => {
    const first = await sealLog(pool);
    expect(first).toMatchObject({ events: 9, previous: null });
    expect(first.streams.map((stream) => [stream.streamId, stream.version])).toEqual([
      ['migration-a', 3],
      ['migration-b', 3],
      ['migration-c', 3],
    ]);
    await appendEvents(pool, 'migration-a', [{ type: 'StepCompleted', data: { late: true } }], { expectedVersion: 3 });
    await appendEvents(pool, 'migration-d', [{ type: 'MigrationPlanned', data: {} }]);
    expect(await verifySeal(pool, first)).toEqual({ ok: true, streams: 3 });
    const second = await sealLog(pool, first);
    expect(second).toMatchObject({ events: 11, previous: first.digest });
    expect(parseLogSeal(JSON.stringify(second), 'seal.json')).toEqual(second);
  });

  it('names a deleted tail, a deleted stream and a rewritten stream, which the chains alone pass', async () => {
    const seal = await sealLog(pool);

    await asOwner("DELETE FROM bascule.events WHERE stream_id = 'migration-a' AND stream_version = 3");
    expect(await verifyChains(pool)).toMatchObject({ ok: true });
    expect(await verifySeal(pool, seal)).toEqual({ ok: false, reason: expect.stringContaining('"migration-a" ends at version 2, the seal saw version 3') });

    await appendEvents(pool, 'migration-a', [{ type: 'StepCompleted', data: { forged: true } }], { expectedVersion: 2 });
    expect(await verifyChains(pool)).toMatchObject({ ok: true });
    expect(await verifySeal(pool, seal)).toEqual({ ok: false, reason: expect.stringContaining('"migration-a" version 3 is not the event the seal saw') });

    await asOwner("DELETE FROM bascule.events WHERE stream_id = 'migration-a'");
    expect(await verifyChains(pool)).toMatchObject({ ok: true });
    expect(await verifySeal(pool, seal)).toEqual({ ok: false, reason: expect.stringContaining('"migration-a" is gone') });
  });

  it('refuses a seal edited after the fact, and one that is not a seal, naming why', async () => {
    const seal = await sealLog(pool);
    const edited = { ...seal, streams: seal.streams.filter((stream) => stream.streamId !== 'migration-a') };
    expect(() => parseLogSeal(JSON.stringify(edited), 'seal.json')).toThrow(/digest does not match its content/);
    expect(() => parseLogSeal('{"format":"something-else"}', 'seal.json')).toThrow(/seal.json is not a log seal: format/);
    expect(() => parseLogSeal('not json', 'seal.json')).toThrow(/not JSON/);
  });

  it('seals into a directory as a chain: each seal names the newest one before it, and the newest covers what came since', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bascule-seals-'));
    try {
      expect(latestSeal(dir)).toBeNull();
      const first = await sealIntoDirectory(pool, dir, new Date('2026-12-07T09:00:00.000Z'));
      await appendEvents(pool, 'migration-d', [{ type: 'StepCompleted', data: {} }], { expectedVersion: 'no_stream' });
      const second = await sealIntoDirectory(pool, dir, new Date('2026-12-07T09:10:00.000Z'));
      expect(readdirSync(dir).sort()).toEqual(['seal-20261207T090000000Z.json', 'seal-20261207T091000000Z.json']);
      expect(second.seal).toMatchObject({ previous: first.seal.digest, events: 10 });
      expect(latestSeal(dir)).toEqual(second.seal);
      expect(await verifySeal(pool, latestSeal(dir)!)).toMatchObject({ ok: true });
      await asOwner("DELETE FROM bascule.events WHERE stream_id = 'migration-d'");
      expect(await verifySeal(pool, latestSeal(dir)!)).toMatchObject({ ok: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
