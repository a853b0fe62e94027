import { BackfillResumed, BackfillThrottled, MigrationResumed } from '@bascule/contracts';
import { migrationStreamId } from '@bascule/event-store';
import type { Pool } from 'pg';

/** How often a held backfill looks again, and how long a "go on" answer is trusted. */
const POLL_MS = 500;

const LATEST_SIGNAL_SQL = `
SELECT type FROM bascule.events
 WHERE stream_id = $1 AND type = ANY ($2::text[])
 ORDER BY stream_version DESC LIMIT 1`;

/**
 * The backfill's side of the monitor's throttle: between two batches, the latest of
 * `BackfillThrottled` / `BackfillResumed` / `MigrationResumed` (a human taking over after a failed
 * analysis paused the migration) in the migration's stream decides. While it is a
 * throttle the backfill holds (its last batch committed, nothing locked), looking again every
 * 500 ms, until a resume, or until the signal aborts (a rollback, a shutdown: the caller's signal
 * check right after takes over). A failed read lets the backfill go on: the throttle protects the
 * target, it must not stop a migration by itself.
 */
export function throttleGate(pool: Pool, migrationId: string, signal: AbortSignal, onHold?: (held: boolean) => void): () => Promise<void> {
  let checkedAt = 0;
  return async () => {
    let holding = false;
    for (;;) {
      if (signal.aborted) break;
      if (!holding && Date.now() - checkedAt < POLL_MS) return;
      checkedAt = Date.now();
      const latest = await pool
        .query<{ type: string }>(LATEST_SIGNAL_SQL, [migrationStreamId(migrationId), [BackfillThrottled.name, BackfillResumed.name, MigrationResumed.name]])
        .then((result) => result.rows[0]?.type ?? null, () => null);
      if (latest !== BackfillThrottled.name) break;
      if (!holding) onHold?.(true);
      holding = true;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    if (holding) onHold?.(false);
  };
}
