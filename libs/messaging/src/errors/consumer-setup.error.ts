import { MessagingError } from './messaging.error';

/** A stream or consumer could not be created or brought to the configuration this service needs. */
export class ConsumerSetupError extends MessagingError {
  readonly code = 'consumer_setup_failed';
}

/** A handler the JetStream transport cannot serve (a request-response `@MessagePattern`, an empty name). */
export class UnsupportedHandlerError extends MessagingError {
  readonly code = 'unsupported_handler';
}
