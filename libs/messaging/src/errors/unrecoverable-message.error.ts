import { MessagingError } from './messaging.error';

/**
 * Thrown by a handler that knows a retry cannot help (the migration it names does not exist, ...):
 * the message is dead-lettered on this delivery instead of after `maxDeliver` attempts.
 */
export class UnrecoverableMessageError extends MessagingError {
  readonly code = 'unrecoverable';
}
