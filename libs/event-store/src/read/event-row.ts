import type { StoredEvent } from '../event';

/**
 * Column list every reader selects; int8 and xid8 arrive as text and become bigint. The xid8 text
 * gets a name of its own: aliased as `transaction_id`, an `ORDER BY transaction_id` would sort by
 * the text output column ("10000" < "9999") instead of the xid8 column, and pages would skip.
 */
export const EVENT_COLUMNS =
  'global_position, transaction_id::text AS transaction_id_text, stream_id, stream_version, event_id, type, data, metadata, recorded_at';

export interface EventRow {
  global_position: string;
  transaction_id_text: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  recorded_at: Date;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    globalPosition: BigInt(row.global_position),
    transactionId: BigInt(row.transaction_id_text),
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    eventId: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
  };
}
