import { BaseRpcContext } from '@nestjs/microservices';
import { MessageMetadata } from '@bascule/contracts';
import type { JsMsg } from 'nats';
import { headersOf, headerValue, METADATA_HEADER } from './message-headers';
import { messageIdOf } from './message-id';

/** What the transport knows about a delivery, beyond the JetStream message itself. */
export interface DeliveryFacts {
  consumer: string;
  messageId: string;
  headers: Record<string, string[]>;
}

/**
 * The `@Ctx()` of a JetStream handler: the subject, ids and headers of the delivery. Acking is the
 * transport's job (after the handler returns), so the raw message is exposed for reading only.
 */
export class JetStreamContext extends BaseRpcContext<[JsMsg, DeliveryFacts]> {
  private handBackReason: string | null = null;

  static of(msg: JsMsg, consumer: string): JetStreamContext {
    return new JetStreamContext([msg, { consumer, messageId: messageIdOf(msg), headers: headersOf(msg) }]);
  }

  getMessage(): JsMsg {
    return this.args[0];
  }

  getSubject(): string {
    return this.args[0].subject;
  }

  getConsumer(): string {
    return this.args[1].consumer;
  }

  /** The idempotency key: `Nats-Msg-Id`, or `<stream>#<seq>` for a message sent without one. */
  getMessageId(): string {
    return this.args[1].messageId;
  }

  getStreamSequence(): number {
    return this.args[0].seq;
  }

  /** 1 on the first delivery. */
  getDeliveryCount(): number {
    return this.args[0].info.deliveryCount;
  }

  /**
   * This process is stopping and the handler stopped its work at a safe point (a backfill between two
   * batches): the transport gives the message back for another delivery at once, instead of acking
   * it or counting it as a failure. Whatever the handler returns or throws afterwards is ignored.
   */
  handBack(reason: string): void {
    this.handBackReason = reason;
  }

  get handedBack(): string | null {
    return this.handBackReason;
  }

  getHeaders(): Record<string, string[]> {
    return this.args[1].headers;
  }

  getHeader(name: string): string | undefined {
    return headerValue(this.args[1].headers, name);
  }

  getTraceparent(): string | undefined {
    return this.getHeader('traceparent');
  }

  /**
   * The sender's metadata plus its trace context, ready to copy into the metadata of events this
   * handler appends. A malformed metadata header is ignored: it must not make a valid command fail.
   */
  getMetadata(): MessageMetadata {
    const raw = this.getHeader(METADATA_HEADER);
    let sent: MessageMetadata = {};
    if (raw) {
      try {
        const parsed = MessageMetadata.safeParse(JSON.parse(raw));
        if (parsed.success) sent = parsed.data;
      } catch {
        sent = {};
      }
    }
    const traceparent = this.getTraceparent();
    const tracestate = this.getHeader('tracestate');
    return { ...sent, ...(traceparent ? { traceparent } : {}), ...(tracestate ? { tracestate } : {}) };
  }
}
