import { MessagingError } from './messaging.error';

/** The commands stream did not confirm a command (NATS down, no stream, timeout): it may not be queued. */
export class CommandNotAcceptedError extends MessagingError {
  readonly code = 'command_not_accepted';

  constructor(readonly subject: string, readonly commandId: string, cause: unknown) {
    super(
      `command ${commandId} on "${subject}" was not confirmed by JetStream (${(cause as Error)?.message ?? cause}); it is safe to send again with the same commandId`,
      { cause },
    );
  }
}
