import { headers, type MsgHdrs } from 'nats';
import type { StoredEvent } from '../event';

/** The JSON body of an event on the bus: the stored event, positions as strings (JSON has no bigint). */
export interface RelayedEventBody {
  eventId: string;
  type: string;
  streamId: string;
  streamVersion: number;
  globalPosition: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

export function relayedBody(event: StoredEvent): RelayedEventBody {
  return {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition.toString(),
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  };
}

/**
 * Nats-Msg-Id = event id is what makes re-publishing after a crash harmless: the server drops a
 * repeat within the stream's duplicate window. Trace context rides along so consumers continue the
 * writer's trace.
 */
export function relayedHeaders(event: StoredEvent): MsgHdrs {
  const h = headers();
  h.set('Nats-Msg-Id', event.eventId);
  for (const key of ['traceparent', 'tracestate'] as const) {
    const value = event.metadata[key];
    if (typeof value === 'string' && value !== '') h.set(key, value);
  }
  return h;
}
