/** Where one batch's transaction spent its time, ms (for the bench's stall attribution and for logs). */
export interface BatchFigures {
  /** Rows the batch asked for (the sizer's choice) and rows it updated. */
  askedRows: number;
  rows: number;
  /** The whole transaction, BEGIN to COMMIT, retries included: what its row locks were held within. */
  ms: number;
  /** Reading the key that ends the range (keyset walk; 0 for ctid). */
  boundMs: number;
  updateMs: number;
  /** Upserting the checkpoint row; null when this batch wrote none. */
  checkpointMs: number | null;
  attempts: number;
}

/**
 * Reported after every committed batch. `rowsDone`, `batches` and `lastKey` are where the walk is;
 * they are persisted (a run that stops here resumes here) only when `checkpointed` — otherwise the
 * last persisted checkpoint is a few batches behind (see CheckpointCadence).
 */
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
  /** True when this batch's transaction also persisted the checkpoint (always for the last batch). */
  checkpointed: boolean;
  /** Rows done when this run began (non-zero when it resumed from a checkpoint). */
  resumedFrom: number;
  elapsedMs: number;
  rowsPerSecond: number;
  /** The batch just committed. */
  batch: BatchFigures;
}

/**
 * How batches are sized and checkpointed. The sizes combine like this: with `targetBatchMs` > 0
 * (the default) each batch is sized from the last one's measured rows/ms to take about that long,
 * starting at `batchSize` and kept within [`minBatchSize`, `maxBatchSize`]; with `targetBatchMs` 0
 * every batch has `batchSize` rows. A caller who sets `batchSize` and no `targetBatchMs` gets the
 * fixed size it asked for, as before adaptive sizing existed (see `resolveOptions`).
 */
export interface BackfillOptions {
  /** Rows of the first batch, or of every batch when `targetBatchMs` is 0 (default 5000). */
  batchSize: number;
  /** Pause between batches, to leave room for the application's own writes (default 0). */
  delayMs: number;
  /** Duration a batch aims at, ms; 0: fixed `batchSize` (default 50, see DEFAULT_BACKFILL_OPTIONS). */
  targetBatchMs: number;
  /** Bounds of an adaptive size (default 100 and 100,000 rows). */
  minBatchSize: number;
  maxBatchSize: number;
  /** Checkpoint every this many batches or this many ms, whichever first (default 10 and 1000). */
  checkpointEveryBatches: number;
  checkpointIntervalMs: number;
}

/**
 * 50 ms per batch: while a batch runs, an application write to one of its rows waits for it, so the
 * batch's duration is the longest row-lock wait it can add to a write — well under the 150 ms stall
 * goal. Measured (docs/benchmarks.md, schema engine, 2M rows): what a batch spends besides its
 * UPDATE (the range bound, BEGIN/COMMIT round trips, the checkpoint) was 9 % of its time at 50 ms
 * and 11 % at 25 ms, the same rows/s within the machine's noise; under write load the writers'
 * longest waits were WAL flushes (LWLock:WALWrite, IO:WALSync) at either target, not a batch's
 * rows. 5000 rows as the first batch: tens of ms on an idle table, so the walk starts near the
 * target. A checkpoint per 10 batches or per second: a crash redoes at most that much, and the walk
 * writes a tenth of the checkpoint rows it did with one per batch.
 */
export const DEFAULT_BACKFILL_OPTIONS: BackfillOptions = {
  batchSize: 5000,
  delayMs: 0,
  targetBatchMs: 50,
  minBatchSize: 100,
  maxBatchSize: 100_000,
  checkpointEveryBatches: 10,
  checkpointIntervalMs: 1000,
};
