/**
 * Remembers which messages a consumer has handled. JetStream delivers at least once (a crash
 * between handling and ack, an ack lost on the wire); the transport asks `isProcessed` before
 * calling a handler and calls `markProcessed` after it succeeded, before acking.
 */
export interface IdempotencyStore {
  /** Creates what the store needs; called once when the transport starts. Must be idempotent. */
  prepare?(): Promise<void>;
  isProcessed(consumer: string, messageId: string): Promise<boolean>;
  markProcessed(consumer: string, messageId: string): Promise<void>;
}
