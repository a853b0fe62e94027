import type { LoggerService } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import { ROOT_CONTEXT, SpanKind, context, trace, type Context, type Span } from '@opentelemetry/api';
import { extractTraceContext, withSpan } from '@bascule/telemetry';
import type { JsMsg } from 'nats';
import { isObservable, lastValueFrom } from 'rxjs';
import type { z } from 'zod';
import { decideOnFailure, type Backoff } from '../consumers/redelivery-policy';
import { deadLetterOf } from '../dead-letter/dead-letter-of';
import type { DeadLetterSink } from '../dead-letter/dead-letter-sink';
import { DeliveryLimitExceededError } from '../errors/delivery-limit-exceeded.error';
import { handlerFailure } from '../errors/handler-failed.error';
import { InvalidPayloadError } from '../errors/invalid-payload.error';
import type { IdempotencyStore } from '../idempotency/idempotency-store';
import type { ConsumerMetrics } from '../metrics/consumer-metrics';
import { JetStreamContext } from './jetstream.context';

export interface RegisteredHandler {
  kind: 'command' | 'event';
  handler: MessageHandler;
  /** For a command: the payload's schema. For an event: the schema of the envelope's `data`. */
  schema?: z.ZodType;
  /** Skips the processed-message store (see `BusHandlerOptions.idempotentByItself`). */
  idempotentByItself?: boolean;
}

export interface MessageProcessorOptions {
  maxDeliver: number;
  backoff: Backoff;
  ackWaitMs: number;
  deadLetters: DeadLetterSink;
  idempotency?: IdempotencyStore;
  logger: LoggerService;
  /** Counts and times every settled message per consumer. */
  metrics?: ConsumerMetrics;
  traceOrigin?: TraceOrigin;
}

/**
 * For a message that carries no trace context (sent with a plain `nats pub`): the `traceparent`
 * its handling should continue, found from its (parsed, not yet validated) payload; undefined
 * starts a trace of its own.
 */
export type TraceOrigin = (payload: unknown) => Promise<string | undefined>;

type Outcome = 'acked' | 'duplicate' | 'not-handled-here' | 'retry' | 'handed-back' | 'dead-lettered' | 'dead-letter-failed';

/**
 * Delay before a handed-back message is delivered again: long enough that the stopping process's
 * consumer, closing right after, does not take it back itself; short next to a restart.
 */
export const HAND_BACK_DELAY_MS = 1_000;

/**
 * Takes one delivered message to exactly one of: acked after its handler succeeded, acked as an
 * already-processed duplicate, nak'ed with a delay for a retry, or recorded as a dead letter and
 * terminated. Never throws: every path settles the message with the server.
 */
export class MessageProcessor {
  constructor(private readonly options: MessageProcessorOptions) {}

  async process(msg: JsMsg, consumer: string, registered: RegisteredHandler | undefined): Promise<Outcome> {
    const ctx = JetStreamContext.of(msg, consumer);
    const parent = await this.traceParentOf(msg, ctx);
    const attributes = {
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.destination.name': msg.subject,
      'messaging.message.id': ctx.getMessageId(),
      'messaging.consumer.group.name': consumer,
      'messaging.nats.delivery_count': msg.info.deliveryCount,
    };
    return context.with(parent, () =>
      withSpan(`process ${msg.subject}`, attributes, (span) => this.settle(msg, ctx, registered, span), { kind: SpanKind.CONSUMER }),
    );
  }

  private async traceParentOf(msg: JsMsg, ctx: JetStreamContext): Promise<Context> {
    const sent = extractTraceContext(ctx.getHeaders(), ROOT_CONTEXT);
    if (trace.getSpanContext(sent) || !this.options.traceOrigin) return sent;
    try {
      const traceparent = await this.options.traceOrigin(JSON.parse(new TextDecoder().decode(msg.data)));
      return traceparent ? extractTraceContext({ traceparent }, ROOT_CONTEXT) : sent;
    } catch {
      // Not JSON, or the store did not answer: the handling still runs, in a trace of its own.
      return sent;
    }
  }

  private async settle(msg: JsMsg, ctx: JetStreamContext, registered: RegisteredHandler | undefined, span: Span): Promise<Outcome> {
    const began = performance.now();
    this.options.metrics?.delivered(ctx.getConsumer(), msg.redelivered);
    const outcome = await this.decide(msg, ctx, registered);
    this.options.metrics?.settled(ctx.getConsumer(), outcome, (performance.now() - began) / 1000);
    span.setAttribute('bascule.outcome', outcome);
    return outcome;
  }

