import type { StoredEvent } from '@bascule/event-store';

/** Events as the store returns them, numbered in the order given: for the pure folds' tests. */
export function storedEvents(migrationId: string, ...events: Array<[string, Record<string, unknown>]>): StoredEvent[] {
  return events.map(([type, data], index) => ({
    globalPosition: BigInt(index + 1),
    transactionId: BigInt(index + 1),
    streamId: `migration-${migrationId}`,
    streamVersion: index + 1,
    eventId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    type,
    data: { migrationId, ...data },
    metadata: {},
    recordedAt: new Date(1_000 * index),
  }));
}
