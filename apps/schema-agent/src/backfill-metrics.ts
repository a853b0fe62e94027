import { Inject, Injectable } from '@nestjs/common';
import type { BackfillProgress } from '@bascule/schema-engine';
import { METRICS_REGISTRY } from '@bascule/service-kit';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const BATCH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Backfills on `/metrics`: rows written, each batch's duration, and the rows per second of the
 * latest batch. No label: a migration or table name would make a series per migration, and a
 * dashboard wants "how fast are we backfilling", which the rate of the counter answers.
 */
@Injectable()
export class BackfillMetrics {
  readonly rows: Counter;
  readonly rowsPerSecond: Gauge;
  readonly batchSeconds: Histogram;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    const registers = [registry];
    this.rows = new Counter({ name: 'bascule_backfill_rows_total', help: 'Rows the schema-agent backfilled (a resumed backfill counts only the rows it wrote itself).', registers });
    this.rowsPerSecond = new Gauge({ name: 'bascule_backfill_rows_per_second', help: 'Rows per second of the latest backfill batch.', registers });
    this.batchSeconds = new Histogram({
      name: 'bascule_backfill_batch_duration_seconds',
      help: 'Duration of one backfill batch (its short transaction), without the pauses between batches.',
      buckets: BATCH_BUCKETS,
      registers,
    });
  }

  /** One backfill run (one start command); `delayMs` is the pause its options put between batches. */
  meter(delayMs: number): BackfillMeter {
    return new BackfillMeter(this, delayMs);
  }
}

/**
 * Turns a run's progress reports (one after each batch, cumulative per table) into per-batch
 * figures: the rows since the previous report, and the time since it minus what was not the batch
 * (the configured delay and the time the monitor's throttle held the backfill).
 */
export class BackfillMeter {
  private table: string | null = null;
  private last = { elapsedMs: 0, rowsDone: 0 };
  private heldMs = 0;

  constructor(
    private readonly metrics: BackfillMetrics,
    private readonly delayMs: number,
  ) {}

  batchDone(progress: BackfillProgress): void {
    // A new table, or the same one walked again by a redelivered start: its figures start over.
    const first = progress.table !== this.table || progress.elapsedMs < this.last.elapsedMs;
    if (first) this.last = { elapsedMs: 0, rowsDone: progress.resumedFrom };
    this.table = progress.table;
    const rows = Math.max(0, progress.rowsDone - this.last.rowsDone);
    const ms = progress.elapsedMs - this.last.elapsedMs - this.heldMs - (first ? 0 : this.delayMs);
    this.last = { elapsedMs: progress.elapsedMs, rowsDone: progress.rowsDone };
    this.heldMs = 0;
    this.metrics.rows.inc(rows);
    const seconds = Math.max(ms, 0) / 1000;
    this.metrics.batchSeconds.observe(seconds);
    if (seconds > 0) this.metrics.rowsPerSecond.set(rows / seconds);
  }

  /** The throttle the engine waits on between batches, timed so its hold is not counted as the batch's. */
  timed(throttle: () => Promise<void>): () => Promise<void> {
    return async () => {
      const began = performance.now();
      try {
        await throttle();
      } finally {
        this.heldMs += performance.now() - began;
      }
    };
  }
}
