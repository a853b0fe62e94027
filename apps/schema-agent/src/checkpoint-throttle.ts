/**
 * Decides which backfill ticks become `BackfillCheckpointRecorded` events: at most one per
 * interval (or every N batches), plus the final one, so a million-row backfill does not write
 * a million events.
 */
export class CheckpointThrottle {
  private lastAt = Number.NEGATIVE_INFINITY;
  private batchesSince = 0;

  constructor(
    private readonly intervalMs = 1000,
    private readonly everyBatches = 50,
    private readonly now: () => number = Date.now,
  ) {}

  shouldRecord(done: boolean): boolean {
    this.batchesSince++;
    const at = this.now();
    if (!done && at - this.lastAt < this.intervalMs && this.batchesSince < this.everyBatches) return false;
    this.lastAt = at;
    this.batchesSince = 0;
    return true;
  }
}
