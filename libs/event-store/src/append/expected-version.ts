import type { ExpectedVersion } from '../event';
import { ExpectedVersionConflictError } from '../errors/expected-version-conflict.error';
import { InvalidAppendError } from '../errors/invalid-append.error';

/** Throws the typed conflict unless a stream at `actual` (0 = no stream) satisfies `expected`. */
export function assertExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): void {
  if (!matchesExpectedVersion(streamId, expected, actual)) {
    throw new ExpectedVersionConflictError(streamId, expected, actual);
  }
}

export function matchesExpectedVersion(streamId: string, expected: ExpectedVersion, actual: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return actual === 0;
    case 'stream_exists':
      return actual > 0;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new InvalidAppendError(
          streamId,
          'expectedVersion',
          `must be 'any', 'no_stream', 'stream_exists' or a version >= 0, got ${JSON.stringify(expected)}`,
        );
      }
      return actual === expected;
  }
}