  private async decide(msg: JsMsg, ctx: JetStreamContext, registered: RegisteredHandler | undefined): Promise<Outcome> {
    // Each consumer filters on a subject this service handles; anything else (a subject whose
    // handler a newer version dropped) has nobody to run here and is done.
    if (!registered) return this.ack(msg, 'not-handled-here');
    const deliveries = msg.info.deliveryCount;
    const idempotency = registered.idempotentByItself ? undefined : this.options.idempotency;
    try {
      if (await idempotency?.isProcessed(ctx.getConsumer(), ctx.getMessageId())) return this.ack(msg, 'duplicate');
    } catch (error) {
      return this.retry(msg, ctx, deliveries, error);
    }
    if (deliveries > this.options.maxDeliver) {
      return this.deadLetter(msg, ctx, new DeliveryLimitExceededError(deliveries, this.options.maxDeliver));
    }
    let payload: unknown;
    try {
      payload = decodePayload(msg, registered);
    } catch (error) {
      return this.deadLetter(msg, ctx, error as Error);
    }
    try {
      await this.invoke(registered.handler, payload, msg, ctx);
    } catch (thrown) {
      if (ctx.handedBack) return this.handBack(msg, ctx);
      const error = handlerFailure(thrown);
      const decision = decideOnFailure(error, deliveries, this.options.maxDeliver, this.options.backoff);
      if (decision.action === 'dead-letter') return this.deadLetter(msg, ctx, error);
      return this.retry(msg, ctx, deliveries, error, decision.delayMs);
    }
    if (ctx.handedBack) return this.handBack(msg, ctx);
    try {
      await idempotency?.markProcessed(ctx.getConsumer(), ctx.getMessageId());
    } catch (error) {
      // Handled but not recorded: ack anyway. A redelivery would call the handler again, and
      // handlers are idempotent by contract; holding the message back would do that for sure.
      this.options.logger.warn?.(`${ctx.getSubject()} ${ctx.getMessageId()}: handled, but recording it failed: ${(error as Error).message}`);
    }
    return this.ack(msg, 'acked');
  }

  /** Nest's proxy returns a promise or, for errors and chained handlers, an observable: wait for either. */
  private async invoke(handler: MessageHandler, payload: unknown, msg: JsMsg, ctx: JetStreamContext): Promise<void> {
    // Long work must not be redelivered to another copy mid-way: tell the server we are alive.
    const heartbeat = setInterval(() => msg.working(), Math.max(this.options.ackWaitMs / 3, 100));
    try {
      const result = await handler(payload, ctx);
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async ack(msg: JsMsg, outcome: Outcome): Promise<Outcome> {
    // ackAck: the server confirms, so "handled" never rests on an ack lost on the wire unnoticed.
    const confirmed = await msg.ackAck().catch(() => false);
    if (!confirmed) this.options.logger.warn?.(`${msg.subject} #${msg.seq}: ack not confirmed; it may be redelivered and skipped as a duplicate`);
    return outcome;
  }

  private handBack(msg: JsMsg, ctx: JetStreamContext): Outcome {
    this.options.logger.log(`${ctx.getSubject()} ${ctx.getMessageId()} handed back for redelivery: ${ctx.handedBack}`);
    msg.nak(HAND_BACK_DELAY_MS);
    return 'handed-back';
  }

  private retry(msg: JsMsg, ctx: JetStreamContext, deliveries: number, error: unknown, delayMs = this.options.backoff[0] ?? 0): Outcome {
    this.options.logger.warn?.(
      `${ctx.getSubject()} ${ctx.getMessageId()} failed on delivery ${deliveries}/${this.options.maxDeliver}, retrying in ${delayMs} ms: ${(error as Error).message}`,
    );
    msg.nak(delayMs);
    return 'retry';
  }

  private async deadLetter(msg: JsMsg, ctx: JetStreamContext, error: Error): Promise<Outcome> {
    const letter = deadLetterOf(msg, ctx, error);
    try {
      await this.options.deadLetters.record(letter);
    } catch (sinkError) {
      // Not recorded means not given up on: keep the message; the next delivery dead-letters again.
      this.options.logger.error(`${ctx.getSubject()} ${ctx.getMessageId()}: dead-letter sink failed, keeping the message: ${(sinkError as Error).message}`);
      msg.nak(this.options.backoff[this.options.backoff.length - 1] ?? 0);
      return 'dead-letter-failed';
    }
    this.options.logger.error(`${ctx.getSubject()} ${ctx.getMessageId()} dead-lettered after ${letter.deliveries} deliveries: [${letter.error.code}] ${letter.error.message}`);
    msg.term();
    return 'dead-lettered';
  }
}

/**
 * A command's payload is the JSON body itself (what `nats pub` sends). An event's body is the
 * relay's envelope (`{eventId, type, streamId, streamVersion, data, metadata, ...}`); its schema —
 * the contract's `defineEvent` schema — describes `data`, so that is what is validated, and the
 * handler gets the envelope with `data` parsed.
 */
function decodePayload(msg: JsMsg, registered: RegisteredHandler): unknown {
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(msg.data));
  } catch (error) {
    throw new InvalidPayloadError(msg.subject, `not JSON (${(error as Error).message})`, [], { cause: error });
  }
  const { schema } = registered;
  if (!schema) return body;
  if (registered.kind === 'command') return validate(msg.subject, schema, body);
  if (typeof body !== 'object' || body === null || !('data' in body)) {
    throw new InvalidPayloadError(msg.subject, 'event body is not an envelope with a "data" field');
  }
  return { ...body, data: validate(msg.subject, schema, (body as { data: unknown }).data) };
}

function validate(subject: string, schema: z.ZodType, value: unknown): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const summary = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new InvalidPayloadError(subject, summary, parsed.error.issues);
}
