/** Reported after every committed batch: the checkpoint just persisted, plus rates for humans. */
export interface BackfillProgress {
  schema: string;
  migration: string;
  /** Physical table. */
  table: string;
  rowsDone: number;
  batches: number;
  /** Key of the last row processed (text values) or `[block]` for the ctid walk. */
  lastKey: string[] | null;
  /** `reltuples` when the backfill began; null when the table was never analysed. */
  totalEstimate: number | null;
  done: boolean;
  /** Rows done when this run began (non-zero when it resumed from a checkpoint). */
  resumedFrom: number;
  elapsedMs: number;
  rowsPerSecond: number;
}

export interface BackfillOptions {
  /** Rows per batch (default 5000; see DEFAULT_BACKFILL_OPTIONS). */
  batchSize: number;
  /** Pause between batches, to leave room for the application's own writes (default 0). */
  delayMs: number;
}

/**
 * 5000 rows: a batch costs a few round trips and a commit on top of its rows, which at 1000 rows
 * cost a third of the throughput of one big UPDATE; while its transaction runs, a writer of one of
 * its rows waits, so a batch must stay short (5000 rows: tens of ms) — 50k would stall writers for
 * hundreds. Lower it (and add `delayMs`) for a busy table; raise it for an idle one.
 */
export const DEFAULT_BACKFILL_OPTIONS: BackfillOptions = { batchSize: 5000, delayMs: 0 };
