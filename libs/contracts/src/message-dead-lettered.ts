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

/**
 * A message the bus could not get handled: everything needed to inspect it and publish it again.
 * The payload is kept as sent — UTF-8 text, or base64 when the bytes were not valid UTF-8.
 */
export const DeadLetter = z.object({
  consumer: z.string().min(1),
  subject: z.string().min(1),
  stream: z.string().min(1),
  streamSequence: z.number().int().positive(),
  messageId: z.string().min(1),
  payload: z.string(),
  payloadEncoding: z.enum(['utf8', 'base64']),
  headers: z.record(z.string(), z.array(z.string())),
  error: DeadLetterError,
  deliveries: z.number().int().positive(),
  deadLetteredAt: z.iso.datetime(),
});
export type DeadLetter = z.infer<typeof DeadLetter>;

/** Recorded in the event store (stream `dead-letters`) when a message is dead-lettered. */
export const MessageDeadLettered = defineEvent('MessageDeadLettered', 1, DeadLetter);

export const DEAD_LETTERS_STREAM = 'dead-letters';
