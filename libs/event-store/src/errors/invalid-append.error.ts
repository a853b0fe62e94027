import { EventStoreError } from './event-store.error';

/** Raised before anything is written when an append's input is malformed. */
export class InvalidAppendError extends EventStoreError {
  readonly code = 'INVALID_APPEND';

  constructor(
    readonly streamId: string,
    readonly field: string,
    problem: string,
  ) {
    super(`append to stream "${streamId}": ${field} ${problem}`);
  }
}
