import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** One consumer's messages waiting on the server (JetStream consumer info `num_pending`). */
export type PendingSource = () => Promise<ReadonlyArray<{ consumer: string; pending: number }>>;

/** Wide enough for a nudge (milliseconds) and for a backfill command that runs for an hour. */
const HANDLING_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600];

/** One set per registry: every JetStream server of a process (a test may run several) adds to the same series. */
const perRegistry = new WeakMap<Registry, ConsumerMetrics>();

/**
 * The bus on `/metrics`, per durable consumer: messages handled by outcome and how long each took,
 * deliveries that were redeliveries, dead letters, and what waits on the server. The `consumer`
 * label is the durable name (one per handled event type or command): a bounded set, never a
 * message or migration id.
 */
export class ConsumerMetrics {
  private readonly handledTotal: Counter<'consumer' | 'outcome'>;
  private readonly handlingSeconds: Histogram<'consumer'>;
  private readonly redeliveries: Counter<'consumer'>;
  private readonly deadLetters: Counter<'consumer'>;
  private readonly sources = new Set<PendingSource>();

  private constructor(registry: Registry) {
    const registers = [registry];
    const consumer = ['consumer'] as const;
    this.handledTotal = new Counter({
      name: 'bascule_messages_handled_total',
      help: 'Messages a consumer settled, by outcome (acked, duplicate, not-handled-here, retry, handed-back, dead-lettered, dead-letter-failed).',
      labelNames: ['consumer', 'outcome'],
      registers,
    });
    this.handlingSeconds = new Histogram({
      name: 'bascule_message_handling_seconds',
      help: 'Time from a delivery to its settlement (ack, nak or term), handler included.',
      labelNames: consumer,
      buckets: HANDLING_BUCKETS,
      registers,
    });
    this.redeliveries = new Counter({ name: 'bascule_consumer_redeliveries_total', help: 'Deliveries the server flagged as redelivered.', labelNames: consumer, registers });
    this.deadLetters = new Counter({ name: 'bascule_dead_letters_total', help: 'Messages given up on: recorded as dead letters and terminated.', labelNames: consumer, registers });
    const sources = this.sources;
    new Gauge({
      name: 'bascule_consumer_pending_messages',
      help: "Messages waiting on the server for a consumer (num_pending), read at scrape time; a consumer that cannot be asked keeps its last value.",
      labelNames: consumer,
      registers,
      async collect() {
        const answers = await Promise.all([...sources].map((source) => source().catch(() => [])));
        for (const { consumer: name, pending } of answers.flat()) this.set({ consumer: name }, pending);
      },
    });
  }

  static of(registry: Registry): ConsumerMetrics {
    let metrics = perRegistry.get(registry);
    if (!metrics) {
      metrics = new ConsumerMetrics(registry);
      perRegistry.set(registry, metrics);
    }
    return metrics;
  }

  delivered(consumer: string, redelivered: boolean): void {
    if (redelivered) this.redeliveries.inc({ consumer });
  }

  settled(consumer: string, outcome: string, seconds: number): void {
    this.handledTotal.inc({ consumer, outcome });
    this.handlingSeconds.observe({ consumer }, seconds);
    if (outcome === 'dead-lettered') this.deadLetters.inc({ consumer });
  }

  /** Asked at every scrape; returns a function that stops asking (the server closed). */
  trackPending(source: PendingSource): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }
}
