import { MessagingError } from './messaging.error';

/**
 * A payload that is not JSON or fails its zod schema. It can never succeed, so the server
 * dead-letters it at once instead of retrying; `issues` are the zod issues, with their paths.
 */
export class InvalidPayloadError extends MessagingError {
  readonly code = 'invalid_payload';

  constructor(
    readonly subject: string,
    readonly reason: string,
    readonly issues: unknown[] = [],
    options?: { cause?: unknown },
  ) {
    super(`payload on "${subject}" is invalid: ${reason}`, options);
  }
}
