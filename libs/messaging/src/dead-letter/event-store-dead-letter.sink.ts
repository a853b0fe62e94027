import { createHash } from 'node:crypto';
import { DEAD_LETTERS_STREAM, MessageDeadLettered, type DeadLetter, type MessageMetadata } from '@bascule/contracts';
import type { DeadLetterSink } from './dead-letter-sink';

/** Structurally the event store's NewEvent: the lead passes `(id, events) => appendEvents(pool, id, events)`. */
export interface DeadLetterEventToAppend {
  eventId: string;
  type: typeof MessageDeadLettered.name;
  data: DeadLetter;
  metadata: MessageMetadata;
}

export type AppendEvents = (streamId: string, events: DeadLetterEventToAppend[]) => Promise<unknown>;

/**
 * Records each dead letter as a `MessageDeadLettered` event. The event id is derived from the
 * consumer and message id, so a retry after a crash between append and term appends nothing new
 * (the store ignores an event id it already holds).
 */
export class EventStoreDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly append: AppendEvents,
    private readonly streamId: string = DEAD_LETTERS_STREAM,
  ) {}

  async record(letter: DeadLetter): Promise<void> {
    const data = MessageDeadLettered.schema.parse(letter);
    await this.append(this.streamId, [
      {
        eventId: deadLetterEventId(letter),
        type: MessageDeadLettered.name,
        data,
        metadata: traceMetadataOf(letter),
      },
    ]);
  }
}

/** A UUID (version 8, name-based) from the consumer and message id. */
export function deadLetterEventId(letter: Pick<DeadLetter, 'consumer' | 'messageId'>): string {
  const hex = createHash('sha256').update(`${letter.consumer}\u0000${letter.messageId}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function traceMetadataOf(letter: DeadLetter): MessageMetadata {
  const traceparent = letter.headers['traceparent']?.[0];
  return traceparent ? { traceparent, causationId: letter.messageId } : { causationId: letter.messageId };
}
