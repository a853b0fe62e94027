import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server, type MessageHandler } from '@nestjs/microservices';
import { connect, DeliverPolicy, type Consumer, type ConsumerMessages, type NatsConnection } from 'nats';
import { ackFloorOf, ensureConsumer, retireConsumer, type ConsumerSpec } from '../consumers/ensure-consumer';
import { commandConsumerName, eventsConsumerName, legacyEventsConsumerName } from '../consumers/consumer-names';
import { DEFAULT_ACK_WAIT_MS, DEFAULT_BACKOFF, DEFAULT_MAX_DELIVER, type Backoff } from '../consumers/redelivery-policy';
import { UnsupportedHandlerError } from '../errors/consumer-setup.error';
import { isIdempotentByItself, patternOfSubject, payloadSchemaOf, routeOf, type BusRoute } from '../handlers/bus-route';
import { ensureStreams } from '../streams';
import { natsCredentials } from '../connection/nats-credentials';
import { busTopology, type BusTopology } from '../topology';
import type { JetStreamServerOptions } from './jetstream-server.options';
import { ConsumerMetrics, type PendingSource } from '../metrics/consumer-metrics';
import { MessageProcessor, type RegisteredHandler } from './message-processor';

export type JetStreamServerStatus = 'connected' | 'disconnected' | 'reconnecting';

/** NATS connection status events (`disconnect`, `reconnect`, `error`, ...) a caller may listen to with `on`. */
export type JetStreamServerEvents = Record<string, (data: unknown) => void>;

const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';
/** A scrape waits at most this long for the consumers' pending counts. */
const PENDING_TIMEOUT_MS = 1_000;
const SUBJECT_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/**
 * NestJS transport over JetStream durable pull consumers:
 *
 *   app.connectMicroservice({ strategy: new JetStreamServer({ serviceName, deadLetters, idempotency }) });
 *
 * Each event handler (`@EventHandler('StepCompleted')`, or `@EventPattern`) gets a consumer of
 * its event type per service on the events stream (events of different types may be handled in
 * either order: handlers re-read the stream they concern); each command handler (`@CommandHandler('rollback')`, or
 * `@EventPattern('cmd:rollback')`) gets the consumer of its subject on the work-queue stream.
 * Each consumer is pulled one message at a time per process, so copies of a service split the
 * work evenly and a stopping copy holds at most one message per consumer.
 */
export class JetStreamServer extends Server<JetStreamServerEvents, JetStreamServerStatus> implements CustomTransportStrategy {
  readonly topology: BusTopology;
  protected override readonly logger = new Logger(JetStreamServer.name);
  private readonly backoff: Backoff;
  private readonly maxDeliver: number;
  private readonly ackWaitMs: number;
  private readonly fetchExpiresMs: number;
  private connection?: NatsConnection;
  private closing = false;
  private readonly loops: Array<Promise<void>> = [];
  private readonly batches = new Set<ConsumerMessages>();
  private readonly listeners = new Map<string, Array<(data: unknown) => void>>();
  private readonly wakeups = new Set<() => void>();
  private untrackPending: (() => void) | undefined;

