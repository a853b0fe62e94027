import type { JetStreamClient, PubAck } from 'nats';
import type { BusTopology } from '@bascule/messaging';
import type { StoredEvent } from '../event';
import { relayedBody, relayedHeaders } from './relayed-message';

const encoder = new TextEncoder();

/**
 * Publishes a batch with up to `maxInFlight` unacknowledged messages, awaiting acks in order.
 * One connection delivers publishes in order, so the stream stores them in the log's order while
 * the round trips overlap. Resolves when every message is acknowledged; rejects on the first
 * failure (the caller then re-publishes from its checkpoint and the server drops the repeats).
 */
export async function publishInOrder(
  js: JetStreamClient,
  topology: BusTopology,
  events: readonly StoredEvent[],
  maxInFlight: number,
): Promise<PubAck[]> {
  const acks: PubAck[] = [];
  const inFlight: Array<Promise<PubAck>> = [];
  for (const event of events) {
    const oldest = inFlight.length >= maxInFlight ? inFlight.shift() : undefined;
    if (oldest) acks.push(await oldest);
    const ack = js.publish(topology.eventSubject(event.type), encoder.encode(JSON.stringify(relayedBody(event))), {
      msgID: event.eventId,
      headers: relayedHeaders(event),
    });
    // Awaited below in order; the no-op handler keeps a failure that lands early from counting as unhandled.
    ack.catch(() => undefined);
    inFlight.push(ack);
  }
  for (const ack of inFlight) acks.push(await ack);
  return acks;
}
