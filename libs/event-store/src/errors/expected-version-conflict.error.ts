import type { ExpectedVersion } from '../event';
import { EventStoreError } from './event-store.error';

/** Raised when an append's expected version does not match the stream: nothing was written. */
export class ExpectedVersionConflictError extends EventStoreError {
  readonly code = 'EXPECTED_VERSION_CONFLICT';

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    /** The stream's last version when the conflict was seen (0 = no stream; null = moved on, version not known). */
    readonly actual: number | null,
    options?: { cause?: unknown },
  ) {
    super(
      `stream "${streamId}" is ${actual === null ? 'past the version this append read' : `at version ${actual}`}, ` +
        `the append expected ${String(expected)}: re-read the stream, decide again and retry with the new version`,
      options,
    );
  }
}

export function isExpectedVersionConflictError(error: unknown): error is ExpectedVersionConflictError {
  return error instanceof ExpectedVersionConflictError;
}
