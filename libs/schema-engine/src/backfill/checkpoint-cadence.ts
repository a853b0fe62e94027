/**
 * When a backfill persists its checkpoint: in the transaction of the batch that is due, once
 * `everyBatches` batches or `intervalMs` have passed since the last one (whichever first), and
 * always with the last batch. Between two checkpoints a crash loses only the cursor, not the data:
 * the next run redoes those batches (at most `everyBatches`, or a second's worth), which is safe
 * because a batch is idempotent (see `backfillTable`).
 */
export interface CheckpointCadence {
  everyBatches: number;
  intervalMs: number;
}

export interface SinceCheckpoint {
  batches: number;
  ms: number;
}

/** Whether the batch about to run (the `since.batches + 1`-th since the last checkpoint) writes one. */
export function checkpointDue(cadence: CheckpointCadence, since: SinceCheckpoint): boolean {
  return since.batches + 1 >= cadence.everyBatches || since.ms >= cadence.intervalMs;
}
