import type { BusTopology } from '../topology';
import type { Backoff } from '../consumers/redelivery-policy';
import type { DeadLetterSink } from '../dead-letter/dead-letter-sink';
import type { IdempotencyStore } from '../idempotency/idempotency-store';

export interface JetStreamServerOptions {
  /** Names the durable events consumer; copies of one service share it. */
  serviceName: string;
  /** Defaults to NATS_URL, then nats://127.0.0.1:4222. */
  servers?: string | string[];
  /** Defaults to `busTopology()` (prefix from BASCULE_BUS_PREFIX, else `bascule`). */
  topology?: BusTopology;
  /** Deliveries before a failing message is dead-lettered. Default 5. */
  maxDeliver?: number;
  /** How long the server waits for an ack before redelivering. Default DEFAULT_ACK_WAIT_MS (10 s); a running handler extends it. */
  ackWaitMs?: number;
  /** Delay before each retry (by delivery number, the last repeats). Default 1 s, 5 s, 15 s, 30 s. */
  backoff?: Backoff;
  /** Shorthand for a constant backoff. */
  nakDelayMs?: number;
  /** Required: a message is never given up on without being recorded. */
  deadLetters: DeadLetterSink;
  /** Skips messages already handled (by message id). Without it handlers see redeliveries. */
  idempotency?: IdempotencyStore;
  /** Where a NEW events consumer starts: every stored event (default) or only events from now on. */
  eventsDeliverPolicy?: 'all' | 'new';
  /** How long one pull waits for a message before asking again. Default 5 s (minimum 1 s). */
  fetchExpiresMs?: number;
}