  constructor(private readonly options: JetStreamServerOptions) {
    super();
    this.topology = options.topology ?? busTopology();
    this.maxDeliver = options.maxDeliver ?? DEFAULT_MAX_DELIVER;
    this.backoff = options.backoff ?? (options.nakDelayMs !== undefined ? [options.nakDelayMs] : DEFAULT_BACKOFF);
    this.ackWaitMs = options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
    this.fetchExpiresMs = Math.max(options.fetchExpiresMs ?? 5_000, 1_000);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      await this.start();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** Stops pulling, lets each in-flight handler finish and settle its message, then drains the connection. */
  async close(): Promise<void> {
    this.closing = true;
    this.untrackPending?.();
    for (const batch of this.batches) batch.stop();
    for (const wake of this.wakeups) wake();
    await Promise.allSettled(this.loops);
    if (this.connection && !this.connection.isClosed()) await this.connection.drain();
    this._status$.next('disconnected');
  }

  on(event: string, callback: (data: unknown) => void): void {
    const list = this.listeners.get(event) ?? [];
    list.push(callback);
    this.listeners.set(event, list);
  }

  unwrap<T>(): T {
    if (!this.connection) throw new Error('JetStreamServer is not listening yet: call app.listen() / startAllMicroservices() first');
    return this.connection as T;
  }

  private async start(): Promise<void> {
    const routes = this.routes();
    this.connection = await connect({
      servers: this.options.servers ?? process.env.NATS_URL ?? DEFAULT_NATS_URL,
      name: this.options.serviceName,
      // A service outlives NATS restarts: keep reconnecting instead of giving up after 10 tries.
      maxReconnectAttempts: -1,
      ...natsCredentials(),
    });
    void this.followStatus(this.connection);
    const jsm = await this.connection.jetstreamManager();
    await ensureStreams(jsm, this.topology);
    await this.options.idempotency?.prepare?.();
    const processor = new MessageProcessor({
      maxDeliver: this.maxDeliver,
      backoff: this.backoff,
      ackWaitMs: this.ackWaitMs,
      deadLetters: this.options.deadLetters,
      idempotency: this.options.idempotency,
      traceOrigin: this.options.traceOrigin,
      logger: this.logger,
      metrics: this.options.metrics ? ConsumerMetrics.of(this.options.metrics) : undefined,
    });
    const legacy = legacyEventsConsumerName(this.options.serviceName);
    const resumeAt = await ackFloorOf(jsm, this.topology.eventsStream, legacy);
    const specs = this.consumerSpecs(routes, resumeAt);
    const js = this.connection.jetstream();
    for (const spec of specs) {
      await ensureConsumer(jsm, spec);
    }
    if (resumeAt !== undefined) await retireConsumer(jsm, this.topology.eventsStream, legacy);
    if (this.options.metrics) this.untrackPending = ConsumerMetrics.of(this.options.metrics).trackPending(await this.pendingOf(specs));
    for (const spec of specs) {
      const consumer = await js.consumers.get(spec.stream, spec.name);
      this.loops.push(this.pull(consumer, spec.name, processor));
    }
    this._status$.next('connected');
  }

  /** Reads each consumer's `num_pending` at scrape time; a short timeout so a NATS outage cannot hold a scrape. */
  private async pendingOf(specs: readonly ConsumerSpec[]): Promise<PendingSource> {
    const jsm = await (this.connection as NatsConnection).jetstreamManager({ timeout: PENDING_TIMEOUT_MS });
    return async () => {
      const infos = await Promise.allSettled(specs.map((spec) => jsm.consumers.info(spec.stream, spec.name)));
      return infos.flatMap((info, i) => (info.status === 'fulfilled' ? [{ consumer: specs[i].name, pending: info.value.num_pending }] : []));
    };
  }

  private routes(): BusRoute[] {
    const routes: BusRoute[] = [];
    for (const [pattern, handler] of this.messageHandlers) {
      if (!handler.isEventHandler) {
        throw new UnsupportedHandlerError(
          `handler for "${pattern}" is a @MessagePattern (request-response); the JetStream transport only runs @EventPattern / @CommandHandler / @EventHandler`,
        );
      }
      const route = routeOf(pattern, this.topology);
      const name = route.kind === 'command' ? route.name : route.type;
      // The name becomes a subject: no wildcards, spaces or empty tokens (an object pattern would give "{...}").
      if (!SUBJECT_NAME.test(name)) {
        throw new UnsupportedHandlerError(
          `handler pattern "${pattern}" does not name a ${route.kind}: use letters, digits, "_", "-" and single dots (e.g. "cmd:rollback", "StepCompleted")`,
        );
      }
      routes.push(route);
    }
    return routes;
  }

  /** `resumeAt`: the stream sequence new event consumers start at when they replace the legacy one. */
  private consumerSpecs(routes: BusRoute[], resumeAt?: number): ConsumerSpec[] {
    const specs: ConsumerSpec[] = [];
    const common = { ackWaitMs: this.ackWaitMs };
    for (const route of routes) {
      if (route.kind !== 'event') continue;
      specs.push({
        ...common,
        stream: this.topology.eventsStream,
        name: eventsConsumerName(this.options.serviceName, route.type),
        filterSubject: route.subject,
        deliverPolicy:
          resumeAt !== undefined ? DeliverPolicy.StartSequence : this.options.eventsDeliverPolicy === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
        optStartSeq: resumeAt,
        description: `${route.type} events for ${this.options.serviceName}`,
      });
    }
    for (const route of routes) {
      if (route.kind !== 'command') continue;
      specs.push({
        ...common,
        stream: this.topology.commandsStream,
        name: commandConsumerName(route.name),
        filterSubject: route.subject,
        deliverPolicy: DeliverPolicy.All,
        description: `command ${route.name}`,
      });
    }
    return specs;
  }

  private registered(subject: string): RegisteredHandler | undefined {
    const pattern = patternOfSubject(subject, this.topology);
    const handler = pattern === undefined ? undefined : (this.messageHandlers.get(pattern) as MessageHandler | undefined);
    if (!handler || pattern === undefined) return undefined;
    return {
      kind: routeOf(pattern, this.topology).kind,
      handler,
      schema: payloadSchemaOf(handler.extras),
      idempotentByItself: isIdempotentByItself(handler.extras),
    };
  }

  /** One message at a time per consumer: a pull of one, handled and settled before the next pull. */
  private async pull(consumer: Consumer, consumerName: string, processor: MessageProcessor): Promise<void> {
    while (!this.closing) {
      try {
        const batch = await consumer.fetch({ max_messages: 1, expires: this.fetchExpiresMs });
        this.batches.add(batch);
        if (this.closing) batch.stop();
        try {
          for await (const msg of batch) {
            await processor.process(msg, consumerName, this.registered(msg.subject));
          }
        } finally {
          this.batches.delete(batch);
        }
      } catch (error) {
        if (this.closing) return;
        this.logger.error(`pulling ${consumerName} failed, retrying: ${(error as Error).message}`);
        await this.pause(1_000);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeups.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeups.add(wake);
    });
  }

  private async followStatus(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') this._status$.next('disconnected');
      if (status.type === 'reconnecting') this._status$.next('reconnecting');
      if (status.type === 'reconnect') this._status$.next('connected');
      for (const listener of this.listeners.get(status.type) ?? []) listener(status.data);
    }
  }
}
