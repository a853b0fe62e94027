import { EventStoreError } from './event-store.error';

/**
 * Raised when a batch mixes already-stored event ids with new ones, or reuses an id stored in
 * another stream: the caller's retry does not match what was stored, so neither a no-op nor a
 * write would be honest.
 */
export class EventIdReusedError extends EventStoreError {
  readonly code = 'EVENT_ID_REUSED';

  constructor(
    readonly streamId: string,
    readonly eventIds: string[],
  ) {
    super(
      `append to stream "${streamId}": event ids ${eventIds.join(', ')} are already stored, but the batch ` +
        'is not an exact retry of a stored append; give new events new ids',
    );
  }
}
