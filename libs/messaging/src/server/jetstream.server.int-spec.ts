import 'reflect-metadata';
import { Controller, Inject, type INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DeadLetter, MessageMetadata } from '@bascule/contracts';
import { currentTraceId, withSpan } from '@bascule/telemetry';
import { startTelemetry, type TelemetryShutdown } from '@bascule/telemetry/sdk';
import { connectTestNats, createTestDatabase, deleteStreams, uniqueBusPrefix, type TestDatabase } from '@bascule/testing';
import { AckPolicy, DeliverPolicy, type JetStreamManager, type NatsConnection } from 'nats';
import { Pool } from 'pg';
import { z } from 'zod';
import { BusClient } from '../client/bus.client';
import { legacyEventsConsumerName } from '../consumers/consumer-names';
import type { DeadLetterSink } from '../dead-letter/dead-letter-sink';
import { CommandHandler, EventHandler } from '../handlers/bus-handler.decorators';
import { PostgresIdempotencyStore } from '../idempotency/postgres-idempotency.store';
import { busTopology } from '../topology';
import { JetStreamContext } from './jetstream.context';
import { JetStreamServer } from './jetstream.server';

const RollbackCommand = z.object({ migrationId: z.string().min(1), reason: z.string(), requestedBy: z.string() });
const StepCompleted = z.object({ stepId: z.string() });

interface Call {
  instance: string;
  pattern: string;
  payload: unknown;
  messageId: string;
  deliveries: number;
  traceId?: string;
  traceparent?: string;
  metadata: MessageMetadata;
}

/** What the handlers of both app instances report to, and how they behave per pattern. */
class World {
  readonly calls: Call[] = [];
  readonly behaviours = new Map<string, (call: Call) => Promise<void> | void>();
  callsFor(pattern: string): Call[] {
    return this.calls.filter((call) => call.pattern === pattern);
  }
}

/** Keeps letters in memory; `failNext` makes the next records fail like an unreachable event store. */
class CollectingDeadLetterSink implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];
  failNext = 0;
  async record(letter: DeadLetter): Promise<void> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('event store unavailable');
    }
    this.letters.push(letter);
  }
}

const PROBE = Symbol('PROBE');
interface Probe {
  instance: string;
  world: World;
}

@Controller()
class TestHandlers {
  constructor(@Inject(PROBE) private readonly probe: Probe) {}

  @CommandHandler('rollback', RollbackCommand)
  rollback(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext) {
    return this.handle('cmd:rollback', payload, ctx);
  }

  @CommandHandler('flaky')
  flaky(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext) {
    return this.handle('cmd:flaky', payload, ctx);
  }

  @CommandHandler('always-fails')
  alwaysFails(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext) {
    return this.handle('cmd:always-fails', payload, ctx);
  }

  // The plain Nest decorator with the `cmd:` prefix declares a command handler too.
  @EventPattern('cmd:work')
  work(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext) {
    return this.handle('cmd:work', payload, ctx);
  }

  @CommandHandler('idem')
  idem(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext) {
    return this.handle('cmd:idem', payload, ctx);
  }

  @CommandHandler('self-idem', { idempotentByItself: true })
  selfIdem(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext) {
    return this.handle('cmd:self-idem', payload, ctx);
  }

  @CommandHandler('slow')
  slow(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext) {
    return this.handle('cmd:slow', payload, ctx);
  }

  @EventHandler('StepCompleted', StepCompleted)
  stepCompleted(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext) {
    return this.handle('StepCompleted', payload, ctx);
  }

  @EventHandler('StepFailed')
  stepFailed(@Payload() payload: unknown, @Ctx() ctx: JetStreamContext) {
    return this.handle('StepFailed', payload, ctx);
  }

