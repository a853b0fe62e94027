import type { Queryable } from '@bascule/event-store';

/**
 * Expanded migrations whose rollback window has elapsed and that nothing has moved on since
 * (no complete requested, no rollback): the ones the timer completes. Reads the log directly so
 * every planner copy sees them, whichever copy handled MigrationExpanded.
 */
export async function migrationsDueForCompletion(db: Queryable, now: Date): Promise<string[]> {
  const { rows } = await db.query<{ stream_id: string }>(
    `SELECT e.stream_id FROM bascule.events e
      WHERE e.type = 'MigrationExpanded' AND (e.data->>'completeAfter')::timestamptz <= $1
        AND NOT EXISTS (SELECT 1 FROM bascule.events later
                         WHERE later.stream_id = e.stream_id AND later.stream_version > e.stream_version
                           AND later.type IN ('MigrationCompleteRequested', 'RollbackStarted', 'MigrationFailed'))`,
    [now],
  );
  return rows.map((row) => row.stream_id);
}
