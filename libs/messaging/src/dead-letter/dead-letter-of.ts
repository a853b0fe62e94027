import type { DeadLetter, DeadLetterError } from '@bascule/contracts';
import type { JsMsg } from 'nats';
import { InvalidPayloadError } from '../errors/invalid-payload.error';
import type { JetStreamContext } from '../server/jetstream.context';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Everything about a delivery needed to inspect it later and publish it again. */
export function deadLetterOf(msg: JsMsg, ctx: JetStreamContext, error: Error, now: Date = new Date()): DeadLetter {
  return {
    consumer: ctx.getConsumer(),
    subject: msg.subject,
    stream: msg.info.stream,
    streamSequence: msg.seq,
    messageId: ctx.getMessageId(),
    ...payloadOf(msg.data),
    headers: ctx.getHeaders(),
    error: errorOf(error),
    deliveries: msg.info.deliveryCount,
    deadLetteredAt: now.toISOString(),
  };
}

function payloadOf(data: Uint8Array): Pick<DeadLetter, 'payload' | 'payloadEncoding'> {
  try {
    return { payload: utf8.decode(data), payloadEncoding: 'utf8' };
  } catch {
    return { payload: Buffer.from(data).toString('base64'), payloadEncoding: 'base64' };
  }
}

function errorOf(error: Error): DeadLetterError {
  const maybeCode = (error as { code?: unknown }).code;
  const code = typeof maybeCode === 'string' && maybeCode !== '' ? maybeCode : 'handler_failed';
  const issues = error instanceof InvalidPayloadError && error.issues.length > 0 ? { issues: error.issues } : {};
  return { code, message: error.message, ...issues };
}
