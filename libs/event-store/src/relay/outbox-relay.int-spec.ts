import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { AckPolicy, DeliverPolicy, type JetStreamClient, type JetStreamManager, type NatsConnection } from 'nats';
import { Pool } from 'pg';
import { busTopology, ensureStreams, type BusTopology } from '@bascule/messaging';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import { ensureEventStoreSchema } from '../schema/ensure-event-store-schema';
import { appendEvents } from '../append/append-events';
import { readAll } from '../read/read-all';
import { loadCheckpoint, saveCheckpoint } from '../subscription/checkpoint-store';
import type { StoredEvent } from '../event';
import { startOutboxRelay, wakeRelay } from './outbox-relay';
import { publishInOrder } from './publish-in-order';

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
    prefix = uniqueBusPrefix();
    topology = busTopology(prefix);
    await ensureStreams(jsm, topology);
  });

  afterEach(async () => {
    await deleteStreams(nc, prefix);
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

  async function allEventsInOrder(): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for (let page = await readAll(pool, { limit: 5000 }); page.events.length > 0; page = await readAll(pool, { after: page.checkpoint, limit: 5000 })) {
      events.push(...page.events);
    }
    return events;
  }

  async function messageCount(): Promise<number> {
    return (await jsm.streams.info(topology.eventsStream)).state.messages;
  }

  async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
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
    const checkpointed = await loadCheckpoint(pool, 'outbox-relay');
    const log = await allEventsInOrder();
    const acknowledgedThrough = log.findIndex((e) => e.globalPosition === checkpointed.globalPosition) + 1;
    expect(atKill).toBeLessThan(log.length);
    expect(acknowledgedThrough).toBe(1000);
    expect(atKill).toBeGreaterThan(acknowledgedThrough);

    await appendMany(1000, 'while-down');
    const total = log.length + 1000;
    const second = spawnRelay();
    await eventually(async () => (await loadCheckpoint(pool, 'outbox-relay')).globalPosition > 0n && (await messageCount()) >= total, 'the restarted relay');
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

    const relay = startOutboxRelay({ pool, nc, topology, relayId, batchSize: 100, pollIntervalMs: 10 });
    await eventually(async () => (await loadCheckpoint(pool, relayId)).globalPosition === log[log.length - 1].globalPosition, 'the relay to catch up');
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
    await eventually(async () => (await loadCheckpoint(pool, 'leased')).globalPosition > 0n, 'the first copy');
    const b = startOutboxRelay({ pool, nc, topology, relayId: 'leased', pollIntervalMs: 10, onPublished: () => void published.push(-1) });
    await appendMany(200, 'lease-more');
    await eventually(async () => (await messageCount()) === log.length + 200, 'the first copy to relay the rest');
    expect(published).not.toContain(-1);
    await a.stop();
    await b.stop();
  });

  it('publishes an event held back by an older open transaction once that ends, with no new wake and long before its next poll', async () => {
    const relayId = 'held-back';
    // Start past the other tests' events: the stream then holds only this test's.
    const { rows } = await pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text, global_position::text FROM bascule.events ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    if (rows[0]) await saveCheckpoint(pool, relayId, { transactionId: BigInt(rows[0].transaction_id), globalPosition: BigInt(rows[0].global_position) });
    const relay = startOutboxRelay({ pool, nc, topology, relayId, pollIntervalMs: 600_000 });
    const blocker = await pool.connect();
    try {
      await appendEvents(pool, 'migration-held-back', [{ type: 'StepCompleted', data: { n: 1 } }]);
      wakeRelay(nc, topology);
      await eventually(async () => (await messageCount()) === 1, 'the relay to publish the first event');
      // A writing transaction (it has an xid) older than the next append: readers must not pass it.
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_current_xact_id()');
      await appendEvents(pool, 'migration-held-back', [{ type: 'StepCompleted', data: { n: 2 } }], { expectedVersion: 1 });
      wakeRelay(nc, topology); // as every appender does; the relay reads, and must leave the event
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await messageCount()).toBe(1);
      // Nothing wakes the relay when the blocker ends; its poll is 10 minutes away.
      await blocker.query('ROLLBACK');
      await eventually(async () => (await messageCount()) === 2, 'the held-back event', 5_000);
    } finally {
      blocker.release();
      await relay.stop();
    }
  });
});
