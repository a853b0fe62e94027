import { z } from 'zod';
import { defineEvent } from './message-definition';

/**
 * Why a bus message was given up on. `code` is stable (`handler_failed`, `invalid_payload`,
 * `delivery_limit_exceeded`, ...); `issues` carries the zod issues of a payload that failed its schema.
 */
export const DeadLetterError = z.object({
  code: z.string().min(1),
  message: z.string(),
  issues: z.array(z.unknown()).optional(),
});
export type DeadLetterError = z.infer<typeof DeadLetterError>;

/** How much of a dead message's payload the log keeps: anyone can publish junk, and the log is for ever. */
export const DEAD_LETTER_PAYLOAD_BYTES = 4096;

/**
 * A message the bus could not get handled: enough to inspect it and tell it apart. The log keeps
 * the first DEAD_LETTER_PAYLOAD_BYTES of the payload (UTF-8 text, or base64 when the bytes were
 * not valid UTF-8), its size and its SHA-256, never more: twenty 1 MB messages of junk cost twenty
 * small events, not 20 MB.
 */
export const DeadLetter = z.object({
  consumer: z.string().min(1).max(200),
  subject: z.string().min(1).max(500),
  stream: z.string().min(1).max(200),
  streamSequence: z.number().int().positive(),
  messageId: z.string().min(1).max(200),
  payload: z.string(),
  payloadEncoding: z.enum(['utf8', 'base64']),
  /** Size of the whole payload as received. */
  payloadBytes: z.number().int().nonnegative(),
  /** Hex SHA-256 of the whole payload as received. */
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** True when `payload` holds only the first DEAD_LETTER_PAYLOAD_BYTES. */
  payloadTruncated: z.boolean(),
  headers: z.record(z.string(), z.array(z.string())),
  error: DeadLetterError,
  deliveries: z.number().int().positive(),
  deadLetteredAt: z.iso.datetime(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

/** Recorded in the event store (stream `dead-letters`) when a message is dead-lettered. */
export const MessageDeadLettered = defineEvent('MessageDeadLettered', 1, DeadLetter);

export const DEAD_LETTERS_STREAM = 'dead-letters';
