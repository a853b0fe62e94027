import { injectTraceHeaders } from '@bascule/telemetry';
import { uuidV7 } from './uuid-v7';
import type { NewEvent } from '../event';
import { InvalidAppendError } from '../errors/invalid-append.error';

/** An event checked and serialized once, ready to hash and insert. */
export interface PreparedEvent {
  eventId: string;
  type: string;
  /** The value as JSON round-trips it: what jsonb will hold, and what the hash covers. */
  data: unknown;
  metadata: Record<string, unknown>;
  dataJson: string;
  metadataJson: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The type becomes a NATS subject suffix (see relay): tokens without spaces or wildcards.
const EVENT_TYPE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const MAX_BATCH = 10_000;

export function prepareAppend(streamId: string, events: readonly NewEvent[]): PreparedEvent[] {
  if (typeof streamId !== 'string' || streamId.trim() === '' || streamId.length > 500) {
    throw new InvalidAppendError(String(streamId), 'streamId', 'must be a non-empty string of at most 500 characters');
  }
  if (!Array.isArray(events) || events.length === 0 || events.length > MAX_BATCH) {
    throw new InvalidAppendError(streamId, 'events', `must be a non-empty array of at most ${MAX_BATCH} events`);
  }
  const seen = new Set<string>();
  return events.map((event, index) => {
    const prepared = prepareEvent(streamId, event, `events[${index}]`);
    if (seen.has(prepared.eventId)) {
      throw new InvalidAppendError(streamId, `events[${index}].eventId`, `repeats ${prepared.eventId} within the batch`);
    }
    seen.add(prepared.eventId);
    return prepared;
  });
}

function prepareEvent(streamId: string, event: NewEvent, where: string): PreparedEvent {
  const eventId = (event.eventId ?? uuidV7()).toLowerCase();
  if (!UUID.test(eventId)) throw new InvalidAppendError(streamId, `${where}.eventId`, 'must be a UUID');
  if (typeof event.type !== 'string' || event.type.length > 200 || !EVENT_TYPE.test(event.type)) {
    throw new InvalidAppendError(streamId, `${where}.type`, 'must be dot-separated tokens of letters, digits, "_" or "-"');
  }
  const metadata = event.metadata ?? {};
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    throw new InvalidAppendError(streamId, `${where}.metadata`, 'must be an object');
  }
  const dataJson = toJson(streamId, `${where}.data`, event.data);
  // Appended inside a span: the event carries that span's trace context, so whoever handles it
  // (relayed to NATS with it) continues the same trace as a child of the span that wrote it.
  const metadataJson = toJson(streamId, `${where}.metadata`, injectTraceHeaders({ ...metadata } as Record<string, string>));
  return {
    eventId,
    type: event.type,
    data: JSON.parse(dataJson),
    metadata: JSON.parse(metadataJson) as Record<string, unknown>,
    dataJson,
    metadataJson,
  };
}

function toJson(streamId: string, where: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new InvalidAppendError(streamId, where, `is not serializable to JSON (${(error as Error).message})`);
  }
  if (json === undefined) throw new InvalidAppendError(streamId, where, 'must be a JSON value');
  // jsonb rejects NUL in strings; say so here rather than fail mid-insert with a driver error.
  if (json.includes('\\u0000')) throw new InvalidAppendError(streamId, where, 'must not contain NUL characters');
  return json;
}
