import { randomUUID } from 'node:crypto';
import type { MessageMetadata } from '@bascule/contracts';
import { SpanKind } from '@opentelemetry/api';
import { injectTraceHeaders, withSpan } from '@bascule/telemetry';
import { connect, type NatsConnection, type PubAck } from 'nats';
import type { z } from 'zod';
import { InvalidPayloadError } from '../errors/invalid-payload.error';
import { CommandNotAcceptedError } from '../errors/command-not-accepted.error';
import { METADATA_HEADER, toNatsHeaders } from '../server/message-headers';
import { busTopology, type BusTopology } from '../topology';
import { natsCredentials } from '../connection/nats-credentials';

export interface SendCommandOptions {
  /** Idempotency key, sent as `Nats-Msg-Id`: a re-send within the duplicate window is dropped by the server. Generated when omitted. */
  commandId?: string;
  /** Correlation, causation, actor: the handler reads them with `ctx.getMetadata()`. */
  metadata?: MessageMetadata;
  /** How long to wait for the stream to confirm it stored the command. Default 5 s. */
  timeoutMs?: number;
}

export interface SentCommand {
  commandId: string;
  subject: string;
  streamSequence: number;
  /** True when the stream already held this command id: nothing new was queued. */
  duplicate: boolean;
}

/** A command by name, or its contract definition (then the payload is validated before it leaves). */
type CommandRef = string | { name: string; schema: z.ZodType };

/**
 * Sends commands to the work-queue stream. The payload goes on the wire as plain JSON — the same
 * bytes an on-call engineer sends with `nats pub` — while ids, metadata and trace context travel in
 * headers, so one handler serves both senders.
 */
export class BusClient {
  private constructor(
    private readonly connection: NatsConnection,
    readonly topology: BusTopology,
    private readonly ownsConnection: boolean,
  ) {}

  /** Uses a connection the caller owns (and closes). */
  static using(connection: NatsConnection, topology: BusTopology = busTopology()): BusClient {
    return new BusClient(connection, topology, false);
  }

  /** Opens a connection of its own; `close()` drains it. */
  static async connect(options: { servers?: string | string[]; topology?: BusTopology; name?: string } = {}): Promise<BusClient> {
    const connection = await connect({
      servers: options.servers ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      name: options.name ?? 'bascule-bus-client',
      maxReconnectAttempts: -1,
      ...natsCredentials(),
    });
    return new BusClient(connection, options.topology ?? busTopology(), true);
  }

  async sendCommand(command: CommandRef, payload: unknown, options: SendCommandOptions = {}): Promise<SentCommand> {
    const name = typeof command === 'string' ? command : command.name;
    const subject = this.topology.commandSubject(name);
    const body = typeof command === 'string' ? payload : validated(subject, command.schema, payload);
    const commandId = options.commandId ?? randomUUID();
    const attributes = { 'messaging.system': 'nats', 'messaging.operation.type': 'send', 'messaging.operation.name': 'send', 'messaging.destination.name': subject, 'messaging.message.id': commandId };
    return withSpan(`send ${subject}`, attributes, async () => {
      const headers = toNatsHeaders(injectTraceHeaders());
      if (options.metadata) headers.set(METADATA_HEADER, JSON.stringify(options.metadata));
      let ack: PubAck;
      try {
        ack = await this.connection.jetstream().publish(subject, JSON.stringify(body), {
          msgID: commandId,
          headers,
          timeout: options.timeoutMs ?? 5_000,
        });
      } catch (error) {
        throw new CommandNotAcceptedError(subject, commandId, error);
      }
      return { commandId, subject, streamSequence: ack.seq, duplicate: ack.duplicate };
    }, { kind: SpanKind.PRODUCER });
  }

  async close(): Promise<void> {
    if (this.ownsConnection && !this.connection.isClosed()) await this.connection.drain();
  }
}

function validated(subject: string, schema: z.ZodType, payload: unknown): unknown {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const summary = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new InvalidPayloadError(subject, summary, parsed.error.issues);
}
