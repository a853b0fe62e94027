import type { BusTopology } from '../topology';
import type { Backoff } from '../consumers/redelivery-policy';
import type { DeadLetterSink } from '../dead-letter/dead-letter-sink';
import type { IdempotencyStore } from '../idempotency/idempotency-store';
import type { Registry } from 'prom-client';
import type { TraceOrigin } from './message-processor';

export interface JetStreamServerOptions {
  /**
   * The service's metrics registry (service-kit's METRICS_REGISTRY): per consumer, messages
   * handled and their duration, redeliveries, dead letters and pending messages. None: no metrics.
   */
  metrics?: Registry;
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
  /** Where a message sent without trace context continues a trace (a migration's, by its id). Default: it starts one. */
  traceOrigin?: TraceOrigin;
  /** How long one pull waits for a message before asking again. Default 5 s (minimum 1 s). */
  fetchExpiresMs?: number;
}
