import type { DeadLetter } from '@bascule/contracts';

export type { DeadLetter } from '@bascule/contracts';

/**
 * Where a message goes when the bus gives up on it. `record` must be durable when it resolves: the
 * transport terminates the message right after, and a rejection makes it keep the message instead
 * (nak, dead-lettered again on the next delivery).
 */
export interface DeadLetterSink {
  record(letter: DeadLetter): Promise<void>;
}
