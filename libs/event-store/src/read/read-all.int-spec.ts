import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@bascule/testing';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { appendEvents } from '../append/append-events';
import { LOG_START, type LogCheckpoint, type StoredEvent } from '../event';
import { readAll } from './read-all';

describe('readAll in commit-safe order (real Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  const clients: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('es_readall');
    pool = new Pool({ connectionString: db.url });
    // pool.end() does not wait for the server side to close; dropping the database may then
    // terminate those sessions, which is harmless at teardown.
    pool.on('error', () => undefined);
    await ensureEventStoreSchema(pool);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await pool?.end();
    await db?.drop();
  });

  async function openTransaction(): Promise<Client> {
    const client = new Client({ connectionString: db.url });
    clients.push(client);
    await client.connect();
    await client.query('BEGIN');
    return client;
  }

  /** A follower of the global order: keeps its checkpoint and everything it has seen. */
  function follower() {
    let checkpoint: LogCheckpoint = LOG_START;
    const seen: StoredEvent[] = [];
    return {
      seen,
      async poll() {
        for (;;) {
          const page = await readAll(pool, { after: checkpoint, limit: 2 });
          seen.push(...page.events);
          checkpoint = page.checkpoint;
          if (page.events.length < 2) return;
        }
      },
      /** Polls until `count` events are seen: the horizon is cluster-wide, so a writing transaction
       *  of another database on this server may hold readers back for a moment. Late is allowed;
       *  skipped or repeated is not. */
      async pollUntil(count: number) {
        const deadline = Date.now() + 30_000;
        await this.poll();
        while (seen.length < count && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          await this.poll();
        }
      },
    };
  }

  it('never skips an event whose transaction took an earlier position but committed later', async () => {
    const reader = follower();
    await appendEvents(pool, 'migration-before', [{ type: 'Before', data: {} }]);
    await reader.pollUntil(1);

    const txA = await openTransaction();
    const a = await appendEvents(txA, 'migration-a', [{ type: 'LateCommit', data: {} }]);
    const txB = await openTransaction();
    const b = await appendEvents(txB, 'migration-b', [{ type: 'EarlyCommit', data: {} }]);
    expect(b.globalPositions[0]).toBeGreaterThan(a.globalPositions[0]);
    await txB.query('COMMIT');

    // B is committed with the later position; a position-ordered reader would take it now and
    // then never look back at A's lower position.
    await reader.poll();
    expect(reader.seen.map((e) => e.type)).toEqual(['Before']);

    await txA.query('COMMIT');
    await reader.poll();
    await appendEvents(pool, 'migration-after', [{ type: 'After', data: {} }]);
    await reader.pollUntil(4);

    expect(reader.seen.map((e) => e.type)).toEqual(['Before', 'LateCommit', 'EarlyCommit', 'After']);
    expect(new Set(reader.seen.map((e) => e.eventId)).size).toBe(reader.seen.length);
  });

  it('an aborted transaction leaves no event and does not block readers afterwards', async () => {
    const reader = follower();
    await reader.pollUntil(4); // the previous test's events
    const before = reader.seen.length;
    const tx = await openTransaction();
    await appendEvents(tx, 'migration-aborted', [{ type: 'Aborted', data: {} }]);
    await appendEvents(pool, 'migration-kept', [{ type: 'Kept', data: {} }]);
    await reader.poll();
    expect(reader.seen).toHaveLength(before);
    await tx.query('ROLLBACK');
    await reader.pollUntil(before + 1);
    expect(reader.seen.slice(before).map((e) => e.type)).toEqual(['Kept']);
  });

  it('under many concurrent writers a paging follower sees every committed event exactly once', async () => {
    const reader = follower();
    await reader.pollUntil(5); // the previous tests' events
    const start = reader.seen.length;
    let writing = true;
    const polling = (async () => {
      while (writing) await reader.poll();
    })();
    await Promise.all(
      Array.from({ length: 8 }, (_, w) =>
        (async () => {
          for (let i = 0; i < 25; i++) await appendEvents(pool, `migration-w${w}`, [{ type: 'E', data: { w, i } }, { type: 'E', data: { w, i } }]);
        })(),
      ),
    );
    writing = false;
    await polling;
    await reader.pollUntil(start + 8 * 25 * 2);
    const ids = reader.seen.slice(start).map((e) => e.eventId);
    expect(ids).toHaveLength(8 * 25 * 2);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('orders transaction ids as numbers, not text, across a digit boundary (9…9 before 10…0)', async () => {
    // Rows as if written by transactions 10^k − 1 and 10^k long ago: below every live xid and every
    // event already stored, so they come first; the hash columns do not matter to readers. The
    // boundary is the highest power of ten under both, since a young cluster has xids of 4 digits.
    const { rows } = await pool.query<{ floor: string }>(
      `SELECT least(pg_snapshot_xmin(pg_current_snapshot()), (SELECT min(transaction_id) FROM bascule.events))::text AS floor`,
    );
    const boundary = 10n ** BigInt(rows[0].floor.length - 1);
    expect(boundary).toBeGreaterThanOrEqual(100n); // xids 0–2 are reserved; a real cluster is far past them
    const [below, at] = [boundary - 1n, boundary].map(String);
    for (const xid of [at, below]) {
      await pool.query(
        `INSERT INTO bascule.events (transaction_id, stream_id, stream_version, event_id, type, data, content_hash)
         VALUES ($1::xid8, $2, 1, gen_random_uuid(), 'Old', '{}', '\\x00')`,
        [xid, `migration-xid-${xid}`],
      );
    }
    const first = await readAll(pool, { limit: 1 });
    const second = await readAll(pool, { after: first.checkpoint, limit: 1 });
    expect([first.events[0].streamId, second.events[0].streamId]).toEqual([`migration-xid-${below}`, `migration-xid-${at}`]);
    expect(first.events[0].transactionId).toBe(BigInt(below));
  });
});
