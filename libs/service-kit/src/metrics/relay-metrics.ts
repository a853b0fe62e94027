import type { StoredEvent } from '@bascule/event-store';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The outbox relay on `/metrics`: events published to JetStream, and how long the last published
 * batch's oldest event waited in the store after its commit (the lag a consumer sees on top of its
 * own work). Only the copy holding the relay lease publishes, so the counter summed over copies
 * counts every event once (a re-publish after a crash counts again).
 */
export class RelayMetrics {
  private readonly publishedTotal: Counter;
  private readonly lag: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.publishedTotal = new Counter({ name: 'bascule_relay_published_total', help: 'Stored events the outbox relay published and JetStream acknowledged.', registers });
    this.lag = new Gauge({
      name: 'bascule_relay_lag_seconds',
      help: "Seconds between the commit of the last published batch's oldest event and JetStream's acknowledgement of it.",
      registers,
    });
  }

  published(events: readonly StoredEvent[], now = Date.now()): void {
    if (events.length === 0) return;
    this.publishedTotal.inc(events.length);
    const oldest = Math.min(...events.map((event) => event.recordedAt.getTime()));
    // Clocks of Postgres and this process may differ by a little: never a negative lag.
    this.lag.set(Math.max(0, now - oldest) / 1000);
  }
}
