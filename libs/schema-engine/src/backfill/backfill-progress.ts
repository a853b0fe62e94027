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
  /** Rows per batch (default 1000). */
  batchSize: number;
  /** Pause between batches, to leave room for the application's own writes (default 0). */
  delayMs: number;
}

export const DEFAULT_BACKFILL_OPTIONS: BackfillOptions = { batchSize: 1000, delayMs: 0 };