  private async handle(pattern: string, payload: unknown, ctx: JetStreamContext): Promise<void> {
    const call: Call = {
      instance: this.probe.instance,
      pattern,
      payload,
      messageId: ctx.getMessageId(),
      deliveries: ctx.getDeliveryCount(),
      traceId: currentTraceId(),
      traceparent: ctx.getTraceparent(),
      metadata: ctx.getMetadata(),
    };
    this.probe.world.calls.push(call);
    await this.probe.world.behaviours.get(pattern)?.(call);
  }
}

async function eventually<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const UPGRADED = Symbol('UPGRADED');

/** A service from before per-type consumers: only one event handler, so it takes no commands. */
@Controller()
class UpgradedHandlers {
  constructor(@Inject(UPGRADED) private readonly seen: string[]) {}

  @EventHandler('StepCompleted', StepCompleted)
  completed(@Ctx() ctx: JetStreamContext) {
    this.seen.push(ctx.getMessageId());
  }
}

/** The commands this test's handlers take: the commands stream accepts these subjects and no other. */
const TEST_COMMANDS = ['always-fails', 'flaky', 'idem', 'rollback', 'self-idem', 'slow', 'work'];

describe('JetStreamServer (real NATS + Postgres)', () => {
  const topology = busTopology(uniqueBusPrefix(), TEST_COMMANDS);
  const world = new World();
  const deadLetters = new CollectingDeadLetterSink();
  const spans = new InMemorySpanExporter();
  let stopTelemetry: TelemetryShutdown;
  let db: TestDatabase;
  let pool: Pool;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let client: BusClient;
  const apps = new Map<string, { close(): Promise<void> }>();

  function serverFor(): JetStreamServer {
    return new JetStreamServer({
      serviceName: 'test-service',
      topology,
      maxDeliver: 3,
      backoff: [50],
      ackWaitMs: 5_000,
      fetchExpiresMs: 1_000,
      deadLetters,
      idempotency: new PostgresIdempotencyStore(pool),
    });
  }

  function moduleFor(instance: string) {
    return Test.createTestingModule({
      controllers: [TestHandlers],
      providers: [{ provide: PROBE, useValue: { instance, world } satisfies Probe }],
    }).compile();
  }

  /** A pure microservice, as `NestFactory.createMicroservice` makes. */
  async function startMicroservice(instance: string): Promise<void> {
    const app: INestMicroservice = (await moduleFor(instance)).createNestMicroservice({ strategy: serverFor(), logger: false });
    await app.listen();
    apps.set(instance, app);
  }

  /** A hybrid HTTP app with the transport connected, the way the services run it. */
  async function startHybrid(instance: string): Promise<void> {
    const app = (await moduleFor(instance)).createNestApplication({ logger: false });
    app.connectMicroservice({ strategy: serverFor() }, { inheritAppConfig: true });
    await app.startAllMicroservices();
    await app.init();
    apps.set(instance, app);
  }

  async function storedCount(subject: string): Promise<number> {
    const info = await jsm.streams.info(topology.commandsStream, { subjects_filter: subject });
    return info.state.subjects?.[subject] ?? 0;
  }

  beforeAll(async () => {
    stopTelemetry = startTelemetry('messaging-test', { spanProcessors: [new SimpleSpanProcessor(spans)] });
    db = await createTestDatabase('messaging');
    pool = new Pool({ connectionString: db.url, max: 4 });
    nc = await connectTestNats();
    jsm = await nc.jetstreamManager();
    client = BusClient.using(nc, topology);
    await startMicroservice('a');
    await startHybrid('b');
  });

  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await deleteStreams(nc, topology.prefix);
    await nc.drain();
    // pool.end() does not wait for the sockets to close; DROP ... WITH (FORCE) may still hit one.
    pool.on('error', () => undefined);
    await pool.end();
    await db.drop();
    await stopTelemetry();
  });

  it('creates the streams and one durable consumer per command subject plus one per event type the service handles', async () => {
    const commandConsumers = [];
    for await (const info of jsm.consumers.list(topology.commandsStream)) commandConsumers.push(info.config);
    expect(commandConsumers.map((config) => config.filter_subject).sort()).toEqual(TEST_COMMANDS.map((name) => topology.commandSubject(name)));
    const eventConsumers = [];
    for await (const info of jsm.consumers.list(topology.eventsStream)) eventConsumers.push(info.config);
    expect(eventConsumers.map((config) => [config.durable_name, config.filter_subject]).sort()).toEqual([
      ['test-service-events-StepCompleted', topology.eventSubject('StepCompleted')],
      ['test-service-events-StepFailed', topology.eventSubject('StepFailed')],
    ]);
  });

  it('is never delivered an event type it has no handler for', async () => {
    const deliveries = async () => {
      let total = 0;
      for await (const info of jsm.consumers.list(topology.eventsStream)) total += info.delivered.consumer_seq;
      return total;
    };
    const before = await deliveries();
    await nc.jetstream().publish(topology.eventSubject('NobodyHandlesThis'), JSON.stringify({ eventId: 'evt-none', type: 'NobodyHandlesThis', data: {} }), { msgID: 'evt-none' });
    await nc.jetstream().publish(topology.eventSubject('StepFailed'), JSON.stringify({ eventId: 'evt-failed', type: 'StepFailed', data: {} }), { msgID: 'evt-failed' });
    await eventually(() => world.callsFor('StepFailed').some((call) => call.messageId === 'evt-failed'), 'the StepFailed event');
    // One consumer on `evt.>` would have been delivered both (and acked the first unhandled).
    expect((await deliveries()) - before).toBe(1);
  });

  it('delivers a command and an event to their handlers and acks them', async () => {
    const sent = await client.sendCommand('rollback', { migrationId: 'm-1', reason: 'latency', requestedBy: 'ana' });
    await nc.jetstream().publish(
      topology.eventSubject('StepCompleted'),
      JSON.stringify({ eventId: 'evt-1', type: 'StepCompleted', streamId: 'migration-m-1', data: { stepId: 'widen' }, metadata: {} }),
      { msgID: 'evt-1' },
    );
    await eventually(() => world.calls.some((call) => call.messageId === sent.commandId), 'the rollback command');
    const event = await eventually(() => world.callsFor('StepCompleted').find((call) => call.messageId === 'evt-1'), 'the event');
    expect(event.payload).toMatchObject({ eventId: 'evt-1', data: { stepId: 'widen' } });
    await eventually(async () => (await storedCount(topology.commandSubject('rollback'))) === 0, 'the acked command to leave the work queue');
    const eventsConsumer = await jsm.consumers.info(topology.eventsStream, 'test-service-events-StepCompleted');
    await eventually(async () => (await jsm.consumers.info(topology.eventsStream, 'test-service-events-StepCompleted')).num_ack_pending === 0, 'the event ack');
    expect(eventsConsumer.num_redelivered).toBe(0);
  });

  it('splits the work of one service between two running copies, each message handled once', async () => {
    world.behaviours.set('cmd:work', () => sleep(20));
    const ids = await Promise.all(Array.from({ length: 20 }, (_, n) => client.sendCommand('work', { n }).then((sent) => sent.commandId)));
    for (let n = 0; n < 10; n++) {
      await nc.jetstream().publish(
        topology.eventSubject('StepCompleted'),
        JSON.stringify({ eventId: `split-${n}`, type: 'StepCompleted', data: { stepId: `s${n}` }, metadata: {} }),
        { msgID: `split-${n}` },
      );
    }
    await eventually(() => world.callsFor('cmd:work').length >= 20, 'all work commands');
    await eventually(() => world.callsFor('StepCompleted').filter((call) => call.messageId.startsWith('split-')).length >= 10, 'all events');
    await sleep(300);
    const work = world.callsFor('cmd:work');
    expect(work.map((call) => call.messageId).sort()).toEqual([...ids].sort());
    expect(new Set(work.map((call) => call.instance))).toEqual(new Set(['a', 'b']));
    const events = world.callsFor('StepCompleted').filter((call) => call.messageId.startsWith('split-'));
    expect(events.map((call) => call.messageId).sort()).toEqual(Array.from({ length: 10 }, (_, n) => `split-${n}`).sort());
  });

  it('retries a transient failure with a delay until the handler succeeds', async () => {
    world.behaviours.set('cmd:flaky', (call) => {
      if (call.deliveries < 3) throw new Error(`transient failure ${call.deliveries}`);
    });
    const sent = await client.sendCommand('flaky', { attempt: 'me' });
    await eventually(async () => (await storedCount(topology.commandSubject('flaky'))) === 0, 'the flaky command to be acked');
    const calls = world.callsFor('cmd:flaky').filter((call) => call.messageId === sent.commandId);
    expect(calls.map((call) => call.deliveries)).toEqual([1, 2, 3]);
    expect(deadLetters.letters.filter((letter) => letter.messageId === sent.commandId)).toEqual([]);
  });

  it('dead-letters a message that keeps failing after maxDeliver deliveries and removes it from the work queue', async () => {
    world.behaviours.set('cmd:always-fails', () => {
      throw Object.assign(new Error('target database unreachable'), { code: 'target_unreachable' });
    });
    const sent = await client.sendCommand('always-fails', { migrationId: 'm-9' });
    const letter = await eventually(() => deadLetters.letters.find((candidate) => candidate.messageId === sent.commandId), 'the dead letter');
    expect(letter).toMatchObject({
      subject: topology.commandSubject('always-fails'),
      stream: topology.commandsStream,
      streamSequence: sent.streamSequence,
      payload: JSON.stringify({ migrationId: 'm-9' }),
      payloadEncoding: 'utf8',
      deliveries: 3,
      error: { code: 'target_unreachable', message: 'target database unreachable' },
    });
    expect(letter.headers['Nats-Msg-Id']).toEqual([sent.commandId]);
    await eventually(async () => (await storedCount(topology.commandSubject('always-fails'))) === 0, 'the message to leave the work queue');
    await sleep(500);
    expect(world.callsFor('cmd:always-fails').filter((call) => call.messageId === sent.commandId)).toHaveLength(3);
    expect(deadLetters.letters.filter((candidate) => candidate.messageId === sent.commandId)).toHaveLength(1);
  });

  it('dead-letters a payload that fails its schema at once, with the zod issues, without calling the handler', async () => {
    const sent = await client.sendCommand('rollback', { migrationId: '', reason: 'oops' });
    const letter = await eventually(() => deadLetters.letters.find((candidate) => candidate.messageId === sent.commandId), 'the dead letter');
    expect(letter.deliveries).toBe(1);
    expect(letter.error.code).toBe('invalid_payload');
    expect(letter.error.message).toContain('migrationId');
    expect(letter.error.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: ['migrationId'] }), expect.objectContaining({ path: ['requestedBy'] })]),
    );
    expect(world.calls.filter((call) => call.messageId === sent.commandId)).toEqual([]);
    await eventually(async () => (await storedCount(topology.commandSubject('rollback'))) === 0, 'the invalid message to leave the work queue');
  });

  it('keeps a message whose dead letter could not be recorded and records it on a later delivery', async () => {
    deadLetters.failNext = 1;
    const sent = await client.sendCommand('rollback', { migrationId: 42 });
    const letter = await eventually(() => deadLetters.letters.find((candidate) => candidate.messageId === sent.commandId), 'the dead letter');
    expect(deadLetters.failNext).toBe(0);
    expect(letter).toMatchObject({ deliveries: 2, error: { code: 'invalid_payload' } });
    await eventually(async () => (await storedCount(topology.commandSubject('rollback'))) === 0, 'the message to leave the work queue');
    expect(deadLetters.letters.filter((candidate) => candidate.messageId === sent.commandId)).toHaveLength(1);
  });

  it('handles a message id once, even when the same id is stored again after the duplicate window', async () => {
    // A short duplicate window lets the same Nats-Msg-Id be stored twice, like a re-send after the window.
    const info = await jsm.streams.info(topology.commandsStream);
    await jsm.streams.update(topology.commandsStream, { ...info.config, duplicate_window: 200_000_000 });
    await client.sendCommand('idem', { n: 1 }, { commandId: 'idem-1' });
    await eventually(() => world.callsFor('cmd:idem').length === 1, 'the first handling');
    await eventually(async () => (await storedCount(topology.commandSubject('idem'))) === 0, 'the first ack');
    await sleep(400);
    const again = await client.sendCommand('idem', { n: 1 }, { commandId: 'idem-1' });
    expect(again.duplicate).toBe(false);
    await eventually(async () => (await storedCount(topology.commandSubject('idem'))) === 0, 'the second copy to be acked');
    await jsm.streams.update(topology.commandsStream, info.config);
    expect(world.callsFor('cmd:idem')).toHaveLength(1);
    const processed = await pool.query('SELECT consumer, message_id FROM bascule.processed_messages WHERE message_id = $1', ['idem-1']);
    expect(processed.rows).toEqual([{ consumer: 'cmd-idem', message_id: 'idem-1' }]);
  });

  it('hands a handler idempotent by itself every copy of a message id, and records none in the processed-message store', async () => {
    const info = await jsm.streams.info(topology.commandsStream);
    await jsm.streams.update(topology.commandsStream, { ...info.config, duplicate_window: 200_000_000 });
    try {
      await client.sendCommand('self-idem', { n: 1 }, { commandId: 'self-idem-1' });
      await eventually(() => world.callsFor('cmd:self-idem').length === 1, 'the first handling');
      await eventually(async () => (await storedCount(topology.commandSubject('self-idem'))) === 0, 'the first ack');
      await sleep(400);
      await client.sendCommand('self-idem', { n: 1 }, { commandId: 'self-idem-1' });
      await eventually(() => world.callsFor('cmd:self-idem').length === 2, 'the second copy, handled again');
      await eventually(async () => (await storedCount(topology.commandSubject('self-idem'))) === 0, 'the second ack');
    } finally {
      await jsm.streams.update(topology.commandsStream, info.config);
    }
    const processed = await pool.query('SELECT 1 FROM bascule.processed_messages WHERE message_id = $1', ['self-idem-1']);
    expect(processed.rowCount).toBe(0);
  });

  it('handles the on-call rollback sent as a plain core-NATS publish with no headers', async () => {
    nc.publish(topology.commandSubject('rollback'), JSON.stringify({ migrationId: 'm-oncall', reason: 'p99 up', requestedBy: 'oncall' }));
    const call = await eventually(
      () => world.callsFor('cmd:rollback').find((candidate) => (candidate.payload as { migrationId: string }).migrationId === 'm-oncall'),
      'the plain rollback',
    );
    expect(call.messageId).toMatch(new RegExp(`^${topology.commandsStream}#\\d+$`));
    expect(call.traceparent).toBeUndefined();
    await eventually(async () => (await storedCount(topology.commandSubject('rollback'))) === 0, 'the plain rollback ack');
  });

  it('continues the sender’s trace in the handler: same trace id in the active context and in traceparent', async () => {
    const { traceId, sent } = await withSpan('on-call rollback', {}, async () => ({
      traceId: currentTraceId(),
      sent: await client.sendCommand(
        'rollback',
        { migrationId: 'm-trace', reason: 'r', requestedBy: 'me' },
        { metadata: { correlationId: 'm-trace', actor: 'me' } },
      ),
    }));
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const call = await eventually(() => world.calls.find((candidate) => candidate.messageId === sent.commandId), 'the traced command');
    expect(call.traceId).toBe(traceId);
    expect(call.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(call.metadata).toEqual({ correlationId: 'm-trace', actor: 'me', traceparent: call.traceparent });
    const finished = await eventually(() => {
      const list = spans.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
      return list.length >= 3 ? list : undefined;
    }, 'the spans of the trace');
    expect(finished.map((span) => span.name).sort()).toEqual(
      ['on-call rollback', `process ${topology.commandSubject('rollback')}`, `send ${topology.commandSubject('rollback')}`].sort(),
    );
  });

  it('replaces the single events consumer of an older version: starts past its ack floor, nothing replayed or skipped, and deletes it', async () => {
    const legacy = legacyEventsConsumerName('upgraded-service');
    await jsm.consumers.add(topology.eventsStream, {
      durable_name: legacy,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.New,
      filter_subject: topology.eventsFilter,
    });
    const publish = (id: string) =>
      nc.jetstream().publish(topology.eventSubject('StepCompleted'), JSON.stringify({ eventId: id, type: 'StepCompleted', data: { stepId: id } }), { msgID: id });
    await publish('evt-settled-1');
    await publish('evt-settled-2');
    const old = await nc.jetstream().consumers.get(topology.eventsStream, legacy);
    for await (const msg of await old.fetch({ max_messages: 2, expires: 2_000 })) await msg.ackAck();
    await publish('evt-unsettled');

    const seen: string[] = [];
    const module = await Test.createTestingModule({ controllers: [UpgradedHandlers], providers: [{ provide: UPGRADED, useValue: seen }] }).compile();
    const app = module.createNestMicroservice({
      strategy: new JetStreamServer({ serviceName: 'upgraded-service', topology, fetchExpiresMs: 1_000, deadLetters }),
      logger: false,
    });
    await app.listen();
    try {
      await eventually(() => seen.includes('evt-unsettled'), 'the event the old consumer had not settled');
      await publish('evt-after-upgrade');
      await eventually(() => seen.includes('evt-after-upgrade'), 'an event published after the upgrade');
      expect(seen).toEqual(['evt-unsettled', 'evt-after-upgrade']);
      const names = [];
      for await (const info of jsm.consumers.list(topology.eventsStream)) names.push(info.name);
      expect(names).not.toContain(legacy);
      expect(names).toContain('upgraded-service-events-StepCompleted');
    } finally {
      await app.close();
    }
  });

  it('on close, stops pulling but lets the in-flight handler finish and ack first', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    world.behaviours.set('cmd:slow', async () => {
      await gate;
      await sleep(100);
      finished = true;
    });
    await client.sendCommand('slow', { n: 1 });
    const call = await eventually(() => world.callsFor('cmd:slow')[0], 'the slow handler to start');
    const app = apps.get(call.instance);
    if (!app) throw new Error(`no running instance ${call.instance}`);
    apps.delete(call.instance);
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await sleep(300);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(finished).toBe(true);
    expect(await storedCount(topology.commandSubject('slow'))).toBe(0);
    expect(world.callsFor('cmd:slow')).toHaveLength(1);
  });
});

describe('JetStreamServer handler declarations', () => {
  @Controller()
  class WildcardHandlers {
    @EventPattern('cmd:rollback.*')
    any() {
      return undefined;
    }
  }

  it('refuses a pattern that is not a plain command or event name, before touching NATS', async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [WildcardHandlers] }).compile();
    const app = moduleRef.createNestMicroservice({
      strategy: new JetStreamServer({ serviceName: 'bad', topology: busTopology(uniqueBusPrefix()), servers: 'nats://127.0.0.1:1', deadLetters: new CollectingDeadLetterSink() }),
      logger: false,
    });
    await expect(app.listen()).rejects.toMatchObject({ code: 'unsupported_handler', message: expect.stringContaining('cmd:rollback.*') });
    await app.close();
  });
});
