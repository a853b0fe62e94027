import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { Pool } from 'pg';
import { busTopology, ensureStreams, type BusTopology } from '@bascule/messaging';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { appendEvents } from '../append/append-events';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from '../read/event-row';
import { saveCheckpoint } from '../subscription/checkpoint-store';
import type { StoredEvent } from '../event';
import { startOutboxRelay, wakeRelay } from './outbox-relay';
import { publishInOrder } from './publish-in-order';
import { loadRelayCheckpoint, saveRelayCheckpoint, storedRelayCheckpoint } from './relay-checkpoint-store';

const FIXTURES = join(__dirname, '..', '..', 'test-fixtures');

interface StreamMessage {
  seq: number;
  msgId: string;
  subject: string;
  traceparent?: string;
  eventId: string;
}

describe('outbox relay (real Postgres + JetStream)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  let prefix: string;
  let topology: BusTopology;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('es_relay');
    pool = new Pool({ connectionString: db.url, max: 10 });
    // pool.end() does not wait for the server side to close; dropping the database may then
    // terminate those sessions, which is harmless at teardown.
    pool.on('error', () => undefined);
    await ensureEventStoreSchema(pool);
    nc = await connectTestNats();
    jsm = await nc.jetstreamManager();
    js = nc.jetstream();
  });

  beforeEach(async () => {
    relayErrors = [];
    prefix = uniqueBusPrefix();
    topology = busTopology(prefix);
    await ensureStreams(jsm, topology);
  });

  afterEach(async () => {
    await deleteStreams(nc, prefix);
    // A stopped relay gives its lease back: a connection still checked out here is a leak (it
    // would hold pool.end() in afterAll for ever, and a lease in production).
    expect({ checkedOut: pool.totalCount - pool.idleCount, waiting: pool.waitingCount }).toEqual({ checkedOut: 0, waiting: 0 });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await nc?.close();
    await pool?.end();
    await db?.drop();
  });

  async function appendMany(count: number, tag: string): Promise<void> {
    const streams = 20;
    await Promise.all(
      Array.from({ length: streams }, (_, s) =>
        (async () => {
          for (let i = 0; i < count / streams; i += 10) {
            const batch = Array.from({ length: 10 }, (_, k) => ({ type: 'StepCompleted', data: { tag, s, i: i + k } }));
            await appendEvents(pool, `migration-${tag}-${s}`, batch);
          }
        })(),
      ),
    );
  }

  /**
   * Every committed event, in position order (the order a relay publishes a log it finds already
   * written) or in commit order (the old relay's). A plain read of the table: readAll would stop
   * below the oldest transaction open anywhere on the server, which under a busy suite is any
   * other test's, and the "whole log" would come back short.
   */
  async function allEventsInOrder(order: 'position' | 'commit' = 'position'): Promise<StoredEvent[]> {
    const by = order === 'position' ? 'global_position' : 'transaction_id, global_position';
    const { rows } = await pool.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM bascule.events ORDER BY ${by}`);
    return rows.map(toStoredEvent);
  }

  /** The relay's checkpoint, 0 before its first store. */
  async function relayCheckpoint(relayId: string): Promise<bigint> {
    return (await storedRelayCheckpoint(pool, relayId)) ?? 0n;
  }

  /** Starts a relay right after the current end of the log, so the stream holds only what a test appends next. */
  async function relayFromNow(relayId: string, pollIntervalMs = 600_000) {
    const { rows } = await pool.query<{ last: string }>('SELECT coalesce(max(global_position), 0)::text AS last FROM bascule.events');
    await saveRelayCheckpoint(pool, relayId, BigInt(rows[0].last));
    return startOutboxRelay({ pool, nc, topology, relayId, pollIntervalMs, onError });
  }

  /** Opens a transaction that has written (it has an xid) and stays open until released. */
  async function openWritingTransaction(url: string): Promise<{ release(): Promise<void> }> {
    const blocker = new Pool({ connectionString: url, max: 1 });
    blocker.on('error', () => undefined);
    const client = await blocker.connect();
    await client.query('BEGIN');
    await client.query('CREATE TEMPORARY TABLE held_open (n int)');
    await client.query('INSERT INTO held_open VALUES (1)');
    return {
      release: async () => {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        await blocker.end();
      },
    };
  }

  async function messageCount(): Promise<number> {
    return (await jsm.streams.info(topology.eventsStream)).state.messages;
  }

  /** What the relays of a test reported through onError: named in a timeout, so a failure can be read. */
  let relayErrors: string[] = [];
  const onError = (error: unknown) => void relayErrors.push(String(error));

  /** Who holds bascule.events open for writing: what a checkpoint held at a gap waits for. */
  async function appendersNow(): Promise<string> {
    const { rows } = await pool.query(
      `SELECT l.virtualtransaction, a.pid, a.state, left(a.query, 60) AS query, now() - a.xact_start AS open_for
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'relation' AND l.relation = 'bascule.events'::regclass AND l.mode = 'RowExclusiveLock'`,
    );
    return JSON.stringify(rows);
  }

  async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}; relay errors: ${relayErrors.slice(-5).join(' | ') || 'none'}; appenders: ${await appendersNow()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Every message of the events stream in stream order, through an ephemeral consumer. */
  async function readStreamMessages(expected: number): Promise<StreamMessage[]> {
    const info = await jsm.consumers.add(topology.eventsStream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, inactive_threshold: 60_000_000_000 });
    const consumer = await js.consumers.get(topology.eventsStream, info.name);
    const messages: StreamMessage[] = [];
    while (messages.length < expected) {
      const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        messages.push({
          seq: m.seq,
          subject: m.subject,
          msgId: m.headers?.get('Nats-Msg-Id') ?? '',
          traceparent: m.headers?.get('traceparent') || undefined,
          eventId: (m.json() as { eventId: string }).eventId,
        });
        if (messages.length === expected) break;
      }
      if (got === 0) break;
    }
    return messages;
  }

  function spawnRelay(): ChildProcess {
    const child = spawn(process.execPath, ['-r', join(FIXTURES, 'register-ts.js'), join(FIXTURES, 'relay-process.ts')], {
      env: { ...process.env, RELAY_DATABASE_URL: db.url, RELAY_BUS_PREFIX: prefix, RELAY_BATCH_SIZE: '1000', RELAY_MAX_IN_FLIGHT: '4', RELAY_CHECKPOINT_INTERVAL_MS: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    return child;
  }

  function printed(child: ChildProcess, line: string): Promise<void> {
    return new Promise((resolve) => {
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes(line)) resolve();
      });
    });
  }

  async function killed(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  it('after a SIGKILL mid-stream and a restart, every event is in the stream exactly once, in log order', async () => {
    await appendMany(4000, 'crash');
    const first = spawnRelay();
    // Kill it while its second batch is being published: acked by JetStream, not yet checkpointed.
    await printed(first, 'published 1000\n');
    await eventually(async () => (await messageCount()) > 1000, 'the second batch to start');
    await killed(first);
    const atKill = await messageCount();
    const checkpointed = await relayCheckpoint('outbox-relay');
    const log = await allEventsInOrder();
    const acknowledgedThrough = log.findIndex((e) => e.globalPosition === checkpointed) + 1;
    expect(atKill).toBeLessThan(log.length);
    expect(acknowledgedThrough).toBe(1000);
    expect(atKill).toBeGreaterThan(acknowledgedThrough);

    await appendMany(1000, 'while-down');
    const total = log.length + 1000;
    const second = spawnRelay();
    await eventually(async () => (await relayCheckpoint('outbox-relay')) > 0n && (await messageCount()) >= total, 'the restarted relay');
    await new Promise((resolve) => setTimeout(resolve, 300)); // anything extra would arrive now
    await killed(second);

    const messages = await readStreamMessages(total);
    expect(await messageCount()).toBe(total);
    expect(messages).toHaveLength(total);
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(total);
    expect(messages.every((m) => m.msgId === m.eventId)).toBe(true);
    expect(messages.map((m) => m.eventId)).toEqual((await allEventsInOrder()).map((e) => e.eventId));
  });

  it('re-publishing a batch the crashed relay never checkpointed adds no duplicate; subjects and traceparent are set', async () => {
    const relayId = 'outbox-relay-inproc';
    await appendMany(600, 'dup');
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await appendEvents(pool, 'migration-traced', [{ type: 'MigrationStarted', data: {}, metadata: { traceparent } }]);
    const log = await allEventsInOrder();
    // What a relay that died between the acks and the checkpoint write left behind.
    await publishInOrder(js, topology, log.slice(0, 450), 32);

    const relay = startOutboxRelay({ pool, nc, topology, relayId, batchSize: 100, pollIntervalMs: 10, onError });
    await eventually(async () => (await relayCheckpoint(relayId)) === log[log.length - 1].globalPosition, 'the relay to catch up');
    await relay.stop();

    const messages = await readStreamMessages(log.length);
    expect(await messageCount()).toBe(log.length);
    expect(messages.map((m) => m.eventId)).toEqual(log.map((e) => e.eventId));
    const traced = messages.find((m) => m.subject === topology.eventSubject('MigrationStarted'));
    expect(traced?.traceparent).toBe(traceparent);
    expect(messages.filter((m) => m.subject === topology.eventSubject('StepCompleted'))).toHaveLength(log.length - 1);
  });

  it('a second copy of the relay waits for the lease instead of publishing alongside', async () => {
    await appendMany(200, 'lease');
    const log = await allEventsInOrder();
    const published: number[] = [];
    const a = startOutboxRelay({ pool, nc, topology, relayId: 'leased', pollIntervalMs: 10, onPublished: (e) => void published.push(e.length) });
    await eventually(async () => (await relayCheckpoint('leased')) > 0n, 'the first copy');
    const b = startOutboxRelay({ pool, nc, topology, relayId: 'leased', pollIntervalMs: 10, onPublished: () => void published.push(-1) });
    await appendMany(200, 'lease-more');
    await eventually(async () => (await messageCount()) === log.length + 200, 'the first copy to relay the rest');
    expect(published).not.toContain(-1);
    await a.stop();
    await b.stop();
  });

  it('publishes at once while a writing transaction stays open in another database and in its own (one not appending)', async () => {
    const relay = await relayFromNow('unrelated-open');
    const elsewhere = await openWritingTransaction(db.url.replace(/\/[^/?]+(\?|$)/, '/postgres$1'));
    const sameDatabase = await openWritingTransaction(db.url);
    try {
      for (let n = 1; n <= 3; n++) {
        await appendEvents(pool, 'migration-unrelated-open', [{ type: 'StepCompleted', data: { n } }], { expectedVersion: n - 1 });
        wakeRelay(nc, topology);
        // Both blockers stay open until the end: the old relay read only below the server's
        // oldest open transaction and published nothing here.
        await eventually(async () => (await messageCount()) === n, `event ${n} while both transactions are open`, 10_000);
      }
    } finally {
      await elsewhere.release();
      await sameDatabase.release();
      await relay.stop();
    }
  });

  it('an append whose own transaction stays open holds back only its events: nothing skipped, nothing after it waits', async () => {
    const relayId = 'long-append';
    const relay = await relayFromNow(relayId);
    const long = await pool.connect();
    try {
      await long.query('BEGIN');
      // Its position is drawn now, below every event appended after it.
      await appendEvents(long, 'migration-long', [{ type: 'StepCompleted', data: { long: true } }]);
      const before = await relayCheckpoint(relayId);
      for (let n = 1; n <= 3; n++) {
        await appendEvents(pool, 'migration-after-long', [{ type: 'StepCompleted', data: { n } }], { expectedVersion: n - 1 });
        wakeRelay(nc, topology);
        await eventually(async () => (await messageCount()) === n, `event ${n} appended after the open append`, 10_000);
      }
      // The checkpoint stays below the open append: a crash now would re-publish, never skip it.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await relayCheckpoint(relayId)).toBe(before);
      await long.query('COMMIT');
      wakeRelay(nc, topology);
      await eventually(async () => (await messageCount()) === 4, 'the long append once committed', 10_000);
      const log = await allEventsInOrder();
      await eventually(async () => (await relayCheckpoint(relayId)) === log[log.length - 1].globalPosition, 'the checkpoint past it', 10_000);
      const messages = await readStreamMessages(4);
      expect(messages.map((m) => m.eventId)).toEqual([...log.slice(-3), log[log.length - 4]].map((e) => e.eventId));
    } finally {
      await long.query('ROLLBACK').catch(() => undefined);
      long.release();
      await relay.stop();
    }
  });

  it('moves the checkpoint past positions of rolled-back appends, with no wake and long before its next poll', async () => {
    const relayId = 'burned';
    const relay = await relayFromNow(relayId);
    const doomed = await pool.connect();
    try {
      await doomed.query('BEGIN');
      await appendEvents(doomed, 'migration-doomed', [{ type: 'StepCompleted', data: {} }, { type: 'StepCompleted', data: {} }]);
      await appendEvents(pool, 'migration-survivor', [{ type: 'StepCompleted', data: {} }]);
      wakeRelay(nc, topology);
      await eventually(async () => (await messageCount()) === 1, 'the survivor past the open append', 10_000);
      await doomed.query('ROLLBACK');
      const last = (await allEventsInOrder()).at(-1)?.globalPosition;
      await eventually(async () => (await relayCheckpoint(relayId)) === last, 'the checkpoint past the rolled-back positions', 10_000);
      expect(await messageCount()).toBe(1);
    } finally {
      doomed.release();
      await relay.stop();
    }
  });

  it('under concurrent appends, some rolled back, publishes every committed event once, each stream in version order', async () => {
    const relayId = 'concurrent';
    const relay = await relayFromNow(relayId, 20);
    const writers = 8;
    const rounds = 40;
    try {
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const client = await pool.connect();
          try {
            for (let round = 0; round < rounds; round++) {
              await client.query('BEGIN');
              await appendEvents(client, `migration-concurrent-${w}`, [{ type: 'StepCompleted', data: { w, round } }]);
              // Some appends hold their transaction open a little, every third rolls back.
              if (round % 4 === 1) await new Promise((resolve) => setTimeout(resolve, 15));
              await client.query(round % 3 === 2 ? 'ROLLBACK' : 'COMMIT');
              wakeRelay(nc, topology);
            }
          } finally {
            client.release();
          }
        }),
      );
      const committed = (await pool.query<{ event_id: string; stream_id: string; stream_version: number }>(
        `SELECT event_id::text, stream_id, stream_version FROM bascule.events WHERE stream_id LIKE 'migration-concurrent-%'`,
      )).rows;
      expect(committed.length).toBe(writers * (rounds - Math.floor(rounds / 3)));
      await eventually(async () => (await messageCount()) === committed.length, 'every committed event', 30_000);
      await new Promise((resolve) => setTimeout(resolve, 300)); // anything extra would arrive now
      const messages = await readStreamMessages(committed.length);
      expect(await messageCount()).toBe(committed.length);
      expect(new Set(messages.map((m) => m.eventId))).toEqual(new Set(committed.map((c) => c.event_id)));
      const version = new Map(committed.map((c) => [c.event_id, c] as const));
      for (let w = 0; w < writers; w++) {
        const published = messages.map((m) => version.get(m.eventId)).filter((c) => c?.stream_id === `migration-concurrent-${w}`);
        expect(published.map((c) => c?.stream_version)).toEqual(published.map((_, i) => i + 1));
      }
      const last = (await allEventsInOrder()).at(-1)?.globalPosition;
      await eventually(async () => (await relayCheckpoint(relayId)) === last, 'the checkpoint at the end of the log', 10_000);
    } finally {
      await relay.stop();
    }
  });

  it('resumes a relay that stored a commit-order checkpoint: nothing after it is skipped', async () => {
    const relayId = 'upgraded';
    await appendMany(200, 'legacy');
    const log = await allEventsInOrder();
    const byCommit = await allEventsInOrder('commit');
    // What the old relay left: everything up to the 150th event in commit order is published.
    await publishInOrder(js, topology, byCommit.slice(0, 150), 32);
    await saveCheckpoint(pool, relayId, { transactionId: byCommit[149].transactionId, globalPosition: byCommit[149].globalPosition });
    const converted = await loadRelayCheckpoint(pool, relayId);
    const unpublished = new Set(byCommit.slice(150).map((e) => e.globalPosition));
    expect([...unpublished].every((position) => position > converted)).toBe(true);
    const relay = startOutboxRelay({ pool, nc, topology, relayId, pollIntervalMs: 600_000, onError });
    try {
      await eventually(async () => (await messageCount()) >= log.length, 'the rest of the log');
      await eventually(async () => (await relayCheckpoint(relayId)) === log[log.length - 1].globalPosition, 'the checkpoint at the end');
    } finally {
      await relay.stop();
    }
    const messages = await readStreamMessages(log.length);
    expect(await messageCount()).toBe(log.length);
    expect(new Set(messages.map((m) => m.eventId))).toEqual(new Set(log.map((e) => e.eventId)));
  });
});
