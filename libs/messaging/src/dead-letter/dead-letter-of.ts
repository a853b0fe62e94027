import { createHash } from 'node:crypto';
import { DEAD_LETTER_PAYLOAD_BYTES, type DeadLetter, type DeadLetterError } from '@bascule/contracts';
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
    messageId: clip(ctx.getMessageId(), 200),
    ...payloadOf(msg.data),
    headers: headersOf(ctx.getHeaders()),
    error: errorOf(error),
    deliveries: msg.info.deliveryCount,
    deadLetteredAt: now.toISOString(),
  };
}

const MAX_HEADERS = 32;
const MAX_HEADER_VALUE = 1024;
const MAX_ERROR_MESSAGE = 2000;
const MAX_ISSUES = 20;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The payload's first bytes, its size and its digest (see DeadLetter). */
function payloadOf(data: Uint8Array): Pick<DeadLetter, 'payload' | 'payloadEncoding' | 'payloadBytes' | 'payloadSha256' | 'payloadTruncated'> {
  const kept = data.subarray(0, DEAD_LETTER_PAYLOAD_BYTES);
  const whole = { payloadBytes: data.length, payloadSha256: createHash('sha256').update(data).digest('hex'), payloadTruncated: kept.length < data.length };
  try {
    // A cut may split a multi-byte character at the end: decode what stands before it.
    return { payload: utf8.decode(whole.payloadTruncated ? trimPartialCharacter(kept) : kept), payloadEncoding: 'utf8', ...whole };
  } catch {
    return { payload: Buffer.from(kept).toString('base64'), payloadEncoding: 'base64', ...whole };
  }
}

/** Drops the bytes of a UTF-8 sequence the cut left incomplete (at most 3). */
function trimPartialCharacter(bytes: Uint8Array): Uint8Array {
  let start = bytes.length - 1;
  while (start >= 0 && start >= bytes.length - 4 && (bytes[start] & 0xc0) === 0x80) start--;
  if (start < 0) return bytes;
  const lead = bytes[start];
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return start + length > bytes.length ? bytes.subarray(0, start) : bytes;
}

function headersOf(headers: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(headers)
      .slice(0, MAX_HEADERS)
      .map(([name, values]) => [clip(name, 200), values.slice(0, 8).map((value) => clip(value, MAX_HEADER_VALUE))]),
  );
}

function errorOf(error: Error): DeadLetterError {
  const maybeCode = (error as { code?: unknown }).code;
  const code = typeof maybeCode === 'string' && maybeCode !== '' ? clip(maybeCode, 100) : 'handler_failed';
  const issues = error instanceof InvalidPayloadError && error.issues.length > 0 ? { issues: error.issues.slice(0, MAX_ISSUES) } : {};
  return { code, message: clip(error.message, MAX_ERROR_MESSAGE), ...issues };
}
